"""The appliance's identity, and its MAC address in particular, read from real answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from custom_components.senec_home.api import Identity, SenecClient, parse_answer
from custom_components.senec_home.api.host import host_is_ip
from senec_simulator import Simulator

# The whole WIZARD section of a V3 hybrid duo on firmware 0811, as published in
# AndreasLehmann/senec-exporter, example/resp_WIZARD.json (commit a34690e580ff).
REAL_WIZARD = (
    Path(__file__).parents[1] / "fixtures/real_answers/28-lehmann-2021-12-v3duo-0811-wizard.json"
)


def _identity(wizard: dict[str, Any]) -> Identity:
    """Decode an identity answer with a serial and the given WIZARD section."""
    body = {"FACTORY": {"DEVICE_ID": "st_1234"}, "WIZARD": wizard}
    answer = parse_answer(orjson.dumps(body))
    identity = Identity.from_answer(answer)
    assert identity is not None
    return identity


def test_the_mac_of_a_real_appliance_is_read() -> None:
    answer = parse_answer(REAL_WIZARD.read_bytes())
    answer["FACTORY"] = {"DEVICE_ID": "1234"}
    identity = Identity.from_answer(answer)
    assert identity is not None
    assert identity.mac == "14:1f:ba:21:22:10"
    assert identity.application_version == "0811"


@pytest.mark.parametrize(
    "value",
    [
        "VARIABLE_NOT_FOUND",
        "u8_14",
        ["u8_14", "u8_1F", "u8_BA", "u8_21", "u8_22"],
        ["u8_14", "u8_1F", "u8_BA", "u8_21", "u8_22", "u8_10", "u8_00"],
        ["u8_14", "u8_1F", "u8_BA", "u8_21", "u8_22", "VARIABLE_NOT_FOUND"],
        ["u8_14", "u8_1F", "u8_BA", "u8_21", "u8_22", "fl_41800000"],
        ["u8_14", "u8_1F", "u8_BA", "u8_21", "u8_22", "u1_0100"],
        ["u8_14", "u8_1F", "u8_BA", "u8_21", "u8_22", "st_10"],
        ["u8_00"] * 6,
        ["u8_FF"] * 6,
    ],
)
def test_anything_but_six_bytes_is_no_mac(value: object) -> None:
    assert _identity({"MAC_ADDRESS_BYTES": value}).mac is None


@pytest.mark.parametrize(
    ("name", "application", "image", "npu", "firmware"),
    [
        # u1 integers, as real appliances send them: u1_07DB = 2011, u1_0906 = 2310.
        ("29-nihaf-2022-10-v3-full-dump", "2997", 2011, 9, "2997 (NPU 2011)"),
        ("30-nihaf-2024-04-npu2310-denormal-floats", None, 2310, 10, "? (NPU 2310)"),
    ],
)
def test_the_npu_versions_of_real_appliances_are_read(
    name: str, application: str | None, image: int, npu: int, firmware: str
) -> None:
    path = Path(__file__).parents[1] / "fixtures" / "real_answers" / f"{name}.json"
    answer = parse_answer(path.read_bytes())
    answer["FACTORY"] = {"DEVICE_ID": "1234"}
    identity = Identity.from_answer(answer)
    assert identity is not None
    assert identity.npu_image_version == image
    assert identity.npu_version == npu
    assert identity.application_version == application
    assert identity.firmware == firmware


@pytest.mark.parametrize(
    ("value", "expected"),
    [("u1_0968", 2408), ("st_2411", 2411), ("st_2.8.4", None), ("VARIABLE_NOT_FOUND", None)],
)
def test_an_npu_image_version_is_a_number_or_nothing(value: str, expected: int | None) -> None:
    body = {"FACTORY": {"DEVICE_ID": "st_1"}, "SYS_UPDATE": {"NPU_IMAGE_VERSION": value}}
    identity = Identity.from_answer(parse_answer(orjson.dumps(body)))
    assert identity is not None
    assert identity.npu_image_version == expected


def test_an_identity_without_wizard_has_no_mac() -> None:
    identity = Identity.from_answer(parse_answer(b'{"FACTORY":{"DEVICE_ID":"st_1"}}'))
    assert identity is not None
    assert identity.mac is None


@pytest.mark.parametrize("simulator", ["legacy", "v3-0826", "v3-npu2411"], indirect=True)
async def test_the_client_reads_the_mac_at_set_up(simulator: Simulator) -> None:
    async with aiohttp.ClientSession() as session:
        identity = await SenecClient(simulator.host, session).identity()
    assert identity.mac == simulator.mac
    assert simulator.mac.startswith("14:1f:ba:2")


@pytest.mark.parametrize(
    ("simulator", "expected"),
    [("legacy", True), ("v3-0826", False), ("v3-npu2411", False)],
    indirect=["simulator"],
)
async def test_the_client_tells_whether_the_firmware_reports_lifetime_totals(
    simulator: Simulator, expected: bool
) -> None:
    """One small request after the identity: only the lifetime totals are asked."""
    async with aiohttp.ClientSession() as session:
        client = SenecClient(simulator.host, session)
        await client.identity()
        before = simulator.request_count
        assert await client.reports_lifetime_totals() is expected
    assert simulator.request_count == before + 1
    request = simulator.last_request or {}
    assert set(request) == {"STATISTIC"}
    assert all(name.startswith("LIVE_") for name in request["STATISTIC"])
    assert len(orjson.dumps(request)) < 256


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("192.168.178.50", True),
        ("192.168.178.50:443", True),
        ("[fd00::50]:443", True),
        ("[fd00::50]", True),
        ("senec.fritz.box", False),
        ("senec:8443", False),
        ("", False),
        ("[broken", False),
    ],
)
def test_host_is_ip(host: str, expected: bool) -> None:
    assert host_is_ip(host) is expected
