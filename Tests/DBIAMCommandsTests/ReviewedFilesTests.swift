import DBIAMTestSupport
import Foundation
import Testing

/// The files written for review name the manifest one way, whatever the command line
/// said, so a review never shows a change that is only in how the manifest was typed.
struct ReviewedFilesTests {
    static let prodManifest = LocalServer.repositoryRoot.appendingPathComponent("manifests/prod.yaml").path

    /// A repository (a `.git` at its root) holding manifests/team.yaml, and the same
    /// user working in its manifests folder.
    func repository() throws -> (root: DBIAMProcess, manifests: DBIAMProcess) {
        let root = try DBIAMProcess()
        try FileManager.default.createDirectory(at: root.directory.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try root.write(try String(contentsOfFile: Self.prodManifest, encoding: .utf8), to: "manifests/team.yaml")
        var manifests = root
        manifests.directory = root.directory.appendingPathComponent("manifests")
        return (root, manifests)
    }

    @Test func sqlFilesNameTheManifestFromTheRepositoryRoot() throws {
        let (root, manifests) = try repository()
        #expect(try root.run(["plan", "./manifests/team.yaml", "--offline"]).status == 0)
        #expect(try manifests.run(["plan", "team.yaml", "--offline", "--out-dir", "../elsewhere"]).status == 0)
        let sql = try #require(root.read("out/manifests/team.yaml/sql/orders-prod.sql"))
        #expect(sql.hasPrefix("-- dbiam: cluster orders-prod (orders-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com:3306"), "\(sql)")
        #expect(sql.components(separatedBy: "\n")[0].hasSuffix(", from manifests/team.yaml"), "\(sql)")
        #expect(root.read("elsewhere/team.yaml/sql/orders-prod.sql") == sql)
        // The markdown comment repeats the SQL file, header included.
        let markdown = try root.run(["plan", "manifests/team.yaml", "--offline", "--format", "markdown"])
        #expect(markdown.stdout.contains("Manifest `manifests/team.yaml`, planned offline"), "\(markdown.stdout)")
        #expect(markdown.stdout.contains("```sql\n" + sql + "```\n"))
    }

    @Test func cloudFormationNamesTheManifestFromTheRepositoryRoot() throws {
        let (root, manifests) = try repository()
        #expect(try root.run(["policy", "./manifests/team.yaml", "--format", "cloudformation", "--out", "iac"]).status == 0)
        #expect(try manifests.run(["policy", "team.yaml", "--format", "cloudformation", "--out", "../iac-again"]).status == 0)
        let template = try #require(root.read("iac/team.cfn.json"))
        #expect(template.contains("\"Description\": \"IAM Identity Center permission sets that may connect to the databases of manifests/team.yaml (rds-db:connect)"), "\(template)")
        #expect(root.read("iac-again/team.cfn.json") == template)
    }

    /// Outside a repository: relative to the working directory, without `./`.
    @Test func outsideARepositoryTheManifestIsNamedFromTheWorkingDirectory() throws {
        let dbiam = try DBIAMProcess()
        try dbiam.write(try String(contentsOfFile: Self.prodManifest, encoding: .utf8), to: "team.yaml")
        #expect(try dbiam.run(["policy", "./team.yaml", "--format", "cloudformation", "--out", "typed"]).status == 0)
        #expect(try dbiam.run(["policy", "team.yaml", "--format", "cloudformation", "--out", "plain"]).status == 0)
        let template = try #require(dbiam.read("plain/team.cfn.json"))
        #expect(template.contains("the databases of team.yaml (rds-db:connect)"), "\(template)")
        #expect(dbiam.read("typed/team.cfn.json") == template)
    }
}
