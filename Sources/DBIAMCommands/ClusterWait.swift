import DBIAMEngine
import Synchronization

/// `waiting for cluster orders-prod (3 s)…` as a status line on a terminal's stderr while
/// a cluster takes more than 2 s to read, so that a slow or unanswering cluster does not
/// look like a hung dbiam. It is rewritten in place and erased when the reads end, and
/// only ever shown on a terminal: a log or a pipe never holds it.
final class ClusterWait: Sendable {
    /// Reads quicker than this show nothing.
    static let threshold = Duration.seconds(2)

    private struct State {
        /// When each cluster still being read began.
        var started: [String: ContinuousClock.Instant] = [:]
        var ticker: Task<Void, Never>?
        var finished = false
    }

    /// The line is shown and erased under this lock too, so none is shown after `finish`.
    private let state = Mutex(State())

    /// A wait shown on stderr, or nil when stderr is not a terminal.
    static func onTerminal() -> ClusterWait? {
        guard Terminal.stderrIsTerminal else { return nil }
        let wait = ClusterWait()
        let ticker = Task { [wait] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                wait.show()
            }
        }
        wait.state.withLock { $0.ticker = ticker }
        return wait
    }

    func update(_ progress: Fleet.Progress) {
        state.withLock { state in
            switch progress {
            case .started(let cluster): state.started[cluster] = .now
            case .finished(let cluster): state.started[cluster] = nil
            }
        }
    }

    /// The reads are over: the line goes away for good.
    func finish() {
        state.withLock { state in
            state.finished = true
            state.ticker?.cancel()
            Terminal.status(nil)
        }
    }

    private func show() {
        state.withLock { state in
            guard !state.finished else { return }
            let now = ContinuousClock.now
            let slow = state.started.filter { now - $0.value > Self.threshold }.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
            guard let oldest = slow.first else { return Terminal.status(nil) }
            Terminal.status(Self.line(clusters: slow.map(\.key), seconds: Int((now - oldest.value).components.seconds)))
        }
    }

    /// Three names at most, so that the time stays on the line.
    static func line(clusters: [String], seconds: Int) -> String {
        let names = clusters.prefix(3).joined(separator: ", ") + (clusters.count > 3 ? " and \(clusters.count - 3) more" : "")
        return "waiting for \(clusters.count == 1 ? "cluster" : "clusters") \(names) (\(seconds) s)…"
    }
}
