import FoundationEssentials

/// Internet date-times (RFC 3339, the profile of ISO 8601 that AWS uses), such as
/// `2026-11-29T12:00:00Z`, `2026-11-29T21:00:00+09:00` or `2026-11-29T12:00:00.250Z`.
/// credential_process and `aws configure export-credentials` write expirations this
/// way, and `dbiam token --at` reads one.
public enum RFC3339 {
    /// The moment `text` names, or nil unless it is a full RFC 3339 date-time: date,
    /// `T` (or `t`, or a space), time with seconds, optional fraction, and `Z` or an
    /// offset `±HH:MM`.
    public static func date(from text: String) -> Date? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.number(digits: 4), scanner.skip("-"),
            let month = scanner.number(digits: 2), scanner.skip("-"),
            let day = scanner.number(digits: 2), scanner.skip("T") || scanner.skip("t") || scanner.skip(" "),
            let hour = scanner.number(digits: 2), scanner.skip(":"),
            let minute = scanner.number(digits: 2), scanner.skip(":"),
            let second = scanner.number(digits: 2)
        else { return nil }
        let fraction = scanner.skip(".") ? scanner.fraction() : 0
        guard let fraction, let offsetSeconds = scanner.offsetSeconds(), scanner.isAtEnd,
            let wholeSeconds = UTCTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second).date
        else { return nil }
        return wholeSeconds.addingTimeInterval(fraction - TimeInterval(offsetSeconds))
    }

    /// `yyyy-MM-ddTHH:mm:ssZ` in UTC, whole seconds.
    public static func string(from date: Date) -> String {
        let time = UTCTime(date)
        return time.digits(\.year, 4) + "-" + time.digits(\.month, 2) + "-" + time.digits(\.day, 2) + "T"
            + time.digits(\.hour, 2) + ":" + time.digits(\.minute, 2) + ":" + time.digits(\.second, 2) + "Z"
    }
}

private struct DigitScanner {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { position == bytes.count }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard position < bytes.count, bytes[position] == UInt8(ascii: character) else { return false }
        position += 1
        return true
    }

    mutating func number(digits count: Int) -> Int? {
        guard position + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[position..<position + count] {
            guard let digit = Self.digit(byte) else { return nil }
            value = value * 10 + digit
        }
        position += count
        return value
    }

    /// The digits after a decimal point, as a fraction of a second; at least one digit.
    mutating func fraction() -> TimeInterval? {
        var digits = ""
        while position < bytes.count, Self.digit(bytes[position]) != nil {
            digits.unicodeScalars.append(Unicode.Scalar(bytes[position]))
            position += 1
        }
        return digits.isEmpty ? nil : TimeInterval("0." + digits)
    }

    /// `Z`, `z` or `±HH:MM`, as seconds east of UTC.
    mutating func offsetSeconds() -> Int? {
        if skip("Z") || skip("z") { return 0 }
        let sign: Int
        if skip("+") {
            sign = 1
        } else if skip("-") {
            sign = -1
        } else {
            return nil
        }
        guard let hours = number(digits: 2), skip(":"), let minutes = number(digits: 2), hours < 24, minutes < 60
        else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }

    private static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
