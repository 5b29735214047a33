import Foundation

/// Files dbiam writes for review. Each is written whole to a temporary file next to
/// it and renamed into place, so an interrupted run never leaves half a file.
enum OutputFiles {
    /// A file that could not be written or removed, with the system's reason.
    struct Failure: Error, CustomStringConvertible {
        var path: String
        var reason: String

        var description: String { "cannot write \(path): \(reason)" }

        init(path: String, errorNumber: Int32) {
            self.path = path
            reason = String(cString: strerror(errorNumber))
        }
    }

    static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws(Failure) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        try makeFolder(folder)
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = "\(folder)/.\(name).\(ProcessInfo.processInfo.processIdentifier).tmp"
        // Made anew, never through a file or link left at that name.
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw Failure(path: path, errorNumber: errno) }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                let code = errno
                close(descriptor)
                unlink(temporary)
                throw Failure(path: path, errorNumber: code)
            }
            bytes = bytes.dropFirst(written)
        }
        // The mode asked for, whatever the umask took away from it.
        fchmod(descriptor, mode)
        close(descriptor)
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw Failure(path: path, errorNumber: code)
        }
    }

    static func remove(_ path: String) throws(Failure) {
        if unlink(path) != 0 && errno != ENOENT { throw Failure(path: path, errorNumber: errno) }
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

    /// `mkdir -p`, with the reason of the first folder that cannot be made.
    private static func makeFolder(_ folder: String) throws(Failure) {
        var path = folder.hasPrefix("/") ? "/" : ""
        for part in folder.split(separator: "/") {
            path += (path.isEmpty || path == "/" ? "" : "/") + part
            if mkdir(path, 0o755) != 0 && errno != EEXIST { throw Failure(path: path, errorNumber: errno) }
        }
    }
}
