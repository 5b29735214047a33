internal import COpenSSL

/// The certificates a client trusts, shared by all its connections.
///
/// Sendable because OpenSSL allows one configured SSL_CTX to create sessions on any
/// thread; nothing changes it after `init`.
final class TLSContext: @unchecked Sendable {
    private let context: OpaquePointer

    /// Trusts the system's certificate authorities, or only those in `caBundle` (a PEM
    /// file, as AWS_CA_BUNDLE names one), and speaks TLS 1.2 or later.
    init(caBundle: String?) throws(HTTPError) {
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw .tls("OpenSSL could not make a TLS context: \(TLSContext.drainErrors())")
        }
        // A write that waits for the socket is retried with the same bytes, but they may
        // have moved in memory since.
        dbiam_ssl_ctx_accept_moving_write_buffer(context)
        guard dbiam_ssl_ctx_require_tls12(context) == 1 else {
            SSL_CTX_free(context)
            throw .tls("OpenSSL refused TLS 1.2 as the lowest version: \(TLSContext.drainErrors())")
        }
        let loaded =
            if let caBundle {
                SSL_CTX_load_verify_locations(context, caBundle, nil)
            } else {
                SSL_CTX_set_default_verify_paths(context)
            }
        guard loaded == 1 else {
            let problem = TLSContext.drainErrors()
            SSL_CTX_free(context)
            throw .badCABundle(path: caBundle ?? "the system's certificate store", problem: problem)
        }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        self.context = context
    }

    deinit {
        SSL_CTX_free(context)
    }

    /// A session for a server named `host`, checked against it: a DNS name against the
    /// certificate's names (and sent as SNI), an IP address against its IP addresses.
    fileprivate func session(for host: String) throws(HTTPError) -> OpaquePointer {
        guard let ssl = SSL_new(context) else {
            throw .tls("OpenSSL could not make a TLS session: \(TLSContext.drainErrors())")
        }
        let named: Bool
        if IPAddress.isLiteral(host) {
            named = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1
        } else {
            named = SSL_set1_host(ssl, host) == 1 && dbiam_ssl_set_server_name(ssl, host) == 1
        }
        guard named else {
            SSL_free(ssl)
            throw .tls("OpenSSL could not check certificates against the name '\(host)': \(TLSContext.drainErrors())")
        }
        return ssl
    }

    /// OpenSSL's queued errors of this thread as one line (the queue is left empty).
    static func drainErrors() -> String {
        var lines: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            lines.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return lines.isEmpty ? "no detail" : lines.joined(separator: "; ")
    }
}

/// TLS over a connected socket. OpenSSL reads and writes memory buffers, and this type
/// moves their bytes over the socket itself: so every wait is bounded by the deadline and
/// the cancellation flag, and a peer that went away never raises SIGPIPE.
final class TLSStream: ByteStream {
    private let socket: TCPSocket
    private let ssl: OpaquePointer
    /// The encrypted bytes that came from the socket (OpenSSL reads them).
    private let incoming: OpaquePointer
    /// The encrypted bytes OpenSSL wrote for the socket.
    private let outgoing: OpaquePointer
    private let host: String
    /// Decrypted bytes as one read gives them, and encrypted bytes on their way in: made
    /// once per connection rather than at every read.
    private var plaintext = [UInt8](repeating: 0, count: 16_384)
    private var ciphertext: [UInt8] = []

    /// Runs the handshake; fails unless the server proves it is `host` with a
    /// certificate the context trusts.
    init(over socket: TCPSocket, host: String, context: TLSContext, until deadline: ContinuousClock.Instant)
        throws(HTTPError)
    {
        let ssl = try context.session(for: host)
        let incoming = BIO_new(BIO_s_mem())
        let outgoing = BIO_new(BIO_s_mem())
        guard let incoming, let outgoing else {
            BIO_free(incoming)
            BIO_free(outgoing)
            SSL_free(ssl)
            throw .tls("OpenSSL could not allocate buffers: \(TLSContext.drainErrors())")
        }
        // The session owns both buffers from here and frees them with itself.
        SSL_set_bio(ssl, incoming, outgoing)
        SSL_set_connect_state(ssl)
        self.socket = socket
        self.ssl = ssl
        self.incoming = incoming
        self.outgoing = outgoing
        self.host = host
        do throws(HTTPError) {
            guard try perform(until: deadline, { SSL_do_handshake($0) }) != nil else {
                throw .connectionLost("\(host) closed the connection during the TLS handshake")
            }
        } catch .tls(let problem) {
            let verification = SSL_get_verify_result(ssl)
            guard verification != Int(X509_V_OK) else { throw .tls(problem) }
            throw .untrustedServer(host: host, problem: String(cString: X509_verify_cert_error_string(verification)))
        }
    }

    deinit {
        SSL_free(ssl)
    }

    var isOpenAndQuiet: Bool { socket.isOpenAndQuiet }

    func write(_ bytes: [UInt8], until deadline: ContinuousClock.Instant) throws(HTTPError) {
        var written = 0
        while written < bytes.count {
            let sent = try perform(until: deadline) { ssl in
                bytes[written...].withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32(clamping: $0.count)) }
            }
            guard let sent else { throw .connectionLost("\(host) closed the connection while the request was sent") }
            written += sent
        }
    }

    func read(into buffer: inout [UInt8], until deadline: ContinuousClock.Instant) throws(HTTPError) -> Int {
        let read = try perform(until: deadline) { ssl in
            plaintext.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
        }
        // The server closed the stream, with or without saying so in TLS first.
        guard let count = read else { return 0 }
        buffer.append(contentsOf: plaintext[..<count])
        return count
    }

    /// Calls `operation` until OpenSSL needs nothing more from the socket, sending what
    /// it wrote and feeding it what arrives. Returns the operation's positive result, or
    /// nil when the server has closed the stream.
    private func perform(until deadline: ContinuousClock.Instant, _ operation: (OpaquePointer) -> Int32)
        throws(HTTPError) -> Int?
    {
        while true {
            ERR_clear_error()
            let result = operation(ssl)
            try flush(until: deadline)
            if result > 0 { return Int(result) }
            switch SSL_get_error(ssl, result) {
            case SSL_ERROR_WANT_READ:
                ciphertext.removeAll(keepingCapacity: true)
                guard try socket.read(into: &ciphertext, until: deadline) > 0 else { return nil }
                _ = ciphertext.withUnsafeBytes { BIO_write(incoming, $0.baseAddress, Int32($0.count)) }
            case SSL_ERROR_ZERO_RETURN:
                return nil
            case SSL_ERROR_SSL:
                throw .tls(TLSContext.drainErrors())
            default:
                throw .tls("TLS failed with OpenSSL error \(SSL_get_error(ssl, result)): \(TLSContext.drainErrors())")
            }
        }
    }

    /// Sends everything OpenSSL has written so far.
    private func flush(until deadline: ContinuousClock.Instant) throws(HTTPError) {
        while BIO_ctrl_pending(outgoing) > 0 {
            var encrypted = [UInt8](repeating: 0, count: Int(BIO_ctrl_pending(outgoing)))
            let count = encrypted.withUnsafeMutableBytes { BIO_read(outgoing, $0.baseAddress, Int32($0.count)) }
            guard count > 0 else { return }
            encrypted.removeLast(encrypted.count - Int(count))
            try socket.write(encrypted, until: deadline)
        }
    }
}
