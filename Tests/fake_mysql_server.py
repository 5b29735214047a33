#!/usr/bin/env python3
"""A server that pretends to be MySQL to steal passwords, for dbiam's security tests.

It speaks just enough of the protocol for a client to log in: the greeting, the TLS
upgrade when it offers TLS, the client's handshake response, then a request to switch
to mysql_clear_password (which would make a careless client send its password as it
is). Everything the client sends after the greeting, decrypted, is appended to the
--record file, so a test can check that no password ever arrived.

    fake_mysql_server.py --port-file F --record R [--cert C --key K] [--greeting-plugin P]

Serves connections until killed; writes the port it listens on to --port-file.
"""
import argparse
import os
import socket
import ssl
import struct

CAPABILITIES = (
    0x00000001  # CLIENT_LONG_PASSWORD (also "a MySQL server" to libmariadb)
    | 0x00000200  # CLIENT_PROTOCOL_41
    | 0x00002000  # CLIENT_TRANSACTIONS
    | 0x00008000  # CLIENT_SECURE_CONNECTION
    | 0x00010000  # CLIENT_MULTI_STATEMENTS
    | 0x00020000  # CLIENT_MULTI_RESULTS
    | 0x00080000  # CLIENT_PLUGIN_AUTH
    | 0x00200000  # CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
)
CLIENT_SSL = 0x00000800


def packet(sequence, payload):
    return struct.pack("<I", len(payload))[:3] + bytes([sequence & 0xFF]) + payload


def read_packet(stream):
    header = read_exactly(stream, 4)
    if header is None:
        return None, None
    length = header[0] | header[1] << 8 | header[2] << 16
    return header[3], read_exactly(stream, length)


def read_exactly(stream, count):
    data = b""
    while len(data) < count:
        chunk = stream.recv(count - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def greeting(offers_tls, plugin):
    capabilities = CAPABILITIES | (CLIENT_SSL if offers_tls else 0)
    scramble = b"abcdefgh" + b"ijklmnopqrst"
    return (
        b"\x0a" + b"8.0.36-fake\x00" + struct.pack("<I", 7) + scramble[:8] + b"\x00"
        + struct.pack("<H", capabilities & 0xFFFF) + b"\x21" + struct.pack("<H", 2)
        + struct.pack("<H", capabilities >> 16) + bytes([21]) + b"\x00" * 10
        + scramble[8:] + b"\x00" + plugin.encode() + b"\x00"
    )


def serve(connection, arguments, record):
    stream = connection
    stream.sendall(packet(0, greeting(arguments.cert is not None, arguments.greeting_plugin)))
    sequence, payload = read_packet(stream)
    if payload is None:
        return
    if len(payload) == 32 and struct.unpack("<I", payload[:4])[0] & CLIENT_SSL:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(arguments.cert, arguments.key)
        try:
            stream = context.wrap_socket(connection, server_side=True)
        except (ssl.SSLError, OSError) as error:
            record.write(f"tls handshake failed: {error}\n".encode())
            return
        sequence, payload = read_packet(stream)
        if payload is None:
            return
    record.write(b"handshake response: " + payload + b"\n")
    stream.sendall(packet(sequence + 1, b"\xfe" + b"mysql_clear_password\x00"))
    sequence, payload = read_packet(stream)
    if payload is not None:
        record.write(b"after switch: " + payload + b"\n")
        stream.sendall(packet(sequence + 1, b"\xff" + struct.pack("<H", 1045) + b"#28000Access denied (fake server)"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--record", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--greeting-plugin", default="mysql_native_password")
    arguments = parser.parse_args()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    with open(arguments.port_file + ".tmp", "w") as port_file:
        port_file.write(str(listener.getsockname()[1]))
    os.replace(arguments.port_file + ".tmp", arguments.port_file)
    while True:
        connection, _ = listener.accept()
        with connection, open(arguments.record, "ab", buffering=0) as record:
            record.write(b"connection\n")
            try:
                serve(connection, arguments, record)
            except (OSError, ssl.SSLError) as error:
                record.write(f"error: {error}\n".encode())


if __name__ == "__main__":
    main()
