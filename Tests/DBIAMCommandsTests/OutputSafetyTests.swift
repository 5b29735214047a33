import DBIAMTestSupport
import Foundation
import Testing

/// A link planted under out/ (committed to a repository, or made by someone sharing the
/// folder) is refused, naming it, before any file changes, and nothing is written
/// through it; the files dbiam writes have the modes it sets, whatever the umask.
@Suite(.serialized)
struct OutputSafetyTests {
    static let users = "  ssotest:\n    clusters: [local]\n"
    static let permissionSets = "permission_sets:\n  DBReadOnly:\n    users: [ssotest]\n"

    /// A working folder with `local.yaml` and `target/`, where the planted links lead,
    /// holding one file of its own.
    func prepare(manifest: String = "local.yaml") throws -> DBIAMProcess {
        let dbiam = try DBIAMProcess()
        try dbiam.write(LocalServer.manifestText(users: Self.users, permissionSets: Self.permissionSets), to: manifest)
        try dbiam.write("the target's own\n", to: "target/own.txt")
        return dbiam
    }

    func link(_ name: String, to destination: String, in dbiam: DBIAMProcess) throws {
        let url = dbiam.directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: dbiam.directory.appendingPathComponent(destination).path)
    }

    /// Every entry under `folder`, links not followed, with what identifies its content:
    /// a file's inode and bytes (a file renamed into place has a new inode), a link's
    /// destination. Without the output of the runs, which DBIAMProcess keeps there.
    func snapshot(_ folder: URL) -> [String: String] {
        var entries: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        while let name = enumerator?.nextObject() as? String {
            if name.hasPrefix(".capture-") { continue }
            let path = folder.appendingPathComponent(name).path
            var status = stat()
            guard lstat(path, &status) == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFLNK: entries[name] = "link to " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?")
            case S_IFREG: entries[name] = "file \(status.st_ino): " + ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "?")
            default: entries[name] = "folder"
            }
        }
        return entries
    }

    func expectRefused(_ result: DBIAMProcess.Result, naming path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 1, "\(result.output)", sourceLocation: sourceLocation)
        #expect(
            result.stderr.contains("dbiam: error: \(path) is a symbolic link; dbiam never writes through links under out/. Remove it and run dbiam again."),
            "\(result.stderr)", sourceLocation: sourceLocation)
    }

    @Test func aLinkedOutDirectoryIsRefused() throws {
        let dbiam = try prepare()
        try link("out", to: "target", in: dbiam)
        let target = snapshot(dbiam.directory.appendingPathComponent("target"))
        let before = snapshot(dbiam.directory)
        let result = try dbiam.run(["plan", "local.yaml", "--offline"])
        expectRefused(result, naming: "out")
        #expect(result.stderr.contains("The plan was not saved."))
        #expect(snapshot(dbiam.directory) == before)
        #expect(snapshot(dbiam.directory.appendingPathComponent("target")) == target)
        #expect(target.keys.sorted() == ["own.txt"])
    }

    @Test func aLinkedManifestFolderUnderOutIsRefused() throws {
        let dbiam = try prepare(manifest: "manifests/prod.yaml")
        try link("out/manifests/prod.yaml", to: "target", in: dbiam)
        let target = snapshot(dbiam.directory.appendingPathComponent("target"))
        let before = snapshot(dbiam.directory)
        for arguments in [["plan", "manifests/prod.yaml", "--offline"], ["policy", "manifests/prod.yaml"]] {
            expectRefused(try dbiam.run(arguments), naming: "out/manifests/prod.yaml")
            #expect(snapshot(dbiam.directory) == before, "\(arguments)")
        }
        #expect(snapshot(dbiam.directory.appendingPathComponent("target")) == target)
        #expect(target.keys.sorted() == ["own.txt"])
    }

    /// A file dbiam rewrites on every plan, replaced by a link: the first plan made every
    /// folder, so only the file itself is in the way.
    @Test(arguments: ["out/local.yaml/plan.json", "out/.last-plan", "out/local.yaml/policies/DBReadOnly.json", "out/local.yaml/sql/local.sql"])
    func aLinkedFileIsRefusedAndNothingChanges(path: String) throws {
        let dbiam = try prepare()
        #expect(try dbiam.run(["plan", "local.yaml", "--offline"]).status == 0)
        try FileManager.default.removeItem(at: dbiam.directory.appendingPathComponent(path))
        try dbiam.write("someone else's\n", to: "target/file")
        try link(path, to: "target/file", in: dbiam)
        let before = snapshot(dbiam.directory)
        expectRefused(try dbiam.run(["plan", "local.yaml", "--offline"]), naming: path)
        // Not the link, nor any other file: not one was replaced.
        #expect(snapshot(dbiam.directory) == before)
        #expect(dbiam.read("target/file") == "someone else's\n")
    }

    /// Where `dbiam plan` removes a file it no longer makes, a link is refused too.
    @Test(arguments: ["out/local.yaml/sql/gone.sql", "out/local.yaml/policies/Gone.json"])
    func aLinkWhereAStaleFileWouldBeRemovedIsRefused(path: String) throws {
        let dbiam = try prepare()
        #expect(try dbiam.run(["plan", "local.yaml", "--offline"]).status == 0)
        try link(path, to: "target/own.txt", in: dbiam)
        let before = snapshot(dbiam.directory)
        expectRefused(try dbiam.run(["plan", "local.yaml", "--offline"]), naming: path)
        #expect(snapshot(dbiam.directory) == before)
        #expect(dbiam.read("target/own.txt") == "the target's own\n")
    }

    /// Without a link, the same files are written: the refusals above are the links'.
    @Test func withoutALinkThePlanIsSaved() throws {
        let dbiam = try prepare(manifest: "manifests/prod.yaml")
        let result = try dbiam.run(["plan", "manifests/prod.yaml", "--offline"])
        #expect(result.status == 0, "\(result.output)")
        #expect(dbiam.read("out/manifests/prod.yaml/plan.json") != nil)
        #expect(dbiam.read("out/.last-plan") != nil)
    }

    /// Under a umask that would let everyone write and one that would keep even the owner
    /// from reading, the files and folders have the modes dbiam gives them.
    @Test(arguments: ["000", "077", "277"])
    func filesHaveTheirModesWhateverTheUmask(umask: String) throws {
        var dbiam = try prepare()
        dbiam.wrapper = ["/bin/sh", "-c", "umask \(umask) && exec \"$0\" \"$@\""]
        let plan = try dbiam.run(["plan", "local.yaml", "--offline"])
        #expect(plan.status == 0, "\(plan.output)")
        let export = try dbiam.run(["policy", "local.yaml", "--format", "terraform", "--out", "exported"])
        #expect(export.status == 0, "\(export.output)")
        let expected: [String: Int] = [
            "out": 0o755, "out/local.yaml": 0o755, "out/local.yaml/sql": 0o755, "out/local.yaml/policies": 0o755,
            "out/local.yaml/sql/local.sql": 0o644, "out/local.yaml/policies/DBReadOnly.json": 0o644,
            "out/local.yaml/plan.json": 0o600, "out/.last-plan": 0o600, "exported/local.tf.json": 0o644,
        ]
        for (path, mode) in expected {
            var status = stat()
            #expect(lstat(dbiam.directory.appendingPathComponent(path).path, &status) == 0, "\(path)")
            #expect(Int(status.st_mode & 0o7777) == mode, "\(path) under umask \(umask): \(String(status.st_mode & 0o7777, radix: 8))")
        }
    }
}
