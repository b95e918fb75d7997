"""A raw-socket client that streams a huge multipart upload (SEC-UP-01, 1 GB) and watches for the
server's answer while it sends, as a browser or curl would see it, plus a sampler of the gunicorn
workers' resident memory. `requests` cannot do this: it reads the answer only after the whole
body has gone, and a server that answered early and closed looks like a broken pipe to it."""

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BOUNDARY = "tongbanDrillBoundary7MA4YWxkTrZu0gW"
_CHUNK = 1024 * 1024
_FILLER = b"%" + b"\n" * (_CHUNK - 1)  # PDF comment lines: harmless bytes in a PDF


@dataclass
class StreamResult:
    status: int = 0
    body: str = ""
    sent_bytes: int = 0
    decidable_at: float = 0.0  # when the server had (been sent) enough to decide
    answered_at: float = 0.0  # first bytes of the answer
    finished_at: float = 0.0
    send_error: str = ""

    @property
    def answer_seconds(self) -> float:
        """From the moment the server could decide to its first answer byte."""
        return self.answered_at - self.decidable_at if self.answered_at else float("inf")

    def detail(self) -> str:
        try:
            data = json.loads(self.body)
        except ValueError:
            return self.body[:200]
        if isinstance(data, dict):
            return str(data.get("detail") or data)
        return str(data)


def multipart_head(material_key: str, filename: str) -> bytes:
    return (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="material_key"\r\n\r\n'
        f"{material_key}\r\n"
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
        "%PDF-1.4\n"
    ).encode()


def stream_upload(
    *,
    port: int,
    path: str,
    headers: dict[str, str],
    total: int,
    declared: int | None,
    decidable_after: int,
    timeout: float = 120,
) -> StreamResult:
    """POST a multipart body of `total` bytes to 127.0.0.1:`port``path`: with `Content-Length:
    declared`, or chunked when `declared` is None. Sending stops as soon as an answer arrives
    or the server closes. `decidable_after`: body bytes after which the server can know (0: at
    the headers)."""
    result = StreamResult()
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    answered = threading.Event()
    received = bytearray()

    def read() -> None:
        try:
            while chunk := sock.recv(65536):
                if not received:
                    result.answered_at = time.monotonic()
                    answered.set()
                received.extend(chunk)
        except OSError:
            pass
        finally:
            answered.set()

    framing = (
        f"Content-Length: {declared}" if declared is not None else "Transfer-Encoding: chunked"
    )
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}",
        framing,
        "Connection: close",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    reader = threading.Thread(target=read, daemon=True)
    head = multipart_head("M01", "huge.pdf")
    sent = 0
    try:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        reader.start()
        if decidable_after == 0:
            result.decidable_at = time.monotonic()
        pieces = [head]
        while sent < total and not answered.is_set():
            piece = pieces.pop() if pieces else _FILLER[: min(_CHUNK, total - sent)]
            frame = piece if declared is not None else b"%x\r\n%s\r\n" % (len(piece), piece)
            sock.sendall(frame)
            sent += len(piece)
            if not result.decidable_at and sent >= decidable_after:
                result.decidable_at = time.monotonic()
        if sent >= total and declared is None:  # read to the end: close the form and the body
            tail = f"\r\n--{BOUNDARY}--\r\n".encode()
            sock.sendall(b"%x\r\n%s\r\n0\r\n\r\n" % (len(tail), tail))
    except OSError as exc:  # the server answered and closed while we were still sending
        result.send_error = type(exc).__name__
    result.sent_bytes = sent
    reader.join(timeout=timeout)
    sock.close()
    result.finished_at = time.monotonic()
    text = bytes(received).decode("utf-8", "replace")
    if text.startswith("HTTP/"):
        result.status = int(text.split(" ", 2)[1])
        result.body = text.split("\r\n\r\n", 1)[1] if "\r\n\r\n" in text else ""
    return result


def rss_kib(pid: int) -> int:
    """VmRSS of `pid` in KiB (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


@dataclass
class RssSampler:
    """Sample the RSS of `pids` every 20 ms in a thread; `growth_mib()` is the largest rise of
    any one of them over its value at `start()`."""

    pids: list[int]
    baseline: dict[int, int] = field(default_factory=dict)
    peak: dict[int, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> "RssSampler":
        self.baseline = {pid: rss_kib(pid) for pid in self.pids}
        self.peak = dict(self.baseline)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in self.pids:
                self.peak[pid] = max(self.peak[pid], rss_kib(pid))
            time.sleep(0.02)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def growth_mib(self) -> float:
        return max((self.peak[p] - self.baseline[p]) / 1024 for p in self.pids)
