"""What a client reads over the socket: shapes, types and values like the real appliance."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import pytest

from .conftest import SUMMER_MORNING, SimFactory
from .support import Client, decode, f32

SEED_REQUEST = {
    "STATISTIC": {
        "CURRENT_STATE": "",
        "LIVE_BAT_CHARGE_MASTER": "",
        "LIVE_BAT_DISCHARGE_MASTER": "",
        "LIVE_GRID_EXPORT": "",
        "LIVE_GRID_IMPORT": "",
        "LIVE_HOUSE_CONS": "",
        "LIVE_PV_GEN": "",
        "MEASURE_TIME": "",
    },
    "ENERGY": {
        "GUI_BAT_DATA_CURRENT": "",
        "GUI_BAT_DATA_FUEL_CHARGE": "",
        "GUI_BAT_DATA_POWER": "",
        "GUI_BAT_DATA_VOLTAGE": "",
        "GUI_GRID_POW": "",
        "GUI_HOUSE_POW": "",
        "GUI_INVERTER_POWER": "",
        "STAT_HOURS_OF_OPERATION": "",
    },
    "BMS": {"CHARGED_ENERGY": "", "DISCHARGED_ENERGY": "", "CYCLES": ""},
    "PV1": {"MPP_CUR": "", "MPP_POWER": "", "MPP_VOL": "", "POWER_RATIO": "", "P_TOTAL": ""},
    "FACTORY": {"DESIGN_CAPACITY": "", "MAX_CHARGE_POWER_DC": "", "MAX_DISCHARGE_POWER_DC": ""},
}


def values(section: dict[str, Any]) -> dict[str, Any]:
    """Decode every value of an answered section (lists element-wise)."""
    return {
        k: [decode(x) for x in v] if isinstance(v, list) else decode(v) for k, v in section.items()
    }


async def test_headers_and_shape_follow_the_request(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("v3-0826")
    client: Client = make_client(sim)
    reply = await client.post({"PV1": {"P_TOTAL": ""}, "ENERGY": {"GUI_GRID_POW": ""}})
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/json; charset=utf-8"
    assert reply.headers["Server"] == "nginx/1.17.7"
    answer = reply.json()
    assert list(answer) == ["PV1", "ENERGY"], "sections come back in the order asked"
    assert list(answer["ENERGY"]) == ["GUI_GRID_POW"]
    assert answer["ENERGY"]["GUI_GRID_POW"].startswith("fl_")


async def test_unknown_names(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("v3-0826")
    answer = await make_client(sim).read(
        {"ENERGY": {"GUI_BAT_DATA_OA_CHARGING": "", "NOPE": ""}, "NO_SUCH_SECTION": {"X": ""}}
    )
    assert answer["ENERGY"] == {
        "GUI_BAT_DATA_OA_CHARGING": "VARIABLE_NOT_FOUND",
        "NOPE": "VARIABLE_NOT_FOUND",
    }
    assert answer["NO_SUCH_SECTION"] == {"OBJECT_NOT_FOUND": ""}


async def test_non_json_request_is_a_400(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("legacy")
    client = make_client(sim)
    assert (await client.post(None, raw=b"ENERGY please")).status == 400
    assert (await client.post(None, raw=b'["ENERGY"]')).status == 400
    assert (await client.read({"RTC": {"UTC_OFFSET": ""}}))["RTC"]["UTC_OFFSET"] == "i3_0000003C"
    assert sim.request_count == 3
    assert sim.last_request == {"RTC": {"UTC_OFFSET": ""}}


async def test_whole_sections_and_debug_list(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("v3-0826")
    answer = await make_client(sim).read({"DEBUG": {"SECTIONS": ""}, "ENERGY": {}, "PM1OBJ1": {}})
    sections = [decode(s) for s in answer["DEBUG"]["SECTIONS"]]
    for name in ("ENERGY", "STATISTIC", "BMS", "PV1", "FACTORY", "WIZARD", "SYS_UPDATE", "RTC"):
        assert name in sections
    assert set(answer["ENERGY"]) == {
        "STAT_STATE",
        "GUI_BAT_DATA_POWER",
        "GUI_BAT_DATA_CURRENT",
        "GUI_BAT_DATA_VOLTAGE",
        "GUI_BAT_DATA_FUEL_CHARGE",
        "GUI_GRID_POW",
        "GUI_HOUSE_POW",
        "GUI_INVERTER_POWER",
        "STAT_HOURS_OF_OPERATION",
        "SAFE_CHARGE_FORCE",
        "SAFE_CHARGE_PROHIBIT",
        "SAFE_CHARGE_RUNNING",
        "LI_STORAGE_MODE_START",
        "LI_STORAGE_MODE_STOP",
        "LI_STORAGE_MODE_RUNNING",
    }
    pm = values(answer["PM1OBJ1"])
    assert 49.9 < pm["FREQ"] < 50.1
    assert all(220 < u < 240 for u in pm["U_AC"])
    assert sum(pm["P_AC"]) == pytest.approx(pm["P_TOTAL"], abs=0.01)
    for p, u, i in zip(pm["P_AC"], pm["U_AC"], pm["I_AC"], strict=True):
        assert i == pytest.approx(abs(p / u), rel=1e-5, abs=1e-6), "a magnitude, as real meters"


async def test_answers_report_the_truth(make_sim: SimFactory, make_client: Any) -> None:
    """At many moments the answer is the float32 of the truth, and the balance holds."""
    sim = await make_sim("v3-0826", start=SUMMER_MORNING - timedelta(hours=8))
    client = make_client(sim)
    for _ in range(48):
        sim.advance(1800)
        energy = values((await client.read({"ENERGY": {}}))["ENERGY"])
        t = sim.truth
        assert energy["GUI_INVERTER_POWER"] == f32(t.pv_power)
        assert math.copysign(1, energy["GUI_INVERTER_POWER"]) == math.copysign(1, t.pv_power)
        assert energy["GUI_HOUSE_POW"] == f32(t.house_power)
        assert energy["GUI_BAT_DATA_POWER"] == f32(t.battery_power)
        assert energy["GUI_GRID_POW"] == f32(t.grid_power)
        # A full battery reads 99.99999 (fl_42C7FFFF), as on a real appliance.
        assert energy["GUI_BAT_DATA_FUEL_CHARGE"] == f32(min(t.soc, 99.99999))
        assert energy["STAT_STATE"] == t.state
        balance = (
            energy["GUI_INVERTER_POWER"] - energy["GUI_BAT_DATA_POWER"] + energy["GUI_GRID_POW"]
        )
        assert energy["GUI_HOUSE_POW"] == pytest.approx(balance, abs=0.002)
        assert 45.5 < energy["GUI_BAT_DATA_VOLTAGE"] < 56.5
        assert energy["GUI_BAT_DATA_CURRENT"] == pytest.approx(
            energy["GUI_BAT_DATA_POWER"] / energy["GUI_BAT_DATA_VOLTAGE"], rel=1e-5, abs=1e-6
        )


async def test_hours_of_operation_and_clock_grow(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("v3-0826")
    client = make_client(sim)
    request = {"ENERGY": {"STAT_HOURS_OF_OPERATION": ""}, "RTC": {"WEB_TIME": ""}}
    before = await client.read(request)
    sim.advance(5 * 3600)
    after = await client.read(request)
    hours = decode(after["ENERGY"]["STAT_HOURS_OF_OPERATION"])
    assert hours - decode(before["ENERGY"]["STAT_HOURS_OF_OPERATION"]) == 5
    assert hours > 8760
    # WEB_TIME counts local time (UTC+1 on the simulated appliance), as on real ones.
    local = int(SUMMER_MORNING.timestamp()) + 3600
    assert decode(before["RTC"]["WEB_TIME"]) == local
    assert decode(after["RTC"]["WEB_TIME"]) == local + 5 * 3600


async def test_legacy_profile(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("legacy")
    assert sim.scheme == "http"
    assert sim.certificate_pem is None
    answer = await make_client(sim).read(
        {
            **SEED_REQUEST,
            "STATISTIC": {
                **SEED_REQUEST["STATISTIC"],
                "LIVE_BAT_CHARGE": "",
                "LIVE_BAT_DISCHARGE": "",
            },
            "FACTORY": {
                "SYS_TYPE": "",
                "DEVICE_ID": "",
                "COUNTRY": "",
                "DESIGN_CAPACITY": "",
                "MAX_CHARGE_POWER_DC": "",
                "MAX_DISCHARGE_POWER_DC": "",
            },
            "WIZARD": {"APPLICATION_VERSION": ""},
            "SYS_UPDATE": {"NPU_IMAGE_VERSION": "", "NPU_VER": ""},
            "BMS": {**SEED_REQUEST["BMS"], "MODULES_CONFIGURED": ""},
        }
    )
    stat = answer["STATISTIC"]
    assert stat["LIVE_BAT_CHARGE_MASTER"] == "VARIABLE_NOT_FOUND"
    assert stat["LIVE_BAT_DISCHARGE_MASTER"] == "VARIABLE_NOT_FOUND"
    t = sim.truth
    assert decode(stat["LIVE_BAT_CHARGE"]) == f32(t.battery_charged)
    assert decode(stat["LIVE_BAT_DISCHARGE"]) == f32(t.battery_discharged)
    assert decode(stat["LIVE_GRID_EXPORT"]) == f32(t.grid_exported)
    assert decode(stat["LIVE_GRID_IMPORT"]) == f32(t.grid_imported)
    assert decode(stat["LIVE_HOUSE_CONS"]) == f32(t.house_consumed)
    assert decode(stat["LIVE_PV_GEN"]) == f32(t.pv_generated)
    # u1 and i3 unix seconds (UTC), as in real answers of that firmware.
    assert stat["CURRENT_STATE"] == f"u1_{t.state:04X}"
    assert stat["MEASURE_TIME"] == f"i3_{int(SUMMER_MORNING.timestamp()):08X}"
    assert answer["PV1"]["POWER_RATIO"] == "u3_00000064"
    assert answer["FACTORY"]["SYS_TYPE"] == "u8_0F"
    assert answer["FACTORY"]["COUNTRY"] == "u8_00"
    assert decode(answer["FACTORY"]["DESIGN_CAPACITY"]) == 5000.0
    assert decode(answer["FACTORY"]["MAX_CHARGE_POWER_DC"]) == 2500.0
    assert decode(answer["FACTORY"]["MAX_DISCHARGE_POWER_DC"]) == 2500.0
    assert answer["WIZARD"]["APPLICATION_VERSION"] == "st_0400"
    assert answer["SYS_UPDATE"]["NPU_IMAGE_VERSION"] == "VARIABLE_NOT_FOUND"
    # A u1 integer, as in real answers (corpus files 29 and 30).
    assert answer["SYS_UPDATE"]["NPU_VER"].startswith("u1_")
    assert answer["BMS"]["MODULES_CONFIGURED"] == "u8_02"
    mpp = values(answer["PV1"])
    assert mpp["MPP_POWER"][1:] == [0.0, 0.0], "one tracker on the V2.1"
    assert mpp["MPP_POWER"][0] == f32(t.pv_power)


async def test_legacy_statistic_totals_only_grow(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("legacy", start=SUMMER_MORNING - timedelta(hours=8))
    client = make_client(sim)
    previous = values((await client.read({"STATISTIC": {}}))["STATISTIC"])
    first = previous
    for _ in range(96):
        sim.advance(900)
        current = values((await client.read({"STATISTIC": {}}))["STATISTIC"])
        for name, value in current.items():
            if name.startswith("LIVE_"):
                assert value >= previous[name], name
        previous = current
    assert previous["LIVE_PV_GEN"] > first["LIVE_PV_GEN"] + 10
    assert previous["LIVE_HOUSE_CONS"] > first["LIVE_HOUSE_CONS"] + 5
    assert previous["MEASURE_TIME"] == first["MEASURE_TIME"] + 96 * 900


@pytest.mark.parametrize(("profile", "image"), [("v3-0826", 2408), ("v3-npu2411", 2411)])
async def test_v3_profiles(
    make_sim: SimFactory, make_client: Any, profile: str, image: int
) -> None:
    sim = await make_sim(profile, start=SUMMER_MORNING + timedelta(hours=3))
    assert sim.scheme == "https"
    assert sim.url == f"https://127.0.0.1:{sim.port}/lala.cgi"
    client = make_client(sim)
    request = {
        **SEED_REQUEST,
        "FACTORY": {**SEED_REQUEST["FACTORY"], "SYS_TYPE": "", "DEVICE_ID": ""},
        "WIZARD": {},
        "SYS_UPDATE": {},
        "BMS": {},
        "TEMPMEASURE": {},
    }
    answer = await client.read(request)
    assert answer["STATISTIC"] == {}
    assert (await client.read({"STATISTIC": {}}))["STATISTIC"] == {}
    assert answer["FACTORY"]["SYS_TYPE"] == "u8_12"
    assert decode(answer["FACTORY"]["DESIGN_CAPACITY"]) == 7500.0
    assert decode(answer["FACTORY"]["MAX_DISCHARGE_POWER_DC"]) == 3750.0
    device_id = decode(answer["FACTORY"]["DEVICE_ID"])
    assert isinstance(device_id, str)
    assert device_id.isdigit()
    assert len(device_id) == 25
    assert answer["WIZARD"]["APPLICATION_VERSION"] == "st_0826"
    assert isinstance(decode(answer["WIZARD"]["INTERFACE_VERSION"]), str)
    assert answer["WIZARD"]["GUI_LANG"].startswith("u8_")
    assert answer["SYS_UPDATE"]["NPU_IMAGE_VERSION"] == f"u1_{image:04X}"
    assert answer["SYS_UPDATE"]["FSM_STATE"] == "u8_01"
    assert answer["SYS_UPDATE"]["UPDATE_AVAILABLE"] == "u8_00"
    assert answer["PV1"]["POWER_RATIO"] == "fl_42C80000"
    pv = values(answer["PV1"])
    t = sim.truth
    assert pv["P_TOTAL"] == -f32(t.pv_power), "the opposite sign, as on a real appliance"
    assert t.pv_power > 1000
    assert pv["MPP_POWER"][0] > 0
    assert pv["MPP_POWER"][1] > 0
    assert pv["MPP_POWER"][2] == 0.0
    assert sum(pv["MPP_POWER"]) == pytest.approx(t.pv_power, abs=0.01)
    assert all(250 < v < 450 for v in pv["MPP_VOL"][:2])
    assert pv["MPP_VOL"][2] == 0.0
    for power, volts, amps in zip(pv["MPP_POWER"][:2], pv["MPP_VOL"], pv["MPP_CUR"], strict=False):
        assert amps == pytest.approx(power / volts, rel=1e-5)
    bms = values(answer["BMS"])
    assert bms["MODULES_CONFIGURED"] == 3
    assert all(len(bms[k]) == 4 for k in ("CHARGED_ENERGY", "DISCHARGED_ENERGY", "CYCLES", "SOC"))
    assert bms["CHARGED_ENERGY"][3] == 0
    assert bms["CYCLES"][3] == 0
    assert bms["SOC"][3] == 0.0
    # u3 milliwatt-hours, as in a real answer; seed 1's modules are far from the u3 limit.
    assert all(v.startswith("u3_") for v in answer["BMS"]["CHARGED_ENERGY"])
    assert sum(bms["CHARGED_ENERGY"]) / 1e6 == pytest.approx(t.battery_charged, rel=1e-6)
    assert all(c > 0 for c in bms["CYCLES"][:3])
    assert answer["BMS"]["CYCLES"][0].startswith("u1_")
    assert all(abs(s - t.soc) < 1 for s in bms["SOC"][:3])
    temps = values(answer["TEMPMEASURE"])
    assert all(15 < temps[k] < 60 for k in ("BATTERY_TEMP", "CASE_TEMP", "MCU_TEMP"))


async def test_bms_energy_grows_per_module(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("v3-0826")
    client = make_client(sim)
    before = values((await client.read({"BMS": {}}))["BMS"])
    sim.advance(8 * 3600)
    after = values((await client.read({"BMS": {}}))["BMS"])
    for module in range(3):
        assert after["CHARGED_ENERGY"][module] > before["CHARGED_ENERGY"][module]
        assert after["DISCHARGED_ENERGY"][module] >= before["DISCHARGED_ENERGY"][module]


async def test_device_id_depends_on_seed_and_profile(
    make_sim: SimFactory, make_client: Any
) -> None:
    ids = []
    for profile, seed in (("v3-0826", 1), ("v3-0826", 1), ("v3-0826", 2), ("v3-npu2411", 1)):
        sim = await make_sim(profile, seed=seed)
        answer = await make_client(sim).read({"FACTORY": {"DEVICE_ID": ""}})
        ids.append(answer["FACTORY"]["DEVICE_ID"])
    assert ids[0] == ids[1]
    assert len({ids[0], ids[2], ids[3]}) == 3


async def test_same_seed_same_answers(make_sim: SimFactory, make_client: Any) -> None:
    async def answers(seed: int) -> list[Any]:
        sim = await make_sim("legacy", seed=seed)
        client = make_client(sim)
        out = []
        for _ in range(6):
            sim.advance(3600)
            out.append(await client.read({"ENERGY": {}, "STATISTIC": {}, "PV1": {}, "BMS": {}}))
        return out

    first = await answers(11)
    assert await answers(11) == first
    assert await answers(12) != first


async def test_a_state_override_is_served_as_is(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("v3-0826")
    sim.state_override = 200
    answer = await make_client(sim).read({"ENERGY": {"STAT_STATE": ""}})
    assert answer["ENERGY"]["STAT_STATE"] == "u8_C8"
    sim.state_override = None
    answer = await make_client(sim).read({"ENERGY": {"STAT_STATE": ""}})
    assert decode(answer["ENERGY"]["STAT_STATE"]) == sim.truth.state


@pytest.mark.parametrize("profile", ["legacy", "v3-0826", "v3-npu2411"])
async def test_mac_is_six_u8_in_senecs_block(
    make_sim: SimFactory, make_client: Any, profile: str
) -> None:
    sim = await make_sim(profile)
    # FACTORY first: on NPU 2411 that request also hands out the session cookie.
    request = {"FACTORY": {"DEVICE_ID": ""}, "WIZARD": {"MAC_ADDRESS_BYTES": ""}}
    answer = await make_client(sim).read(request)
    raw = answer["WIZARD"]["MAC_ADDRESS_BYTES"]
    # Real appliances send six u8 values, the first three 14, 1F, BA, the fourth 2x.
    assert len(raw) == 6
    assert all(value.startswith("u8_") for value in raw)
    assert raw[:3] == ["u8_14", "u8_1F", "u8_BA"]
    assert raw[3].startswith("u8_2")
    assert ":".join(value[3:].lower() for value in raw) == sim.mac
