"""Test helpers: an independent decoder of the value strings and a client for the simulator."""

from __future__ import annotations

import asyncio
import json
import ssl
import struct
from dataclasses import dataclass
from typing import Any

import aiohttp

from senec_simulator import Simulator

_WIDTHS = {"u8": 8, "u1": 16, "u3": 32, "u6": 64, "i8": 8, "i1": 16, "i3": 32}


def decode(value: str) -> float | int | str:
    """Decode one typed value string per the protocol description."""
    prefix, sep, payload = value.partition("_")
    assert sep, f"not a typed value: {value!r}"
    if prefix == "fl":
        assert len(payload) == 8
        assert payload == payload.upper()
        return struct.unpack(">f", bytes.fromhex(payload))[0]
    if prefix == "st":
        return payload
    bits = _WIDTHS[prefix]
    assert len(payload) == bits // 4, value
    assert payload == payload.upper(), value
    number = int(payload, 16)
    if prefix.startswith("i") and number >= 1 << (bits - 1):
        number -= 1 << bits
    return number


async def read_message(reader: asyncio.StreamReader) -> bytes:
    """Read one HTTP message (its body by Content-Length) from a raw stream; return its head."""
    head = await reader.readuntil(b"\r\n\r\n")
    lengths = [
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length")
    ]
    await reader.readexactly(lengths[0] if lengths else 0)
    return head


def f32(value: float) -> float:
    """Round a float to float32, as the wire does."""
    return struct.unpack(">f", struct.pack(">f", value))[0]


@dataclass
class Reply:
    """One HTTP answer from the simulator."""

    status: int
    headers: Any
    body: bytes

    def json(self) -> Any:
        """Decode the body."""
        return json.loads(self.body)


def trusting(sim: Simulator) -> ssl.SSLContext | None:
    """Return a client context that trusts exactly the simulator's self-signed certificate."""
    if sim.certificate_pem is None:
        return None
    return ssl.create_default_context(cadata=sim.certificate_pem.decode())


class Client:
    """A client as the integration would hold one: cookie jar that accepts IP hosts."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.session = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            timeout=aiohttp.ClientTimeout(total=10),
        )

    async def post(self, body: Any, *, raw: bytes | None = None) -> Reply:
        """POST a request to lala.cgi (a JSON object, or raw bytes)."""
        data = raw if raw is not None else json.dumps(body).encode()
        async with self.session.post(self.sim.url, data=data, ssl=trusting(self.sim)) as resp:
            return Reply(resp.status, resp.headers, await resp.read())

    async def read(self, body: Any) -> dict[str, Any]:
        """POST and return the decoded answer, which must be a 200."""
        reply = await self.post(body)
        assert reply.status == 200, reply
        answer: dict[str, Any] = reply.json()
        return answer

    async def control(self, method: str, path: str, body: Any = None) -> Reply:
        """Call the control endpoint."""
        url = f"{self.sim.scheme}://{self.sim.host}{path}"
        async with self.session.request(method, url, json=body, ssl=trusting(self.sim)) as resp:
            return Reply(resp.status, resp.headers, await resp.read())

    async def close(self) -> None:
        """Close the session."""
        await self.session.close()
