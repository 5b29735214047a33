import FoundationEssentials
import Glibc

/// Files dbiam writes for review, under a root folder: the out directory, or a folder a
/// command was given. From the root down no link is followed: each folder is opened
/// relative to the one above it with O_NOFOLLOW and each file made and renamed relative
/// to its folder's descriptor, so a link planted under out/ (committed to a repository,
/// or `out/manifests/prod.yaml -> /etc`) is refused rather than written through, and
/// cannot be swapped in between a check and a write. Each file is written whole to a
/// temporary file next to it and renamed into place, so an interrupted run never leaves
/// half a file.
struct OutputFiles {
    /// A file that could not be written or removed.
    enum Failure: Error, CustomStringConvertible {
        case system(path: String, errorNumber: Int32)
        /// `path`, the root or a folder or file under `root`, is a symbolic link.
        case symbolicLink(path: String, root: String)

        var description: String {
            switch self {
            case .system(let path, let errorNumber): "cannot write \(path): \(String(cString: strerror(errorNumber)))"
            case .symbolicLink(let path, let root): "\(path) is a symbolic link; dbiam never writes through links under \(root)/. Remove it and run dbiam again."
            }
        }

        /// The failure as people read it, with what to do next: a link is removed; for
        /// anything else, `advice`.
        func message(otherwise advice: String) -> String {
            switch self {
            case .system: "\(self); \(advice)"
            case .symbolicLink: "\(self)"
            }
        }
    }

    enum Change {
        /// 0644 for the files people review; 0600 for those only dbiam reads back.
        case write(String, to: String, mode: mode_t = 0o644)
        /// A file written from parts in order, which a saved plan of megabytes is, rather
        /// than joined into one more copy first.
        case writeParts([String], to: String, mode: mode_t)
        case remove(String)

        var path: String {
            switch self {
            case .write(_, let path, _), .writeParts(_, let path, _), .remove(let path): path
            }
        }
    }

    var root: String
    /// A folder named on the command line may itself be a link (its owner put it there);
    /// the out directory may not.
    var followsRoot = false

    /// Makes the changes in order. Every path is looked at for links before the first
    /// change, so that a refused run changes nothing; each change then opens its way
    /// without following links again, which is what keeps it safe.
    func apply(_ changes: [Change]) throws(Failure) {
        for change in changes {
            guard let folder = try openFolder(of: change.path, creating: false) else { continue }
            try folder.refuseLink(at: name(of: change.path), path: change.path, root: root)
        }
        for change in changes {
            switch change {
            case .write(let text, let path, let mode):
                guard let folder = try openFolder(of: path, creating: true) else { continue }
                try folder.write([text], name: name(of: path), mode: mode, path: path, root: root)
            case .writeParts(let parts, let path, let mode):
                guard let folder = try openFolder(of: path, creating: true) else { continue }
                try folder.write(parts, name: name(of: path), mode: mode, path: path, root: root)
            case .remove(let path):
                guard let folder = try openFolder(of: path, creating: false) else { continue }
                try folder.remove(name: name(of: path), path: path, root: root)
            }
        }
    }

    static func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The names, without the extension, of the files in `folder` that end in
    /// `.extension` (none when the folder does not exist), sorted.
    static func names(in folder: String, withExtension fileExtension: String) -> [String] {
        let suffix = "." + fileExtension
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return entries.filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }.map { String($0.dropLast(suffix.count)) }.sorted()
    }

    private func name(of path: String) -> String {
        FilePaths.lastComponent(of: path)
    }

    /// The folder that holds `path`, opened from the root down; nil when, not `creating`,
    /// a folder on the way does not exist (then nothing below it is a link either).
    private func openFolder(of path: String, creating: Bool) throws(Failure) -> Folder? {
        let absoluteRoot = FilePaths.absolute(root)
        let parts = FilePaths.relative(path, from: absoluteRoot).split(separator: "/").map(String.init).dropLast()
        precondition(!parts.contains(".."), "\(path) is not under \(root)")
        let above = FilePaths.folder(of: absoluteRoot)
        if creating { try Self.makeFolders(above) }
        let descriptor = open(above, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT && !creating { return nil }
            throw .system(path: root, errorNumber: errno)
        }
        let rootName = FilePaths.lastComponent(of: absoluteRoot)
        guard var folder = try Folder(descriptor: descriptor).child(rootName, path: root, root: root, creating: creating, following: followsRoot) else {
            return nil
        }
        var shown = root
        for part in parts {
            shown = FilePaths.appending(part, to: shown)
            guard let child = try folder.child(part, path: shown, root: root, creating: creating, following: false) else { return nil }
            folder = child
        }
        return folder
    }

    /// `mkdir -p` of the folders above the root, which are the user's: followed as named.
    private static func makeFolders(_ folder: String) throws(Failure) {
        var path = ""
        for part in folder.split(separator: "/") {
            path += "/" + part
            if mkdir(path, 0o755) != 0 && errno != EEXIST { throw .system(path: path, errorNumber: errno) }
        }
    }
}

/// An open folder under the root, closed when it is dropped.
private final class Folder {
    let descriptor: Int32

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The folder `name` in this one, made (0755 whatever the umask) when `creating`; nil
    /// when it does not exist and is not to be made. A link is refused unless `following`.
    func child(_ name: String, path: String, root: String, creating: Bool, following: Bool) throws(OutputFiles.Failure) -> Folder? {
        var made = false
        if creating {
            made = mkdirat(descriptor, name, 0o755) == 0
            guard made || errno == EEXIST else { throw .system(path: path, errorNumber: errno) }
        }
        let child = openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (following ? 0 : O_NOFOLLOW))
        guard child >= 0 else {
            let code = errno
            if !following { try refuseLink(at: name, path: path, root: root) }
            if code == ENOENT && !creating { return nil }
            throw .system(path: path, errorNumber: code)
        }
        if made { fchmod(child, 0o755) }
        return Folder(descriptor: child)
    }

    func refuseLink(at name: String, path: String, root: String) throws(OutputFiles.Failure) {
        var status = stat()
        if fstatat(descriptor, name, &status, AT_SYMLINK_NOFOLLOW) == 0 && status.st_mode & S_IFMT == S_IFLNK {
            throw .symbolicLink(path: path, root: root)
        }
    }

    func write(_ parts: [String], name: String, mode: mode_t, path: String, root: String) throws(OutputFiles.Failure) {
        let temporary = ".\(name).\(ProcessInfo.processInfo.processIdentifier).tmp"
        // Made anew, never through a file or link left at that name.
        unlinkat(descriptor, temporary, 0)
        let file = openat(descriptor, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard file >= 0 else { throw .system(path: path, errorNumber: errno) }
        // Straight from the strings' own bytes: a plan can be megabytes.
        var failure: Int32?
        for var part in parts where failure == nil {
            failure = part.withUTF8 { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = Glibc.write(file, bytes.baseAddress! + offset, bytes.count - offset)
                    if written < 0 && errno == EINTR { continue }
                    guard written > 0 else { return errno }
                    offset += written
                }
                return nil
            }
        }
        if let failure {
            close(file)
            unlinkat(descriptor, temporary, 0)
            throw .system(path: path, errorNumber: failure)
        }
        // The mode asked for, whatever the umask took away from it or would have let through.
        fchmod(file, mode)
        close(file)
        do {
            // The rename replaces a link rather than following it; it is refused all the same.
            try refuseLink(at: name, path: path, root: root)
        } catch {
            unlinkat(descriptor, temporary, 0)
            throw error
        }
        if renameat(descriptor, temporary, descriptor, name) != 0 {
            let code = errno
            unlinkat(descriptor, temporary, 0)
            throw .system(path: path, errorNumber: code)
        }
    }

    func remove(name: String, path: String, root: String) throws(OutputFiles.Failure) {
        try refuseLink(at: name, path: path, root: root)
        if unlinkat(descriptor, name, 0) != 0 && errno != ENOENT { throw .system(path: path, errorNumber: errno) }
    }
}
