import AWSAuth
import FoundationEssentials
import Glibc

/// Paths as dbiam names them: normalized by hand (`.`, `..` and doubled slashes), never
/// through the file system, so that a name means the same on every machine and symlinks
/// are not followed.
enum FilePaths {
    static var workingDirectory: String { FileManager.default.currentDirectoryPath }

    /// `path` made absolute against `directory` (itself relative to the working
    /// directory when it is not absolute) and normalized.
    static func absolute(_ path: String, from directory: String = workingDirectory) -> String {
        if path.hasPrefix("/") { return "/" + components(path).joined(separator: "/") }
        let base = directory.hasPrefix("/") ? directory : workingDirectory + "/" + directory
        return "/" + components(base + "/" + path).joined(separator: "/")
    }

    /// The path from the folder `directory` to `path`, both taken absolute; `..` where
    /// `path` is outside `directory`.
    static func relative(_ path: String, from directory: String = workingDirectory) -> String {
        let target = components(absolute(path)), base = components(absolute(directory))
        let shared = zip(target, base).prefix { $0 == $1 }.count
        let parts = Array(repeating: "..", count: base.count - shared) + target[shared...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// `path` resolved against the folder `directory` (when relative), as people name it:
    /// relative to the working directory.
    static func display(_ path: String, from directory: String = workingDirectory) -> String {
        relative(absolute(path, from: directory))
    }

    /// `path` as the files dbiam writes for review name it: from the root of the
    /// repository that holds it (the nearest folder above it with a `.git`, the folder of
    /// a clone or the file of a worktree), so that the same manifest gives the same bytes
    /// however it was typed (`./team.yaml`, `team.yaml`) and from whichever folder dbiam
    /// runs. Outside a repository there is no such root: relative to the working directory.
    static func repositoryRelative(_ path: String) -> String {
        let file = physical(path)
        var folder = Self.folder(of: file)
        while !FileManager.default.fileExists(atPath: appending(".git", to: folder)) {
            guard folder != "/" else { return display(path) }
            folder = Self.folder(of: folder)
        }
        return relative(file, from: folder)
    }

    /// `path` absolute, with the symbolic links of the part that exists resolved: where a
    /// plan refers to its manifest, both ends must be named as the file system reaches
    /// them, or a plan found through a link would look for its manifest in the wrong place.
    static func physical(_ path: String) -> String {
        var parts = components(absolute(path)), rest: [String] = []
        while true {
            if let resolved = realpath("/" + parts.joined(separator: "/"), nil) {
                defer { free(resolved) }
                return absolute(rest.joined(separator: "/"), from: String(cString: resolved))
            }
            guard let last = parts.popLast() else { return "/" + rest.joined(separator: "/") }
            rest.insert(last, at: 0)
        }
    }

    /// `~` and `~/…` in the home directory as the shell and the AWS CLI take it: HOME,
    /// else the account's. Foundation's expansion reads the account's home alone when
    /// dbiam runs as root, so `~/global-bundle.pem` and `~/.aws` could name two homes.
    static func expandingHome(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = AWSCredentialChain.homeDirectory(environment: ProcessInfo.processInfo.environment)
        return absolute(String(path.dropFirst().drop { $0 == "/" }), from: home)
    }

    /// The folder of a file path, absolute.
    static func folder(of path: String) -> String {
        let parts = components(absolute(path))
        return "/" + parts.dropLast().joined(separator: "/")
    }

    /// The path as one shell word, quoted when it has to be, for commands dbiam suggests.
    static func shellWord(_ path: String) -> String {
        let plain = path.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil || "_./-+=,@:".unicodeScalars.contains($0) }
        return plain && !path.isEmpty ? path : "'" + path.replacing("'", with: "'\\''") + "'"
    }

    // MARK: - Joined and split as Foundation's NSString path methods did it

    /// `path`, a slash unless it ends in one, and `name`; either alone when the other is
    /// empty. Nothing else is touched (`out//x` stays as it is).
    static func appending(_ name: String, to path: String) -> String {
        if name.isEmpty { return path }
        if path.isEmpty { return name }
        return path.hasSuffix("/") ? path + name : path + "/" + name
    }

    /// What follows the last slash, once runs of slashes are one and a trailing one is
    /// dropped: `b` of `a//b/`; `/` of `/`.
    static func lastComponent(of path: String) -> String {
        let tidy = tidySlashes(path)
        guard tidy.utf16.count > 1 else { return tidy }
        return String(tidy[startOfLastComponent(tidy)...])
    }

    /// What comes before the last component, tidied the same way: `a` of `a//b/`, `/` of
    /// `/a`, empty for a single relative component. (Foundation stopped the program on a
    /// relative name of one character, such as `dbiam import --out x`.)
    static func deletingLastComponent(of path: String) -> String {
        let tidy = tidySlashes(path)
        guard tidy != "/", let slash = tidy.lastIndex(of: "/") else { return tidy == "/" ? tidy : "" }
        return slash == tidy.startIndex ? "/" : String(tidy[..<slash])
    }

    /// `path` without the extension of its last component, tidied the same way: `a/b` of
    /// `a/b.yaml`. A name that starts with its only dot (`.env`) has no extension.
    static func deletingExtension(of path: String) -> String {
        let tidy = tidySlashes(path)
        guard tidy.utf16.count > 1 else { return tidy }
        let start = startOfLastComponent(tidy)
        guard let dot = tidy[start...].lastIndex(of: "."), dot != start, tidy[start...] != ".." else { return tidy }
        return String(tidy[..<dot])
    }

    /// Runs of slashes made one and a trailing slash dropped, `/` kept.
    private static func tidySlashes(_ path: String) -> String {
        guard path != "/" else { return path }
        var tidy = ""
        for character in path where character != "/" || tidy.last != "/" {
            tidy.append(character)
        }
        if tidy.hasSuffix("/") { tidy.removeLast() }
        return tidy
    }

    private static func startOfLastComponent(_ tidy: String) -> String.Index {
        tidy.lastIndex(of: "/").map(tidy.index(after:)) ?? tidy.startIndex
    }

    private static func components(_ path: String) -> [String] {
        var parts: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(String(part))
            }
        }
        return parts
    }
}

extension FileManager {
    func isDirectory(_ path: String) -> Bool {
        var isDirectory = false
        return fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory
    }
}
