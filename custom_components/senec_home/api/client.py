"""Async client for one SENEC.Home appliance.

The appliance is slow and fragile: one request at a time, a total timeout on each, typed
errors for every way it fails. Current firmware speaks only HTTPS with a self-signed
certificate, older firmware only HTTP; the client tries the preferred scheme first, falls back
to the other and remembers what worked. Without a session given to it, the client keeps one
connection to the appliance open from poll to poll (``connection``); then close it when done.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Mapping
from typing import Any, Final

import aiohttp
import orjson
from aiohttp import hdrs

from .codec import Answer, decode_answer
from .connection import Attempt, KeptAlive
from .controls import (
    SafeChargeAnswer,
    SafeChargeButton,
    press_form,
    read_press_answer,
    read_restart_answer,
    restart_form,
)
from .errors import (
    SenecConnectionError,
    SenecError,
    SenecNotSenecError,
    SenecProtocolError,
    SenecTimeoutError,
)
from .host import SCHEMES
from .limits import TooLargeError, read_capped
from .models import Identity, LifetimeTotals, Snapshot
from .requests import IDENTITY_REQUEST, LIFETIME_TOTALS_REQUEST, POLL_REQUEST

DEFAULT_TIMEOUT: Final = 10.0
_LOGGER: Final = logging.getLogger(__name__)
SESSION_COOKIE: Final = "senec-homev3-gui"
# Answers that mean "no session": the client re-establishes the cookie and retries once.
_REFUSED: Final = frozenset({401, 403})
# Answers that mean "there is no lala.cgi here at all".
_NO_ENDPOINT: Final = frozenset({404, 405})


def appliance_ssl_context() -> ssl.SSLContext:
    """Make the TLS context used for the appliance, and only for it.

    The appliance presents a self-signed certificate that no CA vouches for, so it cannot be
    verified; the context is passed per request, so every other connection of a shared
    session keeps full verification. Building it reads no CA files (no blocking I/O).
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


_APPLIANCE_SSL: Final = appliance_ssl_context()
_HEADERS: Final = {hdrs.CONTENT_TYPE: "application/json"}
# The regular forms go out every poll: serialise them once.
_POLL_BODY: Final = orjson.dumps(POLL_REQUEST)
_IDENTITY_BODY: Final = orjson.dumps(IDENTITY_REQUEST)
_LIFETIME_TOTALS_BODY: Final = orjson.dumps(LIFETIME_TOTALS_REQUEST)
_RESTART_BODY: Final = orjson.dumps(restart_form())


class SenecClient:
    """Reads one appliance, over a session of its own or an injected aiohttp session."""

    def __init__(
        self,
        host: str,
        session: aiohttp.ClientSession | None = None,
        *,
        scheme: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        """Bind to ``host`` (``ip``, ``name`` or ``name:port``); ``scheme`` is tried first.

        Without ``session`` the client keeps its own connection open across requests, until
        :meth:`close`.
        """
        self.host = host
        self._connection = KeptAlive(session)
        self._preferred = scheme if scheme in SCHEMES else None
        self._scheme: str | None = None
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._lock = asyncio.Lock()
        self._cookie: str | None = None
        self.last_raw: dict[str, Any] | None = None
        #: The body of the request that :attr:`last_raw` answers (diagnostics show both).
        self.last_request: bytes | None = None

    @property
    def scheme(self) -> str | None:
        """The scheme that last worked, None before the first successful request."""
        return self._scheme

    @property
    def has_session_cookie(self) -> bool:
        """Tell whether the appliance handed out a session cookie (NPU image >= 2411)."""
        return self._cookie is not None

    async def close(self) -> None:
        """Close the client's own connection (an injected session stays open)."""
        await self._connection.close()

    def url(self, scheme: str) -> str:
        """Return the ``lala.cgi`` address for ``scheme``."""
        return f"{scheme}://{self.host}/lala.cgi"

    async def identity(self) -> Identity:
        """Read who the appliance is; raises :class:`SenecNotSenecError` for a non-SENEC."""
        try:
            answer = (await self._exchange(_IDENTITY_BODY))[1]
        except SenecProtocolError as err:
            if isinstance(err.__cause__, (_NotJsonError, TooLargeError)):
                raise SenecNotSenecError(f"{self.host} does not answer like a SENEC") from err
            raise
        identity = Identity.from_answer(answer)
        if identity is None:
            raise SenecNotSenecError(f"{self.host} answered without a SENEC serial number")
        return identity

    async def reports_lifetime_totals(self) -> bool:
        """Tell whether the firmware reports its own lifetime totals (one small request).

        Current V3 firmware no longer does: the energy totals then start at zero.
        """
        answer = (await self._exchange(_LIFETIME_TOTALS_BODY))[1]
        return LifetimeTotals.from_section(answer.get("STATISTIC", {})).available

    async def poll(
        self, form: Mapping[str, Mapping[str, str]] | None = None, *, base: Answer | None = None
    ) -> Snapshot:
        """Read one form (the always-asked part by default) in one request.

        ``base`` holds values read earlier (the slow values): the snapshot shows them where
        this answer has no newer value of the same variable.
        """
        body = _POLL_BODY if form is None else orjson.dumps(form)
        raw, answer = await self._exchange(body)
        if base:
            answer = merge_answers(base, answer)
        return Snapshot.from_answer(answer, raw)

    async def read(self, form: Mapping[str, Mapping[str, str]]) -> Answer:
        """Send one request form and return the decoded answer."""
        return (await self._exchange(orjson.dumps(form)))[1]

    async def press(self, button: SafeChargeButton) -> SafeChargeAnswer:
        """Press a safety-charge button once and check that the appliance echoed it.

        The write goes through the same one-request-at-a-time channel as the polls and is
        sent once: after a timeout nobody knows whether the appliance took it, so only the
        next poll can tell. A refused session is re-established and the write sent again,
        as the appliance refuses such a request before it reads it. The answer does not
        replace :attr:`last_raw` (diagnostics keep the last poll).
        """
        async with self._lock:
            raw = await self._send(orjson.dumps(press_form(button)), read=False)
        return read_press_answer(button, decode_answer(raw))

    async def restart(self) -> None:
        """Ask the appliance to restart, once, and check that it echoed the request.

        Sent through the same one-request-at-a-time channel as polls and presses, never
        repeated: after a failure nobody knows whether the appliance is restarting.
        """
        async with self._lock:
            raw = await self._send(_RESTART_BODY, read=False)
        read_restart_answer(decode_answer(raw))

    async def _exchange(self, body: bytes) -> tuple[dict[str, Any], Answer]:
        """Send one serialised form, one request in flight at a time; keep the raw answer."""
        async with self._lock:
            raw = await self._send(body, read=True)
        self.last_raw, self.last_request = raw, body
        return raw, decode_answer(raw)

    async def _send(self, body: bytes, *, read: bool) -> dict[str, Any]:
        """Post a form; a read goes out once more at once when the kept connection was closed.

        Not a glitch: the appliance closes idle connections as it likes, and a request on a
        connection it had closed gets no answer at all. A write is never sent twice: nobody
        can tell whether the appliance took the first.
        """
        try:
            return await self._post_with_session(body)
        except _ClosedWhileIdleError as err:
            if not read:
                raise SenecConnectionError(f"{self.host} closed the connection") from err
            _LOGGER.debug("%s had closed the idle connection; opening a new one", self.host)
        try:
            return await self._post_with_session(body)
        except _ClosedWhileIdleError as err:
            raise SenecConnectionError(f"{self.host} closes every connection") from err

    async def _post_with_session(self, body: bytes) -> dict[str, Any]:
        """Post, re-establishing the session cookie once when the appliance refuses."""
        try:
            return await self._post_any_scheme(body)
        except _RefusedError:
            self._cookie = None
            try:
                await self._post_any_scheme(_IDENTITY_BODY)
                return await self._post_any_scheme(body)
            except _RefusedError as err:
                raise SenecProtocolError("the appliance refuses the session") from err

    async def _post_any_scheme(self, body: bytes) -> dict[str, Any]:
        """Post with the scheme that worked, or probe both when none has yet."""
        if self._scheme is not None:
            try:
                return await self._post(self._scheme, body)
            except SenecTimeoutError:
                raise
            except SenecConnectionError:
                # Firmware updates switch HTTP to HTTPS: look again on the next call.
                self._scheme = None
                raise
        first = self._preferred or SCHEMES[0]
        order = (first, *(scheme for scheme in SCHEMES if scheme != first))
        failure: SenecConnectionError | None = None
        for scheme in order:
            try:
                raw = await self._post(scheme, body)
            except SenecTimeoutError:
                raise
            except SenecConnectionError as err:
                failure = failure or err
                continue
            self._scheme = scheme
            return raw
        raise failure or SenecConnectionError(f"cannot reach {self.host}")

    async def _post(self, scheme: str, body: bytes) -> dict[str, Any]:
        """One POST; every failure leaves as a typed :class:`SenecError`."""
        cookies = {SESSION_COOKIE: self._cookie} if self._cookie else None
        attempt = Attempt()
        try:
            session = await self._connection.session()
            async with session.post(
                self.url(scheme),
                data=body,
                headers=_HEADERS,
                cookies=cookies,
                ssl=_APPLIANCE_SSL if scheme == "https" else True,
                timeout=self._timeout,
                allow_redirects=False,
                trace_request_ctx=attempt,
            ) as response:
                self._connection.heard(response.headers)
                if hdrs.SET_COOKIE in response.headers:
                    cookie = response.cookies.get(SESSION_COOKIE)
                    if cookie is not None and cookie.value:
                        self._cookie = cookie.value
                if response.status in _REFUSED:
                    raise _RefusedError
                return self._parse(response, await read_capped(response))
        except SenecError:
            raise
        except TimeoutError as err:
            raise SenecTimeoutError(f"{self.host} did not answer in time") from err
        except aiohttp.ClientPayloadError as err:
            raise SenecProtocolError(f"incomplete answer from {self.host}: {err}") from err
        except aiohttp.ServerDisconnectedError as err:
            if attempt.reused:
                raise _ClosedWhileIdleError from err
            raise SenecConnectionError(f"cannot reach {self.host}: {err}") from err
        except (aiohttp.ClientError, OSError) as err:
            raise SenecConnectionError(f"cannot reach {self.host}: {err}") from err

    def _parse(self, response: aiohttp.ClientResponse, body: bytes) -> dict[str, Any]:
        """Check the status and parse the body into the raw answer object."""
        if response.status in _NO_ENDPOINT:
            raise SenecProtocolError(f"HTTP {response.status}") from _NotJsonError()
        if 300 <= response.status < 400:
            # Not served over this scheme (e.g. HTTP redirecting to HTTPS): let the
            # scheme fallback try the other one.
            raise SenecConnectionError(f"HTTP {response.status} redirect from {self.host}")
        if response.status >= 400:
            raise SenecProtocolError(f"HTTP {response.status} from {self.host}")
        if not body.strip():
            raise SenecProtocolError(f"empty answer from {self.host}")
        try:
            raw = orjson.loads(body)
        except orjson.JSONDecodeError as err:
            if "json" not in response.content_type:
                raise SenecProtocolError(f"{response.content_type} answer") from _NotJsonError()
            raise SenecProtocolError(f"malformed JSON from {self.host}: {err}") from err
        if not isinstance(raw, dict):
            raise SenecProtocolError(f"answer is {type(raw).__name__}") from _NotJsonError()
        return raw


def merge_answers(older: Answer, newer: Answer) -> Answer:
    """Overlay ``newer`` on ``older``, variable by variable."""
    merged = {section: dict(variables) for section, variables in older.items()}
    for section, variables in newer.items():
        merged.setdefault(section, {}).update(variables)
    return merged


class _ClosedWhileIdleError(Exception):
    """Internal: a reused connection was closed by the appliance before it answered."""


class _RefusedError(Exception):
    """Internal: the appliance refused the request for lack of a session."""


class _NotJsonError(Exception):
    """Internal cause marker: the answer does not look like the appliance's JSON at all."""
