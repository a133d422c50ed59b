"""`ils-intake serve` as a real process group on a loopback port, for kill and drain tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    def kill(self) -> None:
        """SIGKILL the whole group (supervisor and workers), as a crashed host would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    database_url: str, *, workers: int, workdir: Path, env: dict[str, str] | None = None
) -> Server:
    port = _free_port()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("ILS_INTAKE_")}
    log = workdir / f"server-{port}.log"
    command = ["serve", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(
        [sys.executable, "-m", "ils_intake", *command],
        cwd=workdir,
        env=base_env
        | {"ILS_INTAKE_DATABASE_URL": database_url, "ILS_INTAKE_LOG_LEVEL": "WARNING"}
        | (env or {}),
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so a kill reaches every worker
    )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{server.base_url}/readyz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise AssertionError(f"the server did not become ready:\n{server.output()}")
        time.sleep(0.1)
