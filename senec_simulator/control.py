"""A small HTTP control endpoint next to `lala.cgi`, for scripts and end-to-end tests.

It is never subject to faults, so a test can always see and change what the simulator does.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from .server import Simulator

#: Wall seconds a reboot asked for over HTTP lasts when the request does not say.
DEFAULT_REBOOT_S = 30.0


def _plain(value: Any) -> Any:
    """Make a truth snapshot JSON-friendly (times as ISO 8601)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def state_document(sim: Simulator) -> dict[str, Any]:
    """Return what `GET /_sim/state` shows: the truth, the clock, the profile and the faults."""
    truth = sim.truth
    return {
        **_plain(dataclasses.asdict(truth)),
        "now": truth.now.isoformat(),
        "profile": sim.profile.value,
        "seed": sim.seed,
        "manual_clock": sim.manual_clock,
        "request_count": sim.request_count,
        "last_request": sim.last_request,
        "faults": sim.active_faults,
        "firmware": {
            "fsm_state": sim.firmware.fsm_state(truth.now.timestamp()),
            "update_available": sim.firmware.update_available,
            "restarting": sim.firmware.silent(),
            "restarts": sim.firmware.restarts,
        },
    }


async def _json_body(request: web.Request) -> dict[str, Any]:
    """Decode a control request body; an empty body is an empty object."""
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        decoded = json.loads(raw)
    except ValueError:
        raise web.HTTPBadRequest(text="body is not JSON") from None
    if not isinstance(decoded, dict):
        raise web.HTTPBadRequest(text="body is not a JSON object")
    return decoded


def _bad(message: str) -> web.Response:
    """Return a 400 answer carrying the reason as JSON."""
    return web.json_response({"error": message}, status=400)


def control_routes(sim: Simulator) -> list[web.RouteDef]:
    """Return the `/_sim/*` routes bound to one simulator."""

    async def state(request: web.Request) -> web.Response:
        """Show the ground truth."""
        return web.json_response(state_document(sim))

    async def fault(request: web.Request) -> web.Response:
        """Switch a fault on: {"fault": name, "count": n | null, ...parameters}."""
        body = await _json_body(request)
        name = body.pop("fault", None)
        count = body.pop("count", None)
        if not isinstance(name, str):
            return _bad('"fault" must name a fault')
        try:
            sim.set_fault(name, count, **body)
        except ValueError as err:
            return _bad(str(err))
        return web.json_response({"faults": sim.active_faults})

    async def clear(request: web.Request) -> web.Response:
        """Switch every fault off."""
        sim.clear_faults()
        return web.json_response({"faults": sim.active_faults})

    async def advance(request: web.Request) -> web.Response:
        """Move the simulated clock: {"seconds": s}."""
        seconds = (await _json_body(request)).get("seconds")
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            return _bad('"seconds" must be a non-negative number')
        sim.advance(float(seconds))
        await sim.settle()
        return web.json_response(state_document(sim))

    async def update(request: web.Request) -> web.Response:
        """Offer a firmware update {"available": bool}, or start one {"start": true}.

        A start may name what the appliance reports afterwards: {"application_version":
        "0831", "npu_image_version": 2504}.
        """
        body = await _json_body(request)
        available = body.get("available")
        if available is not None and not isinstance(available, bool):
            return _bad('"available" must be true or false')
        application = body.get("application_version")
        image = body.get("npu_image_version")
        if application is not None and not isinstance(application, str):
            return _bad('"application_version" must be a string')
        if image is not None and (isinstance(image, bool) or not isinstance(image, int)):
            return _bad('"npu_image_version" must be an integer')
        if available is not None:
            sim.announce_update(available)
        if body.get("start") is True:
            sim.start_update(application, image)
        return web.json_response(state_document(sim)["firmware"])

    async def reboot(request: web.Request) -> web.StreamResponse:
        """Reboot for {"seconds": s} of wall time (the answer is sent before the port closes)."""
        seconds = (await _json_body(request)).get("seconds", DEFAULT_REBOOT_S)
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            return _bad('"seconds" must be a non-negative number')
        response = web.json_response({"rebooting_for": seconds})
        await response.prepare(request)
        await response.write_eof()
        await sim.reboot(float(seconds))
        return response

    return [
        web.get("/_sim/state", state),
        web.post("/_sim/fault", fault),
        web.post("/_sim/clear", clear),
        web.post("/_sim/advance", advance),
        web.post("/_sim/reboot", reboot),
        web.post("/_sim/update", update),
    ]
