import Testing
@testable import AWSAuth

struct AccessKeyAccountTests {
    /// A published example (the account's id is in the key since 2019), and keys made
    /// for this test with the reference decoder run backwards (Python, base64.b32encode).
    @Test(arguments: [
        ("ASIAY34FZKBOKMUTVV7A", "609629065308"),
        ("AKIAAAAAAAAAAAAAAAAA", nil),
        ("AKIAIOSFODNN7EXAMPLE", "581039954779"),
    ])
    func theAccountIsReadFromTheKeyId(id: String, account: String?) {
        #expect(AccessKeyAccount.account(ofAccessKeyID: id) == account)
    }

    @Test(arguments: ["AKIALOCALTEST0000001", "AKIA", "XKIAY34FZKBOKMUTVV7A", "ASIAY34FZKBOKMUTVV7a", "ASIAY34FZKBOKMUTVV7A1"])
    func idsThatCarryNoAccountGiveNone(id: String) {
        #expect(AccessKeyAccount.account(ofAccessKeyID: id) == nil)
    }
}
