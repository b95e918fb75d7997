"""Starting, waiting for and stopping the processes of a chaos test. Every wait is bounded."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    """A TCP port nothing listens on right now (loopback)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until(
    condition: Callable[[], bool],
    *,
    timeout: float,
    interval: float = 0.1,
    message: str | Callable[[], str] = "",
) -> float:
    """Poll `condition` until it holds; return the seconds it took.

    :raises TimeoutError: after `timeout` seconds, with `message` (or what it returns).
    """
    start = time.monotonic()
    while True:
        if condition():
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            text = message() if callable(message) else message
            raise TimeoutError(f"gave up after {timeout:.0f} s. {text}")
        time.sleep(interval)


@dataclass
class Service:
    """One process we started, leader of its own process group, logging to `log`."""

    name: str
    command: Sequence[str]
    env: dict[str, str]
    log: Path
    cwd: Path = ROOT
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self) -> "Service":
        with self.log.open("ab") as log_file:
            self.process = subprocess.Popen(  # noqa: S603  (our own binaries, fixed arguments)
                list(self.command),
                cwd=self.cwd,
                env=self.env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # setsid: the group is the process and its children
            )
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None, f"{self.name} was not started"
        return self.process.pid

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return f"--- {self.name} log ---\n" + self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return f"--- {self.name}: no log ---"

    def signal_group(self, signum: int) -> None:
        if self.running():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signum)

    def kill(self) -> None:
        """SIGKILL the whole group (the process and every child), at once."""
        self.signal_group(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=10)

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM the group, then SIGKILL what is left after `timeout` seconds."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.signal_group(signal.SIGCONT)  # a frozen process cannot handle SIGTERM
            self.signal_group(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.signal_group(signal.SIGKILL)
                self.process.wait(timeout=10)
        # Children that outlived their leader (a pool child orphaned by kill -9) share its group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)


def children_of(pid: int) -> list[int]:
    """The direct children of `pid`, read from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # it ended while we looked
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


def cpu_ticks(pid: int) -> int:
    """User + system CPU ticks of `pid` so far (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def run(
    command: Sequence[str], *, env: dict[str, str] | None = None, timeout: float = 300, **kw: object
) -> subprocess.CompletedProcess[str]:
    """Run a command to completion; raise with its output if it fails."""
    done: subprocess.CompletedProcess[str] = subprocess.run(  # noqa: S603  (fixed arguments)
        list(command),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kw,  # type: ignore[call-overload]
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} exited {done.returncode}\n{done.stdout[-3000:]}\n"
            f"{done.stderr[-3000:]}"
        )
    return done
