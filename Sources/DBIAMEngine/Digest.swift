import AWSAuth
import Crypto

/// SHA-256 in lower-case hex: manifest digests, live-state fingerprints, plan checksums.
public enum Digest {
    public static func sha256(_ bytes: some Sequence<UInt8>) -> String {
        Hex.lowerCase(SHA256.hash(data: Array(bytes)))
    }

    public static func sha256(_ text: String) -> String { sha256(text.utf8) }
}
