#!/usr/bin/env python3
"""Servers for dbiam's HTTP client tests, on 127.0.0.1, standard library only.

--mode http     an HTTP/1.1 server (TLS with --cert/--key) whose answers the path picks:
                /ok, /status/N, /chunked, /close, /http10, /large/N, /claims/N, /truncated,
                /garbage, /silent, /huge-header; every answer carries X-Connection, the
                serial number of the connection it came on, so a test sees reuse.
--mode forward  TLS with --cert/--key in front of --target HOST:PORT (the AWS stand-in).
--mode proxy    a CONNECT proxy; --credentials USER:PASSWORD makes it answer 407 without them.

The port is written to --port-file once the server listens; each request line (or
CONNECT line with its Proxy-Authorization) is appended to --record.
"""
import argparse
import base64
import http.server
import itertools
import socket
import socketserver
import os
import ssl
import threading
import time

serials = itertools.count(1)


def record(path, line):
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(line + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.serial = next(serials)

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.do_GET()

    def do_GET(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        record(self.server.record, f"{self.command} {self.path} {len(body)}")
        parts = self.path.strip("/").split("/")
        name = parts[0]
        if name == "ok":
            self.answer(200, b"hello " + body)
        elif name == "status":
            self.answer(int(parts[1]), b"status " + parts[1].encode())
        elif name == "chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("X-Connection", str(self.serial))
            self.end_headers()
            for chunk in (b"first ", b"second ", b"x" * 70000):
                self.wfile.write(b"%x;ext=1\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\nTrailer: yes\r\n\r\n")
        elif name == "close":
            self.answer(200, b"closing", close=True)
        elif name == "http10":
            self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end")
            self.close_connection = True
        elif name == "large":
            self.answer(200, b"y" * int(parts[1]))
        elif name == "claims":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: %s\r\n\r\nsome" % parts[1].encode())
            self.close_connection = True
        elif name == "truncated":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part")
            self.close_connection = True
        elif name == "garbage":
            self.wfile.write(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")
            self.close_connection = True
        elif name == "silent":
            time.sleep(30)
        elif name == "huge-header":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Filler: " + b"z" * 70000 + b"\r\nContent-Length: 0\r\n\r\n")
            self.close_connection = True
        else:
            self.answer(404, b"no such path")

    def answer(self, status, body, close=False):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Connection", str(self.serial))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def pump(source, destination):
    try:
        while data := source.recv(65536):
            destination.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, destination):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def relay(client, host, port):
    upstream = socket.create_connection((host, port))
    threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
    pump(client, upstream)


def serve_forward(listener, context, target):
    host, port = target.rsplit(":", 1)
    while True:
        client, _ = listener.accept()

        def handle(client=client):
            try:
                secure = context.wrap_socket(client, server_side=True)
            except (ssl.SSLError, OSError):
                client.close()
                return
            relay(secure, host, int(port))

        threading.Thread(target=handle, daemon=True).start()


def serve_proxy(listener, credentials, log):
    expected = "Basic " + base64.b64encode(credentials.encode()).decode() if credentials else None
    while True:
        client, _ = listener.accept()

        def handle(client=client):
            head = b""
            while b"\r\n\r\n" not in head:
                data = client.recv(4096)
                if not data:
                    client.close()
                    return
                head += data
            lines = head.decode("latin-1").split("\r\n")
            authorization = next((l.split(":", 1)[1].strip() for l in lines if l.lower().startswith("proxy-authorization:")), None)
            record(log, f"{lines[0]} auth={authorization}")
            method, target, _ = lines[0].split(" ", 2)
            if method != "CONNECT":
                client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
                client.close()
                return
            if expected and authorization != expected:
                client.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
                client.close()
                return
            host, port = target.rsplit(":", 1)
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            relay(client, host.strip("[]"), int(port))

        threading.Thread(target=handle, daemon=True).start()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["http", "forward", "proxy"], required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--record")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--target")
    parser.add_argument("--credentials")
    options = parser.parse_args()

    context = None
    if options.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(options.cert, options.key)

    if options.mode == "http":
        server = Server(("127.0.0.1", 0), Handler)
        server.record = options.record
        if context:
            server.socket = context.wrap_socket(server.socket, server_side=True)
        port = server.server_address[1]
        run = server.serve_forever
    else:
        listener = socket.create_server(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        if options.mode == "forward":
            run = lambda: serve_forward(listener, context, options.target)
        else:
            run = lambda: serve_proxy(listener, options.credentials, options.record)
    with open(options.port_file + ".tmp", "w") as out:
        out.write(str(port))
    os.replace(options.port_file + ".tmp", options.port_file)
    run()


if __name__ == "__main__":
    main()
