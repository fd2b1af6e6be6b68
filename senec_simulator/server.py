"""The simulated appliance as a server: `POST /lala.cgi` plus a small control endpoint."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import socket
import ssl
import struct
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from . import commands
from . import faults as fault_bodies
from .answers import Glitches, build_answer
from .clock import Clock
from .control import control_routes
from .faults import Fault, FaultBoard, parse_fault
from .firmware import DEFAULT_RESTART_S, Firmware
from .house import House, Truth
from .installation import make_installation
from .instruments import Reading
from .profiles import SPECS, Profile
from .sessions import COOKIE_NAME, Sessions
from .tls import make_certificate, server_context
from .variables import table_for
from .wallbox import Wallbox

SERVER_HEADER = "nginx/1.17.7"
JSON_TYPE = "application/json; charset=utf-8"
#: How long shutdown waits for in-flight handlers (hung ones are woken first anyway).
_SHUTDOWN_TIMEOUT_S = 2.0

_NGINX_ERRORS = {
    500: "500 Internal Server Error",
    504: "504 Gateway Time-out",
}


def _nginx_error(status: int) -> web.Response:
    """Return the HTML error page nginx serves in front of a failing CGI."""
    title = _NGINX_ERRORS[status]
    page = (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>{SERVER_HEADER}</center>\r\n"
        "</body>\r\n</html>\r\n"
    )
    return web.Response(
        status=status,
        body=page.encode(),
        headers={"Content-Type": "text/html", "Server": SERVER_HEADER},
    )


def _abort(request: web.Request) -> web.Response:
    """Drop the connection with a TCP reset, sending no HTTP answer at all."""
    transport = request.transport
    if transport is not None:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    # The connection is gone; aiohttp discards whatever is returned now.
    return web.Response(status=499)


def _parse_request(raw: bytes) -> Any:
    """Parse the request's JSON value, ignoring whatever follows it; None if there is none.

    Like the appliance: a request with a stray `}` after the object (posted in the issue
    mchwalisz/home-assistant-senec#3) was answered normally. A key given twice keeps its
    first position and its last value (the request in wastl/wastlernet's test shows it).
    """
    try:
        value, _ = json.JSONDecoder().raw_decode(raw.decode().strip())
    except ValueError:
        return None
    return value


class Simulator:
    """A fake SENEC.Home appliance on a real socket.

    The house behind it is integrated on a simulated clock: by hand (`speed=None`, for
    tests) or running at `speed` simulated seconds per wall second.
    """

    def __init__(
        self,
        profile: Profile | str = Profile.V3_0826,
        seed: int = 1,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        start: datetime | None = None,
        speed: float | None = None,
        wallbox: Wallbox | str = Wallbox.NONE,
        restart_s: float = DEFAULT_RESTART_S,
        control_port: int | None = None,
    ) -> None:
        self._profile = Profile(profile)
        self._car = Wallbox(wallbox)
        self._spec = SPECS[self._profile]
        self._seed = seed
        self._bind_host = host
        self._port = port
        self._clock = Clock(start if start is not None else datetime.now(UTC), speed)
        self._home = make_installation(seed)
        self._house = House(self._home, self._spec.battery, self._clock.start, self._car)
        self._table = table_for(self._spec)
        self._faults = FaultBoard()
        self._sessions = Sessions()
        self._requests = 0
        self._last_request: dict[str, Any] | None = None
        self._runner: web.AppRunner | None = None
        self._listener: web.TCPSite | None = None
        self._ssl: ssl.SSLContext | None = None
        self._cert_pem: bytes | None = None
        self._waiters: set[asyncio.Future[bool]] = set()
        self._reboot_task: asyncio.Task[None] | None = None
        # A state code the physics would never produce (new firmware adds codes).
        self.state_override: int | None = None
        # Releases still to fall back into charging (charge_fallback): a count, or None for
        # every release while the fault is on.
        self._fallbacks: int | None = 0
        self._presses: list[tuple[datetime, str]] = []
        self._online = asyncio.Event()
        self._firmware = Firmware(
            application_version=self._spec.application_version,
            npu_image_version=self._spec.npu_image_version,
            restart_s=restart_s,
        )
        # Going silent or coming back, as the simulated clock demands (see _follow_firmware).
        self._firmware_step: asyncio.Task[None] | None = None
        self._firmware_watch: asyncio.Task[None] | None = None
        # The control endpoint on a port of its own (plain HTTP), up while the appliance
        # restarts: a test on the manual clock can still move time then.
        self._control_port = control_port
        self._control_runner: web.AppRunner | None = None

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Generate the certificate (HTTPS profiles), bind the port and start the clock."""
        if self._runner is not None:
            raise RuntimeError("the simulator is already running")
        if self._spec.https:
            self._cert_pem, key_pem = make_certificate()
            self._ssl = server_context(self._cert_pem, key_pem)
        app = web.Application()
        app.router.add_post("/lala.cgi", self._handle_lala)
        app.router.add_routes(control_routes(self))
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=_SHUTDOWN_TIMEOUT_S
        )
        await self._runner.setup()
        await self._listen()
        if self._control_port is not None:
            control = web.Application()
            control.router.add_routes(control_routes(self))
            self._control_runner = web.AppRunner(
                control, access_log=None, handle_signals=False, shutdown_timeout=0.5
            )
            await self._control_runner.setup()
            await web.TCPSite(self._control_runner, self._bind_host, self._control_port).start()
            self._control_port = int(self._control_runner.addresses[0][1])
        self._clock.run()
        if not self._clock.manual:
            self._firmware_watch = asyncio.create_task(self._watch_firmware())

    async def stop(self) -> None:
        """Close the port and every connection; hung requests are dropped, not waited for."""
        if self._reboot_task is not None:
            self._reboot_task.cancel()
            self._reboot_task = None
        for task in (self._firmware_watch, self._firmware_step):
            if task is not None:
                task.cancel()
        self._firmware_watch = self._firmware_step = None
        self._wake(proceed=False)
        self._online.clear()
        if self._control_runner is not None:
            await self._control_runner.cleanup()
            self._control_runner = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            self._listener = None

    async def __aenter__(self) -> Self:
        """Start the simulator for an `async with` block."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the simulator at the end of an `async with` block."""
        await self.stop()

    async def _listen(self) -> None:
        """Open the listening socket (again, after a reboot: on the same port)."""
        assert self._runner is not None
        site = web.TCPSite(self._runner, self._bind_host, self._port, ssl_context=self._ssl)
        await site.start()
        self._listener = site
        # The runner's addresses rather than TCPSite.port, which aiohttp < 3.13 (the one of
        # Home Assistant 2025.x) does not have. One site per runner: its socket is the first.
        self._port = int(self._runner.addresses[0][1])
        self._online.set()

    async def reboot(self, seconds: float | None = None) -> None:
        """Go offline like a rebooting appliance: the port refuses connections.

        Open connections are dropped and sessions forgotten. The port comes back after
        `seconds` of wall time, or when `finish_reboot` is awaited.
        """
        if self._runner is None:
            raise RuntimeError("the simulator is not running")
        self._online.clear()
        if self._listener is not None:
            await self._listener.stop()
            self._listener = None
        self._wake(proceed=False)
        server = self._runner.server
        if server is not None:
            for handler in server.connections:
                handler.force_close()
        self._sessions.forget()
        if seconds is not None:
            if self._reboot_task is not None:
                self._reboot_task.cancel()
            self._reboot_task = asyncio.create_task(self._come_back(seconds))

    async def _come_back(self, seconds: float) -> None:
        """Finish a reboot after a wall-clock delay."""
        await asyncio.sleep(seconds)
        self._reboot_task = None
        await self.finish_reboot()

    async def finish_reboot(self) -> None:
        """Listen again on the same port (no effect when not rebooting)."""
        if self._reboot_task is not None and self._reboot_task is not asyncio.current_task():
            self._reboot_task.cancel()
            self._reboot_task = None
        if self._runner is not None and self._listener is None:
            await self._listen()

    async def wait_online(self) -> None:
        """Wait until the port accepts connections (after `start`, or at the end of a reboot)."""
        await self._online.wait()

    @property
    def rebooting(self) -> bool:
        """Return whether the port is closed for a reboot."""
        return self._runner is not None and self._listener is None

    # --- restart and firmware update (SYS_UPDATE) ----------------------------------------

    @property
    def firmware(self) -> Firmware:
        """Return the update state machine: whether an update is offered, restarts so far."""
        return self._firmware

    async def restart(self, seconds: float | None = None) -> None:
        """Restart as asked over `lala.cgi`: silent for `seconds` of simulated time.

        The battery goes on as it was (the house keeps running); sessions are forgotten,
        so a client needs a new cookie on NPU 2411. The simulated clock brings it back.
        """
        self._firmware.restart(self._clock.now(), seconds)
        await self.reboot()

    def announce_update(self, available: bool = True) -> None:
        """Offer a firmware update (UPDATE_AVAILABLE 1), or withdraw the offer."""
        self._firmware.update_available = available

    def start_update(
        self, application_version: str | None = None, npu_image_version: int | None = None
    ) -> None:
        """Start installing the offered update: its states, then a reboot (firmware.py).

        After the reboot the appliance reports the versions given (else the ones it had).
        """
        self._firmware.start_update(self._clock.now(), application_version, npu_image_version)

    async def settle(self) -> None:
        """Wait until going silent or coming back, as the clock demands, has happened."""
        self._follow_firmware()
        while (step := self._firmware_step) is not None:
            await asyncio.shield(step)
            if self._firmware_step is step:
                self._firmware_step = None
            self._follow_firmware()

    def _follow_firmware(self) -> None:
        """Start going silent (an update reached its reboot) or coming back (a restart ended)."""
        if self._firmware_step is not None and not self._firmware_step.done():
            return
        now = self._clock.now()
        if self._firmware.update_reboot_due(now) and not self._firmware.silent():
            self._firmware.finish_update(now)
            self._firmware_step = asyncio.create_task(self.reboot())
        elif self._firmware.back_due(now):
            self._firmware.come_back(now)
            self._firmware_step = asyncio.create_task(self.finish_reboot())
        else:
            self._firmware_step = None

    async def _watch_firmware(self) -> None:
        """Follow a running clock: restarts end and updates reboot without anyone asking."""
        while True:
            await asyncio.sleep(0.2)
            await self.settle()

    # --- what users and tests read -------------------------------------------------------

    @property
    def profile(self) -> Profile:
        """Return the appliance generation being simulated."""
        return self._profile

    @property
    def seed(self) -> int:
        """Return the seed of the installation."""
        return self._seed

    @property
    def port(self) -> int:
        """Return the TCP port (the real one once started, also with port 0)."""
        return self._port

    @property
    def host(self) -> str:
        """Return what a user types into the config flow: `host:port`."""
        bind = self._bind_host
        if bind in ("", "0.0.0.0", "::"):  # noqa: S104 - only to say where to connect
            bind = "127.0.0.1"
        if ":" in bind:
            bind = f"[{bind}]"
        return f"{bind}:{self._port}"

    @property
    def mac(self) -> str:
        """Return the MAC the appliance reports, as `14:1f:ba:2x:xx:xx`."""
        return ":".join(f"{b:02x}" for b in self._spec.mac_address(self._seed))

    @property
    def scheme(self) -> str:
        """Return `https` for the V3 profiles, `http` for legacy firmware."""
        return "https" if self._spec.https else "http"

    @property
    def url(self) -> str:
        """Return the full `lala.cgi` URL."""
        return f"{self.scheme}://{self.host}/lala.cgi"

    @property
    def control_url(self) -> str | None:
        """Return the base URL of the separate control port (plain HTTP), if there is one."""
        if self._control_port is None or self._control_runner is None:
            return None
        return f"http://{self.host.rpartition(':')[0]}:{self._control_port}"

    @property
    def certificate_pem(self) -> bytes | None:
        """Return the self-signed certificate (HTTPS profiles, after start) for clients to trust."""
        return self._cert_pem

    @property
    def manual_clock(self) -> bool:
        """Return whether the clock only moves through `advance`."""
        return self._clock.manual

    @property
    def now(self) -> datetime:
        """Return the simulated time."""
        return datetime.fromtimestamp(self._clock.now(), UTC)

    @property
    def truth(self) -> Truth:
        """Return what really happens in the house right now."""
        self._house.advance_to(self._clock.now())
        return self._house.truth()

    @property
    def request_count(self) -> int:
        """Return how many `lala.cgi` requests arrived (faulted and refused ones included)."""
        return self._requests

    @property
    def last_request(self) -> dict[str, Any] | None:
        """Return the last `lala.cgi` request body that decoded as a JSON object."""
        return self._last_request

    @property
    def session_count(self) -> int:
        """Return how many session tokens are held (v3-npu2411)."""
        return len(self._sessions)

    @property
    def active_faults(self) -> dict[str, dict[str, Any]]:
        """Return the active faults with their parameters and remaining counts."""
        active = {f.fault.value: {**f.params, "count": f.remaining} for f in self._faults.active()}
        if self._fallbacks != 0:
            active[Fault.CHARGE_FALLBACK.value] = {"count": self._fallbacks}
        return active

    @property
    def presses(self) -> list[tuple[datetime, str]]:
        """Return the safety-charge buttons pressed so far: (simulated time, variable)."""
        return list(self._presses)

    # --- what users and tests change -----------------------------------------------------

    def advance(self, seconds: float) -> None:
        """Move the simulated clock forward, integrating the house in 1 s steps on the way.

        A restart that ends or an update that reboots on the way starts at once and is done
        by the next `settle` (a task of the running event loop, where there is one).
        """
        self._clock.advance(seconds)
        self._house.advance_to(self._clock.now())
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return  # no event loop (the simulator is not serving): settle() does it later
        self._follow_firmware()

    def set_fault(self, fault: Fault | str, count: int | None = None, **params: Any) -> None:
        """Switch a fault on for the next `count` requests (None: until cleared).

        `drop_sessions` acts at once (every session token is forgotten) and stays off.
        """
        active = parse_fault(fault, count, params)
        if active.fault is Fault.DROP_SESSIONS:
            self._sessions.forget()
            return
        if active.fault is Fault.BATTERY_CHECK:
            now = self._clock.now()
            self._house.advance_to(now)
            self._house.command(now, forced=False)
            return
        if active.fault is Fault.CHARGE_FALLBACK:
            self._fallbacks = active.remaining
            return
        self._faults.set(active)

    def clear_faults(self) -> None:
        """Switch every fault off; hung requests are answered now."""
        self._faults.clear()
        self._fallbacks = 0
        self._wake(proceed=True)

    # --- serving -------------------------------------------------------------------------

    def _wake(self, *, proceed: bool) -> None:
        """End every pending pause: go on answering, or drop the connections."""
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(proceed)
        self._waiters.clear()

    async def _pause(self, seconds: float) -> bool:
        """Wait `seconds`; return False when the server stops or reboots meanwhile."""
        waiter: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            return await asyncio.wait_for(waiter, seconds)
        except TimeoutError:
            return True
        finally:
            self._waiters.discard(waiter)

    def _press(self, pressed: list[tuple[str, bool]], epoch: float) -> None:
        """Act on safety-charge presses a little later, as the appliance does."""
        self._house.advance_to(epoch)
        at = epoch + commands.ACTION_DELAY_S
        for name, start in pressed:
            self._presses.append((datetime.fromtimestamp(epoch, UTC), name))
            running = self._house.forced
            self._house.command(at, forced=start)
            if not start and running and self._fallbacks != 0:
                if self._fallbacks is not None:
                    self._fallbacks -= 1
                self._house.command(at + commands.FALLBACK_AFTER_S, forced=True)

    def _reading(self) -> Reading:
        """Return the reading for the current simulated time."""
        epoch = self._clock.now()
        self._house.advance_to(epoch)
        truth = self._house.truth()
        if self.state_override is not None:
            truth = dataclasses.replace(truth, state=self.state_override)
        return Reading(
            truth=truth,
            home=self._home,
            spec=self._spec,
            epoch=epoch,
            elapsed=epoch - self._clock.start,
            car=self._car,
            fsm_state=self._firmware.fsm_state(epoch),
            update_available=self._firmware.update_available,
            application_version=self._firmware.application_version,
            npu_image_version=self._firmware.npu_image_version,
        )

    async def _handle_lala(self, request: web.Request) -> web.StreamResponse:
        """Answer one `lala.cgi` request, faults and session rules included."""
        self._requests += 1
        raw = await request.read()
        self._follow_firmware()
        if self._firmware.silent():
            # Restarting (an update reached its reboot): nothing answers any more.
            return _abort(request)
        faults = self._faults.take()
        if Fault.LATENCY in faults and not await self._pause(faults[Fault.LATENCY]["ms"] / 1000):
            return _abort(request)
        if Fault.HANG in faults and not await self._pause(faults[Fault.HANG]["seconds"]):
            return _abort(request)
        if Fault.RESET in faults:
            return _abort(request)
        for status, fault in ((500, Fault.HTTP_500), (504, Fault.HTTP_504)):
            if fault in faults:
                return _nginx_error(status)
        decoded = _parse_request(raw)
        if not isinstance(decoded, dict):
            return web.Response(
                status=400,
                text="request body is not a JSON object",
                headers={"Server": SERVER_HEADER},
            )
        self._last_request = decoded
        epoch = self._clock.now()
        cookie = None
        if self._spec.needs_cookie:
            if "FACTORY" in decoded:
                cookie = self._sessions.issue(epoch)
            elif not self._sessions.valid(request.cookies.get(COOKIE_NAME), epoch):
                return web.Response(status=401, body=b"", headers={"Server": SERVER_HEADER})
        glitches = Glitches(
            totals_zero=Fault.TOTALS_ZERO in faults,
            totals_lower=Fault.TOTALS_LOWER in faults,
            nan=Fault.NAN in faults,
        )
        pressed = commands.presses(decoded) if self._spec.has_safe_charge else []
        if pressed:
            self._press(pressed, epoch)
        restart = self._spec.npu_image_version is not None and commands.restart_requested(decoded)
        answer = build_answer(decoded, self._table, self._reading(), glitches)
        commands.echo(answer, pressed)
        if restart:
            commands.echo_restart(answer)
        body = json.dumps(answer, separators=(",", ":")).encode()
        if Fault.EMPTY in faults:
            body = b""
        elif Fault.TRUNCATED in faults:
            body = fault_bodies.truncated(body)
        elif Fault.MALFORMED in faults:
            body = fault_bodies.malformed(body)
        headers = {"Content-Type": JSON_TYPE, "Server": SERVER_HEADER}
        if cookie is not None:
            headers["Set-Cookie"] = self._sessions.set_cookie_header(cookie)
        response = web.Response(status=200, body=body, headers=headers)
        if restart:
            # The answer goes out first, then the web server is gone.
            await response.prepare(request)
            await response.write_eof()
            await self.restart()
        return response
