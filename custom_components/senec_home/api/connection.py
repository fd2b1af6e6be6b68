"""One connection to the appliance, kept open from poll to poll.

Every new HTTPS connection costs a TCP and a TLS handshake, on the appliance's small CPU as
well as on the client's. A shared HTTP session (Home Assistant's among them: its helpers
share one connector per TLS setting and keep aiohttp's default) closes connections idle for
15 s, so at a poll interval of 30 s every poll would open a new one. The client therefore
owns a session for its one appliance: one connection, kept while idle for longer than the
longest poll interval.

- An appliance that closes an idle connection earlier gets a new one: aiohttp drops a
  connection whose peer has closed it before it reuses it. If the appliance closes it just as
  a request goes out (the request on a reused connection gets no answer at all), the client
  sends a read once more at once, on a new connection (a write never: see the client).
- ``Keep-Alive: timeout=N`` from the appliance is followed: a connection idle for longer
  (less a second's margin) is not used again. ``Connection: close`` is followed by aiohttp.
- The session talks to the appliance only: the certificate acceptance (passed per request,
  see ``client.appliance_ssl_context``) never reaches any other host.
- Host names are resolved by the system (``getaddrinfo``: hosts file, DNS, mDNS where the
  system has it), once per new connection.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Final

import aiohttp
from aiohttp import hdrs

from .errors import SenecConnectionError

#: How long an idle connection is kept (s): longer than the longest poll interval (5 min).
KEEPALIVE_S: Final = 330.0
#: A connection is not reused this close to the end of the timeout the appliance announced.
MARGIN_S: Final = 1.0
_TIMEOUT: Final = re.compile(r"(?:^|[,;\s])timeout\s*=\s*(\d+(?:\.\d+)?)", re.IGNORECASE)


def announced_timeout(header: str | None) -> float | None:
    """Return the idle timeout a ``Keep-Alive`` header announces (s), None when it has none."""
    if not header:
        return None
    match = _TIMEOUT.search(header)
    return None if match is None else float(match[1])


async def _note_reuse(
    session: aiohttp.ClientSession,
    context: SimpleNamespace,
    params: aiohttp.TraceConnectionReuseconnParams,
) -> None:
    """Mark the request (its ``trace_request_ctx``) as sent on a reused connection."""
    attempt = context.trace_request_ctx
    if isinstance(attempt, Attempt):
        attempt.reused = True


class Attempt:
    """One request: whether it went out on a connection that was open already."""

    __slots__ = ("reused",)

    def __init__(self) -> None:
        """Start as a request on a new connection."""
        self.reused = False


class KeptAlive:
    """An HTTP session with one connection to one appliance, kept open across polls.

    With a ``given`` session (a caller's, e.g. for a one-off probe) that one is used as it
    is: its connections are the caller's business, and it is never closed here.
    """

    def __init__(
        self, given: aiohttp.ClientSession | None = None, *, keepalive: float = KEEPALIVE_S
    ) -> None:
        """Keep idle connections for ``keepalive`` seconds; nothing opens before a request."""
        self._given = given
        self._keepalive = keepalive
        self._session: aiohttp.ClientSession | None = None
        self._reuse_until: float | None = None
        self._closed = False

    async def session(self) -> aiohttp.ClientSession:
        """Return the session to send the next request with.

        A new one when the idle connection has outlived what the appliance announced.
        """
        if self._given is not None:
            return self._given
        if self._closed:
            raise SenecConnectionError("the connection to the appliance is closed")
        expired = self._reuse_until is not None and time.monotonic() > self._reuse_until
        if self._session is not None and expired:
            await self._session.close()
            self._session = None
        if self._session is None:
            trace = aiohttp.TraceConfig()
            trace.on_connection_reuseconn.append(_note_reuse)
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(
                    limit=1,
                    keepalive_timeout=self._keepalive,
                    resolver=aiohttp.ThreadedResolver(),
                ),
                # The client keeps the appliance's session cookie itself.
                cookie_jar=aiohttp.DummyCookieJar(),
                trace_configs=[trace],
            )
        self._reuse_until = None
        return self._session

    def heard(self, headers: Mapping[str, str]) -> None:
        """Note from an answer's headers how long the appliance keeps the connection open."""
        timeout = announced_timeout(headers.get(hdrs.KEEP_ALIVE))
        if timeout is not None and self._given is None:
            self._reuse_until = time.monotonic() + timeout - MARGIN_S

    async def close(self) -> None:
        """Close the connection; the session cannot be used afterwards."""
        self._closed = True
        if self._session is not None:
            await self._session.close()
            self._session = None
