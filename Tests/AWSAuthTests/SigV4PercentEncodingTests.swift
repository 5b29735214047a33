import Testing

@testable import AWSAuth

@Suite struct SigV4PercentEncodingTests {
    @Test func unreservedCharactersStay() {
        let unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
        #expect(SigV4PercentEncoding.encode(unreserved) == unreserved)
    }

    @Test(arguments: [
        (" ", "%20"),
        ("+", "%2B"),
        ("/", "%2F"),
        ("=", "%3D"),
        ("%", "%25"),
        ("*", "%2A"),
        ("&", "%26"),
        ("?", "%3F"),
        ("#", "%23"),
        (":", "%3A"),
        ("@", "%40"),
        ("'", "%27"),
        ("!", "%21"),
        ("\u{7F}", "%7F"),
        ("\u{0}", "%00"),
        ("\n", "%0A"),
    ])
    func reservedASCIIIsEncoded(character: String, encoded: String) {
        #expect(SigV4PercentEncoding.encode(character) == encoded)
    }

    @Test func hexDigitsAreUpperCase() {
        #expect(SigV4PercentEncoding.encode("\u{FF}") == "%C3%BF")
        #expect(SigV4PercentEncoding.encode("[]{}") == "%5B%5D%7B%7D")
    }

    @Test func nonASCIIIsEncodedAsUTF8Bytes() {
        #expect(SigV4PercentEncoding.encode("ü") == "%C3%BC")
        #expect(SigV4PercentEncoding.encode("用户") == "%E7%94%A8%E6%88%B7")
        #expect(SigV4PercentEncoding.encode("🚀") == "%F0%9F%9A%80")
    }

    @Test func composedAndDecomposedFormsStayDistinct() {
        // Signing uses the bytes given; normalizing would sign a different user name.
        #expect(SigV4PercentEncoding.encode("e\u{301}") == "e%CC%81")
        #expect(SigV4PercentEncoding.encode("\u{E9}") == "%C3%A9")
    }

    @Test func alreadyEncodedTextIsEncodedAgain() {
        #expect(SigV4PercentEncoding.encode("a%20b") == "a%2520b")
    }

    @Test func userNameFromTheReferenceVectors() {
        #expect(SigV4PercentEncoding.encode("ops user+1/a=b") == "ops%20user%2B1%2Fa%3Db")
    }

    @Test func emptyStaysEmpty() {
        #expect(SigV4PercentEncoding.encode("") == "")
    }
}
