import ArgumentParser
import DBIAMCore
import DBIAMEngine
import FoundationEssentials

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a saved plan, or plan a manifest anew and apply it after asking.",
        discussion: """
            With a saved plan (PLAN.json, from any directory) or no argument (the plan the \
            last dbiam plan saved), applies it without asking: reviewing it was the approval. \
            Each cluster is locked, read and planned again from the manifest; apply runs only \
            when that plan equals the saved one (it never runs statements from the file), says \
            which accounts changed when it does not, and says "already applied" when the changes \
            are there. With a manifest, plans anew, prints the plan and asks before applying \
            (--auto-approve skips the question). Access is taken away before any is given \
            (REVOKE, DROP USER, then CREATE USER, ALTER USER, GRANT). The first Ctrl-C or SIGTERM \
            finishes the statements in flight, releases the locks, reports and exits 130 or 143; \
            the second exits at once. --json prints JSON Lines instead of the progress lines: an \
            object per statement and per attached policy write, and a summary object.
            """
    )

    @Argument(help: ArgumentHelp(
        "A saved plan to apply, or a manifest to plan and apply now; without it, the plan the last dbiam plan saved.",
        valueName: "plan-or-manifest"))
    var input: String?

    /// Like Terraform's, accepted with a saved plan too, which is applied without asking anyway.
    @Flag(name: .customLong("auto-approve"), help: "Apply a manifest's new plan without asking.")
    var autoApprove = false

    @Flag(name: .customLong("allow-mass-drop"), help: "Apply a plan that drops more of a cluster's IAM users than --max-drop-percent allows.")
    var allowMassDrop = false

    /// `.unconditional`: `-5s` is a value for validate() to refuse, not a flag.
    @Option(name: .customLong("lock-timeout"), parsing: .unconditional, help: ArgumentHelp(
        "How long to wait while another dbiam apply holds a cluster's lock, such as 30s or 2m; 0 fails at once.",
        valueName: "duration"))
    var lockTimeout = "0"

    /// `--lock-timeout`, valid after validate().
    var lockWait: LockTimeout { LockTimeout(lockTimeout) ?? .zero }

    @OptionGroup var clusterOptions: ClusterOptions

    @OptionGroup var colorOptions: ColorOptions

    @Flag(help: "Print one JSON object per statement as it runs and a summary object, one per line (JSON Lines), instead of the progress lines.")
    var json = false

    func validate() throws {
        guard let wait = LockTimeout(lockTimeout), wait.seconds <= LockTimeout.maximumSeconds else {
            throw ValidationError("--lock-timeout needs a duration of at most 24h, such as 30s, 2m or 1h30m (0: fail at once), not '\(lockTimeout)'.")
        }
        if input?.isEmpty == true { throw ValidationError("Give dbiam apply a saved plan or a manifest, not an empty argument.") }
        if let input, FileManager.default.isDirectory(input) {
            throw ValidationError("\(input) is a folder; give the plan in it (dbiam apply \(FilePaths.shellWord(FilePaths.appending("plan.json", to: input)))) or a manifest.")
        }
        if appliesSavedPlan, !clusterOptions.clusters.isEmpty {
            throw ValidationError("--cluster limits planning; a saved plan already holds the clusters it was made for.")
        }
        // A question has no place in a stream of JSON, nor a plan printed for people.
        if json, let input, !SavedPlan.isPlan(input), !autoApprove {
            throw ValidationError("--json with a manifest needs --auto-approve, as nothing can be asked in JSON; or run dbiam plan, review the plan and apply it with dbiam apply --json PLAN.json.")
        }
    }

    /// No argument, or a plan file; `-` is a manifest on standard input, whatever is in a file of that name.
    private var appliesSavedPlan: Bool {
        input.map { $0 != ManifestFile.standardInput && SavedPlan.isPlan($0) } ?? true
    }

    func run() async throws {
        if let input, !appliesSavedPlan {
            try await planAndApply(input)
        } else {
            try await applySaved(try input ?? lastPlanPath())
        }
    }

    private func planAndApply(_ path: String) async throws {
        let planning = try await Planning.load(path, options: clusterOptions, offline: false)
        let (plan, readings) = try await planning.makePlan()
        let (run, unsaved) = try planning.save(plan, encoded: SavedPlan.Encoded(plan), readings: readings)
        if !json { Terminal.write(PlanTextRenderer(color: colorOptions.useColor).render(plan, run: run)) }
        planning.warn(about: plan)
        // Not applied: what apply applies is a plan saved, and this one could not be.
        if let unsaved { throw planning.reportUnsaved(unsaved) }
        if let reason = plan.whyNotApplicable {
            Terminal.error("this plan cannot be applied: \(reason); nothing was applied.")
            throw ExitCodes.failure
        }
        let report = ApplyReport(json: json, planPath: planning.layout.planPath)
        guard plan.hasChanges else {
            // The plan printed says so in text; JSON has only the summary to say it.
            report.finish("no_changes")
            return
        }
        try refuseMassDrops(plan)
        if !autoApprove {
            guard Terminal.stdinIsTerminal else {
                Terminal.error("apply needs a confirmation, and there is no terminal to ask on; review the plan and run dbiam apply --auto-approve, or apply the saved plan with dbiam apply \(FilePaths.shellWord(planning.layout.planPath)).")
                throw ExitCodes.failure
            }
            guard Terminal.confirm("\nApply these changes? [y/N]") else {
                Terminal.write("Apply cancelled; nothing was changed.\n")
                throw ExitCodes.failure
            }
        }
        let applying = Applying(
            file: planning.file, builder: planning.builder(planFolder: planning.layout.folder), options: clusterOptions,
            allowMassDrop: allowMassDrop, lockTimeout: lockWait, aws: planning.awsReader(), report: report)
        try await applying.run(plan, sessions: readings)
    }

    /// Applies a saved plan once it is known to be one dbiam wrote, for this manifest as
    /// it is now, made by this dbiam, and applicable.
    private func applySaved(_ planPath: String) async throws {
        let saved: Plan
        do {
            saved = try SavedPlan.load(planPath)
        } catch {
            Terminal.error(error.message(command: "apply") + " Nothing was changed.")
            throw ExitCodes.failure
        }
        let planFolder = FilePaths.physical(FilePaths.folder(of: planPath))
        // The plan of a manifest read from standard input reads it there again.
        let fromStandardInput = saved.manifest == ManifestFile.standardInput
        let manifestPath = fromStandardInput ? saved.manifest : FilePaths.absolute(saved.manifest, from: planFolder)
        let manifestName = fromStandardInput ? ManifestFile.name(of: manifestPath) : FilePaths.display(manifestPath)
        let manifestArgument = fromStandardInput ? manifestPath : FilePaths.shellWord(manifestName)
        // In JSON the summary names the plan.
        if !json { Terminal.write("Applying \(planPath), the plan of \(manifestName): \(saved.summary.counts).\n") }
        if saved.dbiamVersion != DBIAM.configuration.version {
            Terminal.error("\(planPath) was made by dbiam \(saved.dbiamVersion), and this is dbiam \(DBIAM.configuration.version), which may plan differently; run dbiam plan \(manifestArgument) again. Nothing was changed.")
            throw ExitCodes.failure
        }
        if let reason = saved.whyNotApplicable {
            let remedy = saved.offline
                ? "run dbiam plan \(manifestArgument) without --offline"
                : "make the clusters reachable, or leave them out with --cluster, and run dbiam plan \(manifestArgument) again"
            Terminal.error("\(planPath) cannot be applied: \(reason); \(remedy). Nothing was changed.")
            throw ExitCodes.failure
        }
        // The digest first: a file that is not the manifest planned is not even parsed.
        let bytes: [UInt8]
        if fromStandardInput {
            do {
                bytes = try ManifestFile.readStandardInput()
            } catch {
                Terminal.error("\(planPath) is the plan of a manifest read from standard input, which apply reads again to check that it is the same, but \(error.problem.map { "it \($0)" } ?? "standard input is a terminal"); send it the same manifest: dbiam apply \(FilePaths.shellWord(planPath)) < MANIFEST. Nothing was changed.")
                throw ExitCodes.failure
            }
        } else if let contents = FileManager.default.contents(atPath: manifestPath) {
            bytes = [UInt8](contents)
        } else {
            Terminal.error("\(planPath) is the plan of \(manifestName), which is not there any more; nothing was changed.")
            throw ExitCodes.failure
        }
        if Digest.sha256(bytes) != saved.manifestDigest {
            Terminal.error("the saved plan is stale: \(manifestName) changed since it was planned; run dbiam plan \(manifestArgument) again. Nothing was changed.")
            throw ExitCodes.failure
        }
        let file = try ManifestFile.load(fromStandardInput ? manifestPath : FilePaths.relative(manifestPath), bytes: bytes, lint: true)
        var options = clusterOptions
        options.clusters = saved.clusters.map(\.name)
        let planning = Planning(file: file, options: options)
        let builder = planning.builder(planFolder: planFolder)
        if let difference = builder.differenceFromManifest(saved, documents: file.policyDocuments) {
            Terminal.error("\(planPath) does not match what dbiam plans from \(manifestName): \(difference). It was changed after dbiam plan made it; run dbiam plan again rather than editing the plan. Nothing was changed.")
            throw ExitCodes.failure
        }
        try refuseMassDrops(saved)
        let sessions = await Fleet.connect(try planning.selectedClusters(), login: planning.login(), parallelism: options.parallelism)
        let report = ApplyReport(json: json, planPath: planPath)
        try await Applying(
            file: file, builder: builder, options: options, allowMassDrop: allowMassDrop, lockTimeout: lockWait,
            aws: planning.awsReader(), report: report)
            .run(saved, sessions: sessions)
    }

    /// The plan the last `dbiam plan` saved, or why there is none to apply.
    private func lastPlanPath() throws -> String {
        let root = clusterOptions.outDirectory
        guard FileManager.default.fileExists(atPath: OutputLayout.lastPlanPointer(root: root)) else {
            Terminal.error("there is no saved plan in \(root)/; run dbiam plan MANIFEST first, or give dbiam apply a plan file or a manifest.")
            throw ExitCodes.failure
        }
        guard let last = LastPlan.read(root: root) else {
            Terminal.error("\(OutputLayout.lastPlanPointer(root: root)) was written by another dbiam; run dbiam plan MANIFEST again, or give dbiam apply the plan file.")
            throw ExitCodes.failure
        }
        guard let plan = last.plan else {
            Terminal.error("the last dbiam plan, of \(last.failedManifest ?? "a manifest"), saved no plan: \(last.failure ?? "it failed"). Fix it and run dbiam plan again, or give dbiam apply the plan file to apply.")
            throw ExitCodes.failure
        }
        return FilePaths.appending(plan, to: root)
    }

    /// A plan that drops most of a cluster's IAM users is more often a broken manifest
    /// than an intent; it needs --allow-mass-drop.
    private func refuseMassDrops(_ plan: Plan) throws {
        let massDrops = allowMassDrop ? [] : clusterOptions.massDrops(in: plan)
        guard !massDrops.isEmpty else { return }
        for drop in massDrops {
            Terminal.error("\(clusterOptions.describe(drop)); if that is intended, run dbiam apply again with --allow-mass-drop.")
        }
        Terminal.error("nothing was applied.")
        throw ExitCodes.failure
    }
}
