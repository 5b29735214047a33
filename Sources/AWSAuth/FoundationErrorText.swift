import FoundationEssentials
import Glibc

/// The sentences Foundation's `localizedDescription` made of the errors that dbiam's
/// messages quote: a file that cannot be read, standard input that fails, a program that
/// cannot be started. FoundationEssentials has no `localizedDescription`, so they are
/// made here, word for word as swift-corelibs-foundation made them, and the messages
/// read as they did. Here, the lowest module that quotes them, for the others to use.
public enum FoundationErrorText {
    /// A `CocoaError` without a description of its own, such as those `Data(contentsOf:)`
    /// throws: `The operation could not be completed. You don’t have permission.`
    public static func sentence(_ code: CocoaError.Code) -> String {
        "The operation could not be completed. " + (fileReasons[code.rawValue] ?? "(NSCocoaErrorDomain error \(code.rawValue).)")
    }

    /// The error Foundation made of `errno` when a read, or starting a program, failed
    /// (FileHandle's and Process's): a few numbers have a reason of their own, the rest
    /// only a code.
    public static func sentence(readingErrno errorNumber: Int32) -> String {
        switch errorNumber {
        case EFBIG: sentence(.fileReadTooLarge)
        case ENOENT: sentence(.fileReadNoSuchFile)
        case EPERM, EACCES: sentence(.fileReadNoPermission)
        default: sentence(.fileReadUnknown)
        }
    }

    /// A POSIX error as such, for example when a pipe for a program cannot be made.
    public static func sentence(posixErrno errorNumber: Int32) -> String {
        "The operation could not be completed. " + String(cString: strerror(errorNumber))
    }

    /// Foundation's reasons for the codes of file reading; other codes have none.
    private static let fileReasons: [Int: String] = [
        CocoaError.Code.fileNoSuchFile.rawValue: "The file doesn’t exist.",
        CocoaError.Code.fileLocking.rawValue: "The file couldn’t be locked.",
        CocoaError.Code.fileReadNoPermission.rawValue: "You don’t have permission.",
        CocoaError.Code.fileReadInvalidFileName.rawValue: "The file name is invalid.",
        CocoaError.Code.fileReadCorruptFile.rawValue: "The file isn’t in the correct format.",
        CocoaError.Code.fileReadNoSuchFile.rawValue: "The file doesn’t exist.",
        CocoaError.Code.fileReadInapplicableStringEncoding.rawValue: "The specified text encoding isn’t applicable.",
        CocoaError.Code.fileReadUnsupportedScheme.rawValue: "The specified URL type isn’t supported.",
        CocoaError.Code.fileReadTooLarge.rawValue: "The item is too large.",
        CocoaError.Code.fileReadUnknownStringEncoding.rawValue: "The text encoding of the contents couldn’t be determined.",
    ]
}
