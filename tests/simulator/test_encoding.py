"""The simulator's value encoder writes exactly the appliance's typed strings."""

from __future__ import annotations

import math
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from senec_simulator.encoding import NAN_FLOAT, Kind, Typed, encode

from .support import decode


@pytest.mark.parametrize(
    ("kind", "value", "wire"),
    [
        (Kind.FL, 100.0, "fl_42C80000"),
        (Kind.FL, -0.0, "fl_80000000"),
        (Kind.FL, 0.0, "fl_00000000"),
        (Kind.FL, -249.19224548339844, "fl_C3793137"),
        (Kind.FL, math.nan, "fl_7FC00000"),
        (Kind.U8, 13, "u8_0D"),
        (Kind.U8, 255, "u8_FF"),
        (Kind.U1, 2021, "u1_07E5"),
        (Kind.U3, 100, "u3_00000064"),
        (Kind.U6, 0x1F13242436354536, "u6_1F13242436354536"),
        (Kind.I8, -1, "i8_FF"),
        (Kind.I1, -2, "i1_FFFE"),
        (Kind.I3, 120, "i3_00000078"),
        (Kind.I3, -120, "i3_FFFFFF88"),
        (Kind.I3, 60, "i3_0000003C"),
        (Kind.ST, "0826", "st_0826"),
        (Kind.ST, "", "st_"),
        (Kind.ST, "a_b_c", "st_a_b_c"),
    ],
)
def test_known_values(kind: Kind, value: float | int | str, wire: str) -> None:
    assert encode(kind, value) == wire
    assert Typed(kind, value).encode() == wire


def test_nan_constant_is_quiet_nan() -> None:
    assert math.isnan(struct.unpack(">f", bytes.fromhex(NAN_FLOAT[3:]))[0])


@pytest.mark.parametrize(
    ("kind", "value"),
    [(Kind.U8, 256), (Kind.U8, -1), (Kind.I8, 128), (Kind.I8, -129), (Kind.U1, 65536)],
)
def test_out_of_range_integers_are_refused(kind: Kind, value: int) -> None:
    with pytest.raises(ValueError, match="does not fit"):
        encode(kind, value)


def test_integer_kinds_refuse_fractions() -> None:
    with pytest.raises(TypeError):
        encode(Kind.U3, 1.5)


@given(st.floats(width=32, allow_nan=False))
def test_float32_round_trip(value: float) -> None:
    wire = encode(Kind.FL, value)
    back = decode(wire)
    assert back == value
    assert math.copysign(1, back) == math.copysign(1, value)


@pytest.mark.parametrize(
    ("kind", "bits", "signed"),
    [
        (Kind.U8, 8, False),
        (Kind.U1, 16, False),
        (Kind.U3, 32, False),
        (Kind.U6, 64, False),
        (Kind.I8, 8, True),
        (Kind.I1, 16, True),
        (Kind.I3, 32, True),
    ],
)
@given(data=st.data())
def test_integer_round_trip(kind: Kind, bits: int, signed: bool, data: st.DataObject) -> None:
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    value = data.draw(st.integers(low, high))
    wire = encode(kind, value)
    assert wire.startswith(f"{kind.value}_")
    assert len(wire) == 3 + bits // 4
    assert decode(wire) == value
