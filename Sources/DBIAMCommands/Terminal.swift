import FoundationEssentials
import Glibc
import HTTPClient
import Synchronization

/// Where dbiam talks to people: stdout for results, stderr for problems and progress
/// about problems. Colour only on a terminal, and never with --no-color or NO_COLOR.
enum Terminal {
    static func write(_ text: String) {
        clearingStatus { write(text, to: STDOUT_FILENO) }
    }

    static func writeError(_ text: String) {
        clearingStatus { write(text, to: STDERR_FILENO) }
    }

    /// The status line on stderr now, if one is.
    private static let statusShown = Mutex<String?>(nil)

    /// Erases the line the cursor is on, from its start.
    private static let eraseLine = "\r\u{1B}[K"

    /// Shows `text` as the status line, a line of stderr that the next one replaces and any
    /// other output erases first, so it never stays on the screen with what follows (nil:
    /// erases it). For a terminal only, which the caller checks: in a file or a pipe it
    /// would stay. Cut to the terminal's width: a line that wraps cannot be erased.
    static func status(_ text: String?) {
        let fitted = text.map { $0.count < stderrColumns ? $0 : $0.prefix(stderrColumns - 2) + "…" }
        statusShown.withLock { shown in
            guard shown != fitted else { return }
            write((shown == nil ? "" : eraseLine) + (fitted ?? ""), to: STDERR_FILENO)
            shown = fitted
        }
    }

    /// The width of the terminal on stderr; 80 when it does not say.
    private static var stderrColumns: Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 2 else { return 80 }
        return Int(size.ws_col)
    }

    private static func clearingStatus(_ body: () -> Void) {
        statusShown.withLock { shown in
            if shown != nil { write(eraseLine, to: STDERR_FILENO) }
            shown = nil
            body()
        }
    }

    /// All of `text`, or as much as the reader takes: when it went away (`dbiam plan |
    /// head`), the rest is dropped and the command goes on, so an apply still finishes
    /// and releases its locks. FileHandle.write would stop the program instead.
    private static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// What every error dbiam prints begins with: its own, and those swift-argument-parser
    /// prints for it (`DBIAM._errorPrefix`).
    static let errorPrefix = "dbiam: error: "

    /// `dbiam: error: …` on stderr.
    static func error(_ message: String) {
        writeError(errorPrefix + message + "\n")
    }

    /// A failure or a summary of one: the output people read shows it in its place, and
    /// stderr carries it (with `errorPrefix` before it) for scripts and logs that keep
    /// only errors; once when both are the same terminal or file.
    static func report(_ text: String, errorPrefix: String = "") {
        write(text)
        if !outputsAreOneFile { writeError(errorPrefix + text) }
    }

    private static let outputsAreOneFile: Bool = {
        var output = stat(), error = stat()
        guard fstat(STDOUT_FILENO, &output) == 0, fstat(STDERR_FILENO, &error) == 0 else { return false }
        return output.st_dev == error.st_dev && output.st_ino == error.st_ino
    }()

    static func warning(_ message: String) {
        writeError("dbiam: warning: \(message)\n")
    }

    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// Colour on a terminal unless `--no-color` or NO_COLOR with a value: no-color.org
    /// asks tools to ignore an empty NO_COLOR, which is how a shell unsets it for one run.
    static func useColor(noColorFlag: Bool) -> Bool {
        stdoutIsTerminal && !noColorFlag && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
    }

    /// Asks a yes/no question on the terminal; anything but `y`/`yes` is no.
    static func confirm(_ question: String) -> Bool {
        write(question + " ")
        guard let answer = readLine() else { return false }
        return ["y", "yes"].contains(answer.trimmingHorizontalWhitespace().lowercased())
    }
}
