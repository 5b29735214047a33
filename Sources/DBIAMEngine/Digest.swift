import AWSAuth
import Crypto
import DBIAMCore

/// SHA-256 in lower-case hex: manifest digests, live-state fingerprints, plan checksums.
public enum Digest {
    public static func sha256(_ bytes: some Sequence<UInt8>) -> String {
        Hex.lowerCase(SHA256.hash(data: Array(bytes)))
    }

    public static func sha256(_ text: String) -> String { sha256(text.utf8) }

    /// The fingerprint that tells whether a cluster changed between plan and apply.
    public static func fingerprint(_ state: LiveState) -> String { sha256(state.canonicalText) }
}
