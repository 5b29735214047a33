import DBIAMCore
import Foundation

/// 200 IAM users managed by dbiam and by Ansible's `community.mysql.mysql_user` (one
/// task per user, bench/ansible/users.yml): check mode and apply mode on a server
/// where the users already exist. Ansible takes close to a second per user on this
/// machine, so each of its figures is one run, and creating the users from empty (as
/// long again) is left out to keep `make bench` within its ten minutes.
enum AnsibleFigures {
    static let userCount = 200

    static func measure(_ run: BenchRun) throws(BenchError) -> [Figure] {
        let names = (0..<userCount).map { BenchServer.userPrefix + "a" + pad($0, 3) }
        let cluster = ManifestGenerator.LocalCluster(name: "bench-local", port: run.server.options.port, users: names)
        let manifest = try run.write(ManifestGenerator.local([cluster], host: run.server.options.host, caFile: run.caFile), to: "ansible.yaml")
        let variables = try run.write(extraVariables(names, run), to: "ansible-vars.json")
        let outDirectory = run.path("out-ansible")
        let playbook = Playbook(bench: run, variables: variables)
        let method = "dbiam: median of \(run.runs); Ansible: 1 run"

        // The users exist (dbiam made them): nothing to change.
        try run.server.removeBenchAccounts()
        try run.measure(
            run.dbiam(["apply", manifest, "--auto-approve", "--out-dir", outDirectory], log: "ansible-dbiam-create"),
            what: "dbiam apply of \(userCount) new users")
        try ApplyFigures.expectAccounts(userCount, run)
        run.progress("ansible: no-change runs of dbiam plan and apply")
        var dbiamPlan: [Double] = [], dbiamApply: [Double] = []
        for _ in 0..<run.runs {
            dbiamPlan.append(try run.measure(
                run.dbiam(["plan", manifest, "--detailed-exitcode", "--out-dir", outDirectory], log: "ansible-dbiam-plan"),
                what: "dbiam plan of \(userCount) unchanged users").seconds)
            dbiamApply.append(try run.measure(
                run.dbiam(["apply", manifest, "--auto-approve", "--out-dir", outDirectory], log: "ansible-dbiam-apply"),
                what: "dbiam apply of \(userCount) unchanged users").seconds)
        }
        run.progress("ansible: ansible-playbook --check on the existing users (one run)")
        let ansibleCheck = try playbook.run(check: true)
        run.progress("ansible: ansible-playbook on the existing users (one run)")
        let ansibleApply = try playbook.run(check: false)
        try run.server.removeBenchAccounts()

        let reference = "ansible-playbook bench/ansible/users.yml (community.mysql.mysql_user per user)"
        return [
            Figure(
                "no-change plan, \(userCount) users vs Ansible --check", reference: reference + " --check", unit: .seconds,
                dbiam: Timing.median(dbiamPlan), reference: ansibleCheck, target: .ratio(0.01), method: method),
            Figure(
                "no-change apply, \(userCount) users vs Ansible", reference: reference, unit: .seconds,
                dbiam: Timing.median(dbiamApply), reference: ansibleApply, target: .ratio(0.01), method: method),
        ]
    }

    /// The users and the login, as Ansible extra variables (the password is not here:
    /// the playbook reads it from the environment).
    private static func extraVariables(_ names: [String], _ run: BenchRun) -> String {
        let options = run.server.options
        let document = JSONText.object([
            ("bench_users", .array(names.map(JSONText.string))),
            ("login_host", .string(options.host)),
            ("login_port", .number(options.port)),
            ("login_user", .string(options.user)),
            ("ca_cert", .string(run.caFile)),
        ])
        return document.rendered()
    }

    private struct Playbook {
        var bench: BenchRun
        var variables: String

        /// Runs the playbook once and returns its wall time; checks from Ansible's recap
        /// that it changed nothing, as dbiam did not.
        func run(check: Bool) throws(BenchError) -> Double {
            let log = check ? "ansible-check" : "ansible-apply"
            var environment = bench.environment
            environment["ANSIBLE_HOME"] = bench.path("ansible-home")
            environment["ANSIBLE_LOCAL_TEMP"] = bench.path("ansible-home/tmp")
            environment["ANSIBLE_NOCOLOR"] = "1"
            environment["ANSIBLE_LOCALHOST_WARNING"] = "False"
            environment["ANSIBLE_INVENTORY_UNPARSED_WARNING"] = "False"
            // Pipelining is the usual speed setting; it makes Ansible faster, never slower.
            environment["ANSIBLE_PIPELINING"] = "True"
            let child = ChildProcess(
                executable: bench.programs.ansiblePlaybook,
                arguments: ["-i", "localhost,", bench.programs.benchDirectory + "/ansible/users.yml", "-e", "@" + variables]
                    + (check ? ["--check"] : []),
                environment: environment, output: bench.path("\(log).out"), errors: bench.path("\(log).err"))
            let finished = try bench.measure(child, what: "ansible-playbook\(check ? " --check" : "")")
            let output = (try? String(contentsOfFile: bench.path("\(log).out"), encoding: .utf8)) ?? ""
            guard let changed = Self.changedTasks(output) else {
                throw .failed("ansible-playbook printed no recap; it ended with:\n" + output.split(separator: "\n").suffix(8).joined(separator: "\n"))
            }
            guard changed == 0 else {
                throw .failed("ansible-playbook\(check ? " --check" : "") reported changed=\(changed) on users dbiam had just made; the two disagree on what the users should be")
            }
            return finished.seconds
        }

        /// `changed=N` from the `PLAY RECAP` line of localhost.
        static func changedTasks(_ output: String) -> Int? {
            guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("localhost") && $0.contains("changed=") }),
                let field = line.split(separator: " ").first(where: { $0.hasPrefix("changed=") })
            else { return nil }
            return Int(field.dropFirst("changed=".count))
        }
    }
}
