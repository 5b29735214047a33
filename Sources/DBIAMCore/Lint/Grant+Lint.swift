extension Grant {
    /// Where a privilege of this grant is written, or the grant itself.
    func position(of privilege: Privilege) -> SourcePosition {
        writtenPrivileges.first { $0.privilege == privilege }?.position ?? position
    }

    /// The grant's privileges that are included, in the order the file writes them, so
    /// that findings come out the same way every run.
    func privileges(where isIncluded: (Privilege) -> Bool) -> [Privilege] {
        // Most grants have none: asking first spares every rule a new set and a sort per grant.
        guard privileges.contains(where: isIncluded) else { return [] }
        return privileges.filter(isIncluded).sorted { position(of: $0) < position(of: $1) }
    }
}
