"""A real Home Assistant and the simulated appliance as separate processes, driven over HTTP.

Used by the end-to-end test and by `scripts/screenshots`. Everything listens on 127.0.0.1
only. Processes run in their own sessions, so stopping one stops everything it started.
Home Assistant comes from `.venv-hass` (scripts/setup-hass, requirements_hass.txt: the
release users run), not from the test venv with its pinned test version.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
HASS_VENV = ROOT / ".venv-hass"
CONFIGURATION = ROOT / "config" / "configuration.yaml"
DEVCONFIG = ROOT / "scripts" / "devconfig.py"
DOMAIN = "senec_home"
#: The unique-id suffixes of the six Energy-dashboard totals.
TOTALS = (
    "grid_imported_energy",
    "grid_exported_energy",
    "solar_energy",
    "battery_charged_energy",
    "battery_discharged_energy",
    "house_energy",
)
#: Voice-only packages scripts/setup-hass builds; never retried at start-up when that failed.
SKIP_PIP_PACKAGES = "pymicro-vad,pyspeex-noise"
#: The owner account the scripts and tests create while onboarding.
OWNER = {"name": "Developer", "username": "dev", "password": "senec-home-dev"}
LOOPBACK = "127.0.0.1"

_SIM_LINE = re.compile(r"listening on (?P<url>\S+) - type (?P<host>\S+) into the config flow")
_CONTROL_LINE = re.compile(r"control endpoint on (?P<url>\S+)/_sim/")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def ensure_hass_venv(timeout: float = 1800) -> Path:
    """Make `.venv-hass` with the project's own set-up script; return its `hass`."""
    subprocess.run([str(ROOT / "scripts" / "setup-hass")], check=True, timeout=timeout)
    return HASS_VENV / "bin" / "hass"


def make_config_dir(config_dir: Path, http_port: int) -> Path:
    """Fill `config_dir` like `config/`: the dev configuration, the integration linked in,
    Home Assistant listening on 127.0.0.1:`http_port` (see scripts/devconfig.py).
    """
    config_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CONFIGURATION, config_dir / "configuration.yaml")
    subprocess.run(
        [
            *(str(HASS_VENV / "bin" / "python"), str(DEVCONFIG), str(config_dir)),
            *("--host", LOOPBACK, "--port", str(http_port)),
        ],
        check=True,
        timeout=120,
    )
    return config_dir


def tail(path: Path, lines: int = 60) -> str:
    """Return the last lines of a log file (for failure messages)."""
    try:
        content = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return f"({path} not readable)"
    return "\n".join(content[-lines:])


class Process:
    """A child process in its own session, with its output in a log file."""

    def __init__(
        self,
        name: str,
        args: Sequence[str],
        log: Path,
        *,
        cwd: Path = ROOT,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.name = name
        self.log = log
        log.parent.mkdir(parents=True, exist_ok=True)
        self._out: IO[bytes] = log.open("ab")
        self.popen = subprocess.Popen(
            list(args),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def running(self) -> bool:
        """Return whether the process has not exited yet."""
        return self.popen.poll() is None

    def check_running(self) -> None:
        """Raise if the process exited (with the end of its log)."""
        if not self.running:
            raise RuntimeError(
                f"{self.name} exited with {self.popen.returncode}:\n{tail(self.log)}"
            )

    def stop(self, timeout: float = 60) -> int | None:
        """Ask the process group to stop (SIGTERM), kill it after `timeout`; return the code."""
        if self.running:
            self._signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.popen.wait(10)
        # Anything the process left behind in its group goes too.
        self._signal(signal.SIGKILL)
        self._out.close()
        return self.popen.returncode

    def _signal(self, signum: int) -> None:
        """Send a signal to the whole process group (gone already: nothing to do)."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signum)


def start_simulator(
    log: Path,
    *,
    port: int = 0,
    speed: float = 1.0,
    start: str = "now",
    profile: str = "v3-0826",
    wallbox: str = "none",
    python: str = sys.executable,
    timeout: float = 30,
) -> tuple[Process, str]:
    """Run `python -m senec_simulator`; return the process and the host to type in."""
    log.parent.mkdir(parents=True, exist_ok=True)
    offset = log.stat().st_size if log.exists() else 0
    args = [python, "-u", "-m", "senec_simulator", "--profile", profile, "--port", str(port)]
    args += ["--speed", str(speed), "--start", start, "--wallbox", wallbox]
    # The control endpoint on a port of its own as well: it answers while the appliance
    # restarts (see control_url).
    args += ["--control-port", "0"]
    process = Process("simulator", args, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with log.open("rb") as stream:
            stream.seek(offset)
            match = _SIM_LINE.search(stream.read().decode(errors="replace"))
        if match:
            return process, match["host"]
        if not process.running:
            break
        time.sleep(0.1)
    process.stop()
    raise RuntimeError(f"the simulator did not start:\n{tail(log)}")


def control_url(log: Path) -> str:
    """Return the base URL of the simulator's own control port, from its log."""
    match = _CONTROL_LINE.search(log.read_text(encoding="utf-8", errors="replace"))
    if match is None:
        raise RuntimeError(f"the simulator named no control port:\n{tail(log)}")
    return match["url"]


def voice_packages_missing(python: Path) -> bool:
    """Tell whether scripts/setup-hass could not build the voice pipeline's packages."""
    check = "import importlib.util as u, sys; sys.exit(not all(map(u.find_spec, sys.argv[1:])))"
    modules = [name.replace("-", "_") for name in SKIP_PIP_PACKAGES.split(",")]
    return subprocess.run([str(python), "-c", check, *modules], check=False).returncode != 0


def start_hass(
    config_dir: Path,
    log: Path,
    *,
    hass: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Process:
    """Run `hass -c config_dir` (its console output in `log`)."""
    binary = hass or HASS_VENV / "bin" / "hass"
    args = [str(binary), "-c", str(config_dir), "--log-no-color"]
    if voice_packages_missing(binary.parent / "python"):
        # Do not let Home Assistant retry (and fail) to build them at every start.
        args += ["--skip-pip-packages", SKIP_PIP_PACKAGES]
    return Process("Home Assistant", args, log, env={**os.environ, **(env or {})})


class HomeAssistant:
    """Talks to one Home Assistant over its REST and websocket APIs, as the frontend does."""

    def __init__(self, port: int, process: Process | None = None) -> None:
        self.base_url = f"http://{LOOPBACK}:{port}"
        self.process = process
        self.token: str | None = None
        self.refresh_token: str | None = None
        self._session: aiohttp.ClientSession | None = None
        self._ids = itertools.count(1)

    async def __aenter__(self) -> Self:
        """Open the HTTP session."""
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def session(self) -> aiohttp.ClientSession:
        """Return the open HTTP session."""
        if self._session is None:
            raise RuntimeError("use `async with HomeAssistant(...)`")
        return self._session

    @property
    def client_id(self) -> str:
        """Return the OAuth client id the frontend would use: the base URL."""
        return f"{self.base_url}/"

    def _headers(self) -> dict[str, str]:
        """Return the authorization header (once there is a token)."""
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def _check_process(self) -> None:
        """Fail fast when the Home Assistant process died."""
        if self.process is not None:
            self.process.check_running()

    async def wait_http(self, within: float = 300) -> None:
        """Wait until the HTTP server answers (the frontend is up)."""
        deadline = time.monotonic() + within
        while True:
            self._check_process()
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with self.session.get(
                    f"{self.base_url}/manifest.json", timeout=aiohttp.ClientTimeout(total=5)
                ) as response:
                    if response.status == 200:
                        return
            if time.monotonic() > deadline:
                raise TimeoutError(f"Home Assistant did not answer at {self.base_url}")
            await asyncio.sleep(0.5)

    async def wait_running(self, within: float = 300) -> None:
        """Wait until Home Assistant has finished starting (needs a token)."""
        deadline = time.monotonic() + within
        await self.wait_http(within)
        while True:
            self._check_process()
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                config = await self.rest("GET", "/api/config")
                if config.get("state") == "RUNNING":
                    return
            if time.monotonic() > deadline:
                raise TimeoutError("Home Assistant did not finish starting")
            await asyncio.sleep(0.5)

    async def rest(self, method: str, path: str, payload: Any = None) -> Any:
        """Call the REST API; return the decoded JSON (raise on an HTTP error)."""
        async with self.session.request(
            method, f"{self.base_url}{path}", json=payload, headers=self._headers()
        ) as response:
            body = await response.text()
            if response.status >= 400:
                raise RuntimeError(f"{method} {path}: HTTP {response.status}: {body}")
            return json.loads(body) if body else None

    async def onboard(self, *, complete: bool = False) -> None:
        """Create the owner (the onboarding's user step) and log in with its auth code.

        With `complete`, the remaining steps are finished too, so that a browser opens the
        dashboard instead of the onboarding wizard.
        """
        created = await self.rest(
            "POST",
            "/api/onboarding/users",
            {**OWNER, "client_id": self.client_id, "language": "en"},
        )
        await self._token({"grant_type": "authorization_code", "code": created["auth_code"]})
        if complete:
            await self.rest("POST", "/api/onboarding/core_config")
            await self.rest("POST", "/api/onboarding/analytics")
            await self.rest(
                "POST",
                "/api/onboarding/integration",
                {"client_id": self.client_id, "redirect_uri": f"{self.base_url}/?auth_callback=1"},
            )

    async def login(self) -> None:
        """Log in as the owner through the login flow (for an already onboarded instance)."""
        flow = await self.rest(
            "POST",
            "/auth/login_flow",
            {
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": f"{self.base_url}/?auth_callback=1",
            },
        )
        done = await self.rest(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            {
                "client_id": self.client_id,
                "username": OWNER["username"],
                "password": OWNER["password"],
            },
        )
        await self._token({"grant_type": "authorization_code", "code": done["result"]})

    async def _token(self, form: dict[str, str]) -> None:
        """Exchange a code for tokens at /auth/token."""
        async with self.session.post(
            f"{self.base_url}/auth/token", data={**form, "client_id": self.client_id}
        ) as response:
            body = await response.text()
            if response.status != 200:
                raise RuntimeError(f"/auth/token: HTTP {response.status}: {body}")
        tokens = json.loads(body)
        self.token = tokens["access_token"]
        self.refresh_token = tokens.get("refresh_token") or self.refresh_token

    async def start_flow(self, handler: str) -> dict[str, Any]:
        """Start a config flow, as "Add integration" in the UI does."""
        result: dict[str, Any] = await self.rest(
            "POST",
            "/api/config/config_entries/flow",
            {"handler": handler, "show_advanced_options": False},
        )
        return result

    async def flow_step(self, flow_id: str, user_input: dict[str, Any]) -> dict[str, Any]:
        """Submit one form of a config flow."""
        result: dict[str, Any] = await self.rest(
            "POST", f"/api/config/config_entries/flow/{flow_id}", user_input
        )
        return result

    async def set_options(self, entry_id: str, user_input: dict[str, Any]) -> dict[str, Any]:
        """Run an entry's options flow with one form."""
        flow = await self.rest(
            "POST", "/api/config/config_entries/options/flow", {"handler": entry_id}
        )
        result: dict[str, Any] = await self.rest(
            "POST", f"/api/config/config_entries/options/flow/{flow['flow_id']}", user_input
        )
        return result

    async def ws(self, *commands: dict[str, Any]) -> list[Any]:
        """Send websocket commands (one connection); return their results in order."""
        results: list[Any] = []
        async with self.session.ws_connect(f"{self.base_url}/api/websocket") as socket_:
            if (await socket_.receive_json())["type"] != "auth_required":
                raise RuntimeError("unexpected websocket greeting")
            await socket_.send_json({"type": "auth", "access_token": self.token})
            auth = await socket_.receive_json()
            if auth["type"] != "auth_ok":
                raise RuntimeError(f"websocket authentication failed: {auth}")
            for command in commands:
                message_id = next(self._ids)
                await socket_.send_json({**command, "id": message_id})
                while True:
                    answer = await socket_.receive_json()
                    if answer.get("id") == message_id and answer.get("type") == "result":
                        break
                if not answer.get("success"):
                    raise RuntimeError(f"websocket {command['type']}: {answer.get('error')}")
                results.append(answer.get("result"))
        return results

    async def entities(self, platform: str = DOMAIN) -> dict[str, str]:
        """Return {unique_id: entity_id} of a platform's entities from the entity registry."""
        (registry,) = await self.ws({"type": "config/entity_registry/list"})
        return {
            entry["unique_id"]: entry["entity_id"]
            for entry in registry
            if entry["platform"] == platform
        }

    async def states(self) -> dict[str, dict[str, Any]]:
        """Return every state, by entity id."""
        return {state["entity_id"]: state for state in await self.rest("GET", "/api/states")}


def energy_preferences(ids: Mapping[str, str], *, capacity_kwh: float | None) -> dict[str, Any]:
    """Return Energy preferences (HA 2026.11 format) using the integration's sensors.

    `ids` maps the unique id suffix (e.g. `grid_imported_energy`) to the entity id.
    """
    battery: dict[str, Any] = {
        "type": "battery",
        "stat_energy_from": ids["battery_discharged_energy"],
        "stat_energy_to": ids["battery_charged_energy"],
        # Our battery power is + while charging; the Energy dashboard wants + discharging.
        "power_config": {"stat_rate_inverted": ids["battery_power"]},
        "stat_soc": ids["battery_soc"],
    }
    if capacity_kwh:
        battery["capacity"] = capacity_kwh
    return {
        "energy_sources": [
            {
                "type": "grid",
                "stat_energy_from": ids["grid_imported_energy"],
                "stat_energy_to": ids["grid_exported_energy"],
                "stat_cost": None,
                "entity_energy_price": None,
                "number_energy_price": None,
                "stat_compensation": None,
                "entity_energy_price_export": None,
                "number_energy_price_export": None,
                # + while importing: the dashboard's own convention.
                "power_config": {"stat_rate": ids["grid_power"]},
                "cost_adjustment_day": 0,
            },
            {
                "type": "solar",
                "stat_energy_from": ids["solar_energy"],
                "stat_rate": ids["solar_power"],
                "config_entry_solar_forecast": None,
            },
            battery,
            {
                "type": "home",
                "stat_energy_to": ids["house_energy"],
                "stat_rate": ids["house_power"],
            },
        ],
        "device_consumption": [],
    }


def by_suffix(entities: Mapping[str, str], serial: str) -> dict[str, str]:
    """Turn {unique_id: entity_id} into {key: entity_id} for `<serial>_<key>` unique ids."""
    prefix = f"{serial}_"
    return {
        unique_id.removeprefix(prefix): entity_id
        for unique_id, entity_id in entities.items()
        if unique_id.startswith(prefix)
    }
