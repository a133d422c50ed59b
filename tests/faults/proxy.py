"""A fault-injecting TCP forwarder on 127.0.0.1, for putting between the service and PostgreSQL.

Modes:
- FORWARD: relays bytes both ways.
- REFUSE: the port is closed (connection refused), as when the database is stopped.
- BLACKHOLE: connections are accepted and never answered, as when a host swallows packets.

Every change of mode cuts the connections open so far, as a restart or failover does. A stalled
established connection is not modelled: this process's own kernel acknowledges the bytes, so the
client's TCP user timeout, which handles that case in production, could not fire here.
"""

from __future__ import annotations

import contextlib
import enum
import socket
import threading
import time
from types import TracebackType

from sqlalchemy.engine import make_url


class Mode(enum.Enum):
    FORWARD = "forward"
    REFUSE = "refuse"
    BLACKHOLE = "blackhole"


class FaultProxy:
    def __init__(self, upstream_url: str) -> None:
        url = make_url(upstream_url)
        self.upstream_url = url
        self.upstream = (url.host or "127.0.0.1", url.port or 5432)
        self.mode = Mode.FORWARD
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._running = True
        self._listener: socket.socket | None = self._listen(0)
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """The upstream database URL, reached through this proxy."""
        proxied = self.upstream_url.set(host="127.0.0.1", port=self.port)
        return proxied.render_as_string(hide_password=False)

    def set_mode(self, mode: Mode) -> None:
        with self._lock:
            self.mode = mode
            self._cut_all()
            if mode is Mode.REFUSE and self._listener is not None:
                self._listener.close()
                self._listener = None
            elif mode is not Mode.REFUSE and self._listener is None:
                self._listener = self._listen(self.port)

    def close(self) -> None:
        self._running = False
        self._thread.join(timeout=2)
        with self._lock:
            self._cut_all()
            if self._listener is not None:
                self._listener.close()

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.close()

    @staticmethod
    def _listen(port: int) -> socket.socket:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        deadline = time.monotonic() + 2
        while True:
            try:
                listener.bind(("127.0.0.1", port))
                break
            except OSError:  # the closed listener lingers until its accept() times out
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        listener.listen(64)
        listener.settimeout(0.05)
        return listener

    def _accept_loop(self) -> None:
        while self._running:
            listener = self._listener
            if listener is None:
                time.sleep(0.02)
                continue
            try:
                client, _ = listener.accept()
            except OSError:  # timeout, or closed by set_mode
                continue
            with self._lock:
                self._open.add(client)
                mode = self.mode
            if mode is Mode.FORWARD:
                threading.Thread(target=self._relay, args=(client,), daemon=True).start()
            # BLACKHOLE: the client is held open and never read until the next change of mode

    def _relay(self, client: socket.socket) -> None:
        try:
            server = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            self._cut(client)
            return
        server.settimeout(None)
        with self._lock:
            self._open.add(server)
        threading.Thread(target=self._pump, args=(server, client), daemon=True).start()
        self._pump(client, server)

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        with self._lock:
            self._cut(source)
            self._cut(sink)

    def _cut_all(self) -> None:
        for sock in list(self._open):
            self._cut(sock)

    def _cut(self, sock: socket.socket) -> None:
        self._open.discard(sock)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()
