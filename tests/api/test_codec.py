"""The value codec: every type, every sentinel, the real recorded answers, and properties."""

from __future__ import annotations

import json
import math
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custom_components.senec_home.api import (
    NoValue,
    Reason,
    SenecProtocolError,
    Snapshot,
    codec,
    decode_answer,
    decode_value,
    encode_value,
    parse_answer,
    state_key,
)
from custom_components.senec_home.api.codec import clear_cache, decode_list

from .answers import V2_1_HTTP_2022, V3_HTTPS_0826


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("fl_42C80000", 100.0),
        ("fl_00000000", 0.0),
        ("fl_C1647AE1", struct.unpack(">f", bytes.fromhex("C1647AE1"))[0]),
        ("fl_42c80000", 100.0),
        ("u8_0D", 13),
        ("u8_FF", 255),
        ("u1_07E5", 2021),
        ("u3_00000064", 100),
        ("u6_1F13242436354536", 0x1F13242436354536),
        ("u6_FFFFFFFFFFFFFFFF", 2**64 - 1),
        ("i8_FF", -1),
        ("i8_7F", 127),
        ("i8_80", -128),
        ("i1_FFFE", -2),
        ("i1_8000", -32768),
        ("i1_7FFF", 32767),
        ("i3_00000078", 120),
        ("i3_FFFFFF88", -120),
        ("i3_80000000", -(2**31)),
        ("st_0826", "0826"),
        ("st_", ""),
        ("st_a_b_c", "a_b_c"),
        ("ch_x", "x"),
    ],
)
def test_decodes_every_type(raw: str, expected: float | int | str) -> None:
    assert decode_value(raw) == expected
    assert type(decode_value(raw)) is type(expected)


def test_negative_zero_keeps_its_sign() -> None:
    value = decode_value("fl_80000000")
    assert value == 0.0
    assert isinstance(value, float)
    assert math.copysign(1.0, value) == -1.0


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("VARIABLE_NOT_FOUND", Reason.NOT_FOUND),
        ("FORBIDDEN", Reason.FORBIDDEN),
        ("MALFORMED_VALUE", Reason.MALFORMED),
        ("FILE_VARIABLE_NOT_READABLE", Reason.UNREADABLE),
        ("FILE_VARIABLE_NOT_READABLE_SOMETHING", Reason.UNREADABLE),
        ("er_TIMEOUT", Reason.ERROR),
        ("fl_7FC00000", Reason.NOT_FINITE),  # NaN
        ("fl_7F800000", Reason.NOT_FINITE),  # +inf
        ("fl_FF800000", Reason.NOT_FINITE),  # -inf
        ("fl_7F7FFFFF", Reason.NOT_FINITE),  # 3.4e38, the encoder's stand-in
        ("fl_FF7FFFFF", Reason.NOT_FINITE),
        ("fl_42C8000", Reason.INVALID),  # one digit short
        ("fl_42C80000A", Reason.INVALID),
        ("fl_42CX0000", Reason.INVALID),
        ("u8_100", Reason.INVALID),
        ("i3_12", Reason.INVALID),
        ("u1_GGGG", Reason.INVALID),
        ("zz_00", Reason.INVALID),
        ("", Reason.INVALID),
        ("garbage", Reason.INVALID),
        ("u3_+0000064", Reason.INVALID),
        ("u1_FFFF", Reason.UNSET),  # "unset", no count of 65535
    ],
)
def test_bad_values_become_no_value_with_reason(raw: str, reason: Reason) -> None:
    value = decode_value(raw)
    assert isinstance(value, NoValue)
    assert value.reason is reason
    assert value.raw == raw
    assert not value


@pytest.mark.parametrize("raw", [None, 12, 1.5, True, {"a": 1}, ["x"]])
def test_non_string_values_become_no_value(raw: object) -> None:
    value = decode_value(raw)
    assert isinstance(value, NoValue)
    assert value.reason is Reason.INVALID


def test_lists_decode_per_item_and_stop_at_end_marker() -> None:
    assert decode_list(["fl_42C80000", "u8_01", "VARIABLE_NOT_FOUND"]) == (
        100.0,
        1,
        NoValue(Reason.NOT_FOUND, "VARIABLE_NOT_FOUND"),
    )
    assert decode_list(["st_a", "st_b", "st_END_OF_ARRAY", "st_junk"]) == ("a", "b")
    answer = decode_answer({"X": {"L": ["st_a", "st_END_OF_ARRAY", "st_c"]}})
    assert answer["X"]["L"] == ("a",)


def test_object_not_found_and_wrong_shaped_sections_are_empty() -> None:
    answer = decode_answer(
        {
            "WALLBOX": {"OBJECT_NOT_FOUND": ""},
            "ODD": "not a section",
            "ENERGY": {"STAT_STATE": "u8_0E", "WEIRD": 5},
        }
    )
    assert answer["WALLBOX"] == {}
    assert answer["ODD"] == {}
    assert answer["ENERGY"]["STAT_STATE"] == 14
    assert answer["ENERGY"]["WEIRD"] == NoValue(Reason.INVALID, "5")


def test_one_bad_float_does_not_take_the_others_down() -> None:
    answer = decode_answer(
        {
            "PV1": {"MPP_POWER": ["fl_4303974C", "fl_ZZ000000", "fl_42F708B5"]},
            "ENERGY": {"GUI_GRID_POW": "fl_44722000", "GUI_HOUSE_POW": "fl_7FC00000"},
        }
    )
    first, bad, third = answer["PV1"]["MPP_POWER"]
    assert first == pytest.approx(131.59, abs=0.01)
    assert bad == NoValue(Reason.INVALID, "fl_ZZ000000")
    assert third == pytest.approx(123.52, abs=0.01)
    assert answer["ENERGY"]["GUI_GRID_POW"] == 968.5
    assert answer["ENERGY"]["GUI_HOUSE_POW"] == NoValue(Reason.NOT_FINITE, "fl_7FC00000")


@pytest.mark.parametrize("payload", [[], "text", 1, None, [{"A": {}}]])
def test_an_answer_that_is_not_an_object_is_a_protocol_error(payload: object) -> None:
    with pytest.raises(SenecProtocolError):
        decode_answer(payload)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   ",
        b'{"ENERGY":{"STAT_STATE":"u8_0E"',  # truncated
        b'{"PV1":{"MPP_POWER":["fl_00000000"","fl_00000000"]}}',  # stray quote
        b"<html>nginx</html>",
        b"[1, 2]",
    ],
)
def test_unusable_bodies_are_protocol_errors(body: bytes) -> None:
    with pytest.raises(SenecProtocolError):
        parse_answer(body)


def test_real_v2_1_answer_decodes_to_documented_values() -> None:
    answer = parse_answer(V2_1_HTTP_2022)
    snapshot = Snapshot.from_answer(answer, json.loads(V2_1_HTTP_2022))
    assert snapshot.system_state == 17
    assert state_key(snapshot.system_state) == "pv_plus_discharge"
    assert snapshot.battery_power == pytest.approx(-249.2, abs=0.05)
    assert snapshot.grid_power == pytest.approx(-14.28, abs=0.005)
    assert snapshot.totals.house_consumption == pytest.approx(13757.5, abs=0.05)
    assert snapshot.totals.battery_charge == pytest.approx(1981.4, abs=0.1)
    assert snapshot.totals.available
    assert snapshot.export_limit == 100.0
    assert answer["ENERGY"]["GUI_BAT_DATA_OA_CHARGING"] == NoValue(
        Reason.NOT_FOUND, "VARIABLE_NOT_FOUND"
    )
    assert answer["PM1OBJ1"]["P_TOTAL"] == answer["ENERGY"]["GUI_GRID_POW"]
    assert len(answer["PM1OBJ1"]["U_AC"]) == 3
    # The V2.1 answer has no MPP lists: absent, not zero.
    assert snapshot.mpp_power == ()
    assert snapshot.design_capacity is None


def test_real_v3_answer_decodes_to_documented_values() -> None:
    answer = parse_answer(V3_HTTPS_0826)
    snapshot = Snapshot.from_answer(answer, json.loads(V3_HTTPS_0826))
    assert snapshot.system_state == 15
    assert state_key(15) == "battery_empty"
    assert snapshot.battery_soc == 0.0
    assert snapshot.grid_power == 968.5
    assert snapshot.house_power == pytest.approx(1236.9, abs=0.05)
    assert snapshot.pv_power == pytest.approx(255.1, abs=0.05)
    assert snapshot.hours_of_operation == 0x682D
    assert snapshot.export_limit == 100.0
    assert not snapshot.totals.available
    assert answer["RTC"]["UTC_OFFSET"] == 60
    assert answer["WIZARD"]["APPLICATION_VERSION"] == "0826"
    assert snapshot.mpp_power[1] == 0.0
    assert len(snapshot.mpp_power) == 3


def test_unknown_state_codes_survive() -> None:
    snapshot = Snapshot.from_answer(decode_answer({"ENERGY": {"STAT_STATE": "u8_C8"}}), {})
    assert snapshot.system_state == 200
    assert state_key(200) is None
    assert state_key(None) is None


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (100.0, "fl", "fl_42C80000"),
        (-0.0, "fl", "fl_80000000"),
        (13, "u8", "u8_0D"),
        (-1, "i8", "i8_FF"),
        (-128, "i8", "i8_80"),
        (-2, "i1", "i1_FFFE"),
        (-(2**31), "i3", "i3_80000000"),
        (2**64 - 1, "u6", "u6_FFFFFFFFFFFFFFFF"),
        ("0826", "st", "st_0826"),
        ("", "st", "st_"),
    ],
)
def test_encodes_like_the_appliance(value: float | int | str, kind: str, expected: str) -> None:
    assert encode_value(value, kind) == expected


@pytest.mark.parametrize(
    ("value", "kind"), [(256, "u8"), (-1, "u3"), (128, "i8"), (1.5, "u8"), (1, "zz")]
)
def test_encode_refuses_what_does_not_fit(value: float | int, kind: str) -> None:
    with pytest.raises(ValueError, match=r"cannot encode|does not fit"):
        encode_value(value, kind)


_INT_KINDS = {
    "u8": (0, 2**8 - 1),
    "u1": (0, 2**16 - 2),  # u1_FFFF means "unset"
    "u3": (0, 2**32 - 1),
    "u6": (0, 2**64 - 1),
    "i8": (-(2**7), 2**7 - 1),
    "i1": (-(2**15), 2**15 - 1),
    "i3": (-(2**31), 2**31 - 1),
}


@given(
    st.sampled_from(sorted(_INT_KINDS)).flatmap(
        lambda kind: st.tuples(st.just(kind), st.integers(*_INT_KINDS[kind]))
    )
)
def test_integers_round_trip(kind_and_value: tuple[str, int]) -> None:
    kind, value = kind_and_value
    assert decode_value(encode_value(value, kind)) == value


@given(st.floats(width=32, allow_nan=False, allow_infinity=False).filter(lambda x: abs(x) < 1e38))
def test_floats_round_trip(value: float) -> None:
    decoded = decode_value(encode_value(value, "fl"))
    assert decoded == value
    assert decode_answer({"S": {"V": encode_value(value, "fl")}})["S"]["V"] == value


@given(st.text())
def test_strings_round_trip(value: str) -> None:
    assert decode_value(encode_value(value, "st")) == value


@given(st.text())
def test_arbitrary_strings_decode_to_a_value_or_no_value(raw: str) -> None:
    value = decode_value(raw)
    assert isinstance(value, (int, float, str, NoValue))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=30,
)


@given(_JSON)
def test_arbitrary_json_decodes_or_is_a_protocol_error(payload: object) -> None:
    try:
        answer = decode_answer(payload)
    except SenecProtocolError:
        assert not isinstance(payload, dict)
        return
    assert isinstance(payload, dict)
    assert set(answer) == set(payload)
    for section in answer.values():
        for value in section.values():
            items = value if isinstance(value, tuple) else (value,)
            assert all(isinstance(item, (int, float, str, NoValue)) for item in items)


@given(st.binary())
def test_arbitrary_bodies_parse_or_are_protocol_errors(body: bytes) -> None:
    try:
        answer = parse_answer(body)
    except SenecProtocolError:
        return
    assert isinstance(answer, dict)


def test_a_changed_list_item_is_decoded_anew() -> None:
    first = decode_answer({"PV1": {"MPP_POWER": ["fl_42C80000", "fl_00000000"]}})
    second = decode_answer({"PV1": {"MPP_POWER": ["fl_42C80000", "fl_42C80000"]}})
    assert first["PV1"]["MPP_POWER"] == (100.0, 0.0)
    assert second["PV1"]["MPP_POWER"] == (100.0, 100.0)


def test_the_token_cache_stays_bounded_over_a_long_run() -> None:
    clear_cache()
    for step in range(3 * codec._CACHE_LIMIT):
        value = float(step)
        answer = decode_answer(
            {"S": {"V": encode_value(value, "fl"), "L": [encode_value(value, "fl")]}}
        )
        assert answer["S"]["V"] == value
        assert answer["S"]["L"] == (value,)
        assert len(codec._CACHE) <= codec._CACHE_LIMIT + 2
        assert len(codec._LISTS) <= codec._CACHE_LIMIT + 1
