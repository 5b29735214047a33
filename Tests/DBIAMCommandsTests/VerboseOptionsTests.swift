import Testing

@testable import DBIAMCommands

/// The times `-v` prints: a tenth of a millisecond below 10 ms, whole milliseconds above.
struct VerboseOptionsTests {
    @Test(arguments: [
        (Duration.microseconds(0), "0.0 ms"),
        (.microseconds(40), "0.0 ms"),
        (.microseconds(4_140), "4.1 ms"),
        (.microseconds(4_160), "4.2 ms"),
        (.microseconds(9_960), "10.0 ms"),
        (.microseconds(12_400), "12 ms"),
        (.microseconds(12_600), "13 ms"),
        (.seconds(3), "3000 ms"),
    ])
    func millisecondsAreRoundedToWhatMatters(duration: Duration, shown: String) {
        #expect(VerboseOptions.milliseconds(duration) == shown)
    }
}
