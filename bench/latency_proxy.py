"""A TCP proxy that adds network latency, for the many-clusters figure of `make bench`.

usage: latency_proxy.py --target HOST:PORT --listeners N --delay-ms MS

Opens N listeners on 127.0.0.1 (ports chosen by the system) that all forward to
TARGET, and prints their ports as one JSON line once they accept connections. Every
chunk of bytes is held for MS milliseconds in each direction, so a round trip costs
2 × MS, as it would between a laptop and a cluster in another region. Chunks keep
their order; bandwidth is not limited. Runs until it is terminated.
"""
import argparse
import asyncio
import json
import signal
import socket


async def forward(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    """Copies one direction, delivering each chunk `delay` seconds after it arrived."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue()

    async def deliver() -> None:
        while True:
            due, chunk = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if not chunk:
                if writer.can_write_eof():
                    writer.write_eof()
                return
            writer.write(chunk)
            await writer.drain()

    delivery = asyncio.create_task(deliver())
    try:
        while True:
            chunk = await reader.read(65536)
            queue.put_nowait((loop.time() + delay, chunk))
            if not chunk:
                break
        await delivery
    except (ConnectionError, OSError):
        delivery.cancel()


def no_delay(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


async def serve(target_host: str, target_port: int, listeners: int, delay: float) -> None:
    async def handle(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(target_host, target_port)
        except OSError:
            client_writer.close()
            return
        no_delay(client_writer)
        no_delay(server_writer)
        try:
            await asyncio.gather(
                forward(client_reader, server_writer, delay),
                forward(server_reader, client_writer, delay),
                return_exceptions=True,
            )
        except asyncio.CancelledError:
            pass  # the proxy is stopping: drop the connection quietly
        finally:
            for writer in (client_writer, server_writer):
                writer.close()

    servers = [await asyncio.start_server(handle, "127.0.0.1", 0) for _ in range(listeners)]
    ports = [server.sockets[0].getsockname()[1] for server in servers]
    print(json.dumps({"ports": ports}), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    for server in servers:
        server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="HOST:PORT to forward to")
    parser.add_argument("--listeners", type=int, default=1)
    parser.add_argument("--delay-ms", type=float, required=True, help="one-way delay per chunk")
    arguments = parser.parse_args()
    host, _, port = arguments.target.rpartition(":")
    asyncio.run(serve(host, int(port), arguments.listeners, arguments.delay_ms / 1000))


if __name__ == "__main__":
    main()
