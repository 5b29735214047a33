extension Grant {
    /// Where a privilege of this grant is written, or the grant itself.
    func position(of privilege: Privilege) -> SourcePosition {
        privilegePositions[privilege] ?? position
    }

    /// The grant's privileges that are in `selection`, in the order the file writes them,
    /// so that findings come out the same way every run.
    func privileges(in selection: Set<Privilege>) -> [Privilege] {
        privileges.intersection(selection).sorted { position(of: $0) < position(of: $1) }
    }

    func privileges(where isIncluded: (Privilege) -> Bool) -> [Privilege] {
        privileges.filter(isIncluded).sorted { position(of: $0) < position(of: $1) }
    }
}
