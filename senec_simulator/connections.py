"""What the appliance's network side sees of a client, and how long it keeps a connection.

A client that opens a new connection for every poll costs the appliance a TCP and (HTTPS) a
TLS handshake each time; its CPU is small. The simulator counts the connections that carried
`lala.cgi` requests, the TLS handshakes it completed and the bytes of request and answer
bodies, so tests and benchmarks can tell what a client costs.

How long an idle connection stays open is the appliance's nginx's business, and it is not
known for the real appliance; by default the simulator keeps idle connections open (aiohttp's
hour). `idle_close` closes them earlier, like a stricter server, without saying so;
`keepalive_header` announces a timeout in a `Keep-Alive: timeout=N` header, as nginx does with
the second parameter of its `keepalive_timeout` (which may differ from the real one); an
`idle_close` of 0 answers `Connection: close` and closes after every answer.
"""

from __future__ import annotations

import ssl
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

#: How long idle connections stay open by default: aiohttp's own default, about an hour.
OPEN_IDLE_S = 3630.0

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(slots=True)
class Traffic:
    """Connections and body bytes of the `lala.cgi` requests, and the server's TLS handshakes."""

    tls: ssl.SSLContext | None = None
    connections: int = 0
    request_bytes: int = 0
    answer_bytes: int = 0
    _seen: weakref.WeakSet[Any] = field(default_factory=weakref.WeakSet)

    def request(self, request: web.Request, body: bytes) -> None:
        """Count one request body, and its connection when it is a new one."""
        self.request_bytes += len(body)
        connection = request.transport
        if connection is not None and connection not in self._seen:
            self._seen.add(connection)
            self.connections += 1

    def answer(self, body: bytes) -> None:
        """Count one answer body."""
        self.answer_bytes += len(body)

    @property
    def tls_handshakes(self) -> int:
        """Return the TLS handshakes completed (every port's, control requests included)."""
        return 0 if self.tls is None else int(self.tls.session_stats()["accept_good"])

    def as_dict(self) -> dict[str, int]:
        """Return the counts for the control endpoint."""
        return {
            "connections": self.connections,
            "tls_handshakes": self.tls_handshakes,
            "request_body_bytes": self.request_bytes,
            "answer_body_bytes": self.answer_bytes,
        }


@dataclass(frozen=True, slots=True)
class KeepAlive:
    """How the server treats idle connections (see the module docstring)."""

    idle_close: float | None = None
    keepalive_header: float | None = None

    def __post_init__(self) -> None:
        """Refuse negative times."""
        for value in (self.idle_close, self.keepalive_header):
            if value is not None and value < 0:
                raise ValueError("keep-alive times cannot be negative")

    @property
    def server_timeout(self) -> float:
        """Return how long the server keeps an idle connection open (s)."""
        return self.idle_close or OPEN_IDLE_S

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Add the announced timeout to an answer, or close the connection after it."""
        response = await handler(request)
        if self.idle_close == 0:
            response.force_close()
        elif self.keepalive_header is not None:
            response.headers["Keep-Alive"] = f"timeout={self.keepalive_header:g}"
        return response
