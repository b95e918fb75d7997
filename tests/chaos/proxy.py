"""An asyncio TCP proxy in front of gunicorn that can lose a response (REL-ID-02).

The proxy forwards each client connection to the upstream server byte for byte. When armed with
`drop_next_response()`, it lets the next request through, waits for the first bytes of the
server's answer (the server has finished the call, and so committed: gunicorn's sync workers
write a response only after the view returned), throws that answer away and resets the client's
connection (RST, SO_LINGER 0). To the client this is a lost response: the work was done, the
answer never came.

It runs its own event loop in a daemon thread, so blocking test code (requests) can use it::

    with FaultProxy("127.0.0.1", server.port) as proxy:
        proxy.drop_next_response()
        requests.post(proxy.base_url + "/api/...")  # ConnectionError, the call was done
"""

import asyncio
import contextlib
import socket
import struct
import threading
from dataclasses import dataclass, field
from types import TracebackType

_CHUNK = 64 * 1024


@dataclass
class ProxyStats:
    connections: int = 0
    responses_dropped: int = 0
    # The first bytes of each dropped answer (its status line), to show what the client missed.
    dropped_heads: list[bytes] = field(default_factory=list)


class FaultProxy:
    """A loopback TCP proxy to `upstream_host:upstream_port` on a port of its own."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.stats = ProxyStats()
        self._armed = 0
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- control (from the test's thread) -------------------------------------------------------

    def start(self) -> "FaultProxy":
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._listen(), self._loop)
        self.port = future.result(timeout=10)
        return self

    def drop_next_response(self, count: int = 1) -> None:
        """Lose the answer to the next `count` requests (each on its own connection)."""
        with self._lock:
            self._armed += count

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> "FaultProxy":
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # --- the loop ---------------------------------------------------------------------------------

    async def _listen(self) -> int:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for task in asyncio.all_tasks(self._loop):
            if task is not asyncio.current_task():
                task.cancel()

    def _take_fault(self) -> bool:
        with self._lock:
            if self._armed > 0:
                self._armed -= 1
                return True
            return False

    async def _handle(
        self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter
    ) -> None:
        self.stats.connections += 1
        drop = self._take_fault()
        try:
            server_in, server_out = await asyncio.open_connection(*self.upstream)
        except OSError:
            _reset(client_out)
            return
        upload = asyncio.create_task(_pump(client_in, server_out))
        try:
            if drop:
                head = await server_in.read(_CHUNK)  # the server answered: its work is committed
                self.stats.responses_dropped += 1
                self.stats.dropped_heads.append(head[:200])
                _reset(client_out)
            else:
                await _pump(server_in, client_out)
        finally:
            upload.cancel()
            with contextlib.suppress(asyncio.CancelledError, OSError):
                await upload
            server_out.close()
            if not client_out.is_closing():
                client_out.close()


async def _pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    """Copy `source` to `sink` until end of file; then half-close `sink`."""
    try:
        while chunk := await source.read(_CHUNK):
            sink.write(chunk)
            await sink.drain()
        if sink.can_write_eof():
            sink.write_eof()
    except (ConnectionError, OSError):
        sink.close()


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with RST instead of FIN: linger on, timeout 0."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
