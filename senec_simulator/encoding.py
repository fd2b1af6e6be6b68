"""The appliance's typed value strings (`fl_42C80000`, `u8_0D`, `st_0826`, ...).

An encoder of its own, written from the protocol description rather than shared with the
integration's decoder: if both were one piece of code, a misreading of the protocol would
make the simulator and the client agree with each other and both be wrong.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from enum import StrEnum

#: What a NaN float looks like on the wire (the quiet NaN with no payload).
NAN_FLOAT = "fl_7FC00000"


class Kind(StrEnum):
    """The type prefix of a value string."""

    FL = "fl"
    U8 = "u8"
    U1 = "u1"
    U3 = "u3"
    U6 = "u6"
    I8 = "i8"
    I1 = "i1"
    I3 = "i3"
    ST = "st"


#: Integer kinds: (bit width, signed).
_INTEGERS: dict[Kind, tuple[int, bool]] = {
    Kind.U8: (8, False),
    Kind.U1: (16, False),
    Kind.U3: (32, False),
    Kind.U6: (64, False),
    Kind.I8: (8, True),
    Kind.I1: (16, True),
    Kind.I3: (32, True),
}


@dataclass(frozen=True, slots=True)
class Typed:
    """A value together with the type the appliance reports it as."""

    kind: Kind
    value: float | int | str

    def encode(self) -> str:
        """Return the wire form of this value."""
        return encode(self.kind, self.value)


def encode_float(value: float) -> str:
    """Encode a float as the upper-case hex of its big-endian IEEE-754 float32 bits.

    NaN always becomes the canonical quiet NaN so a fault reads the same on every platform;
    -0.0 keeps its sign bit (`fl_80000000`), as a real inverter reports it at night.
    """
    if math.isnan(value):
        return NAN_FLOAT
    return "fl_" + struct.pack(">f", value).hex().upper()


def encode_int(kind: Kind, value: int) -> str:
    """Encode an integer with the width of `kind`, negative ones as two's complement."""
    bits, signed = _INTEGERS[kind]
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    if not low <= value <= high:
        raise ValueError(f"{value} does not fit {kind.value}_")
    return f"{kind.value}_{value & ((1 << bits) - 1):0{bits // 4}X}"


def encode(kind: Kind, value: float | int | str) -> str:
    """Encode one value of the given kind."""
    if kind is Kind.FL:
        return encode_float(float(value))
    if kind is Kind.ST:
        return f"st_{value}"
    if isinstance(value, str) or (isinstance(value, float) and not value.is_integer()):
        raise TypeError(f"{kind.value}_ needs an integer, got {value!r}")
    return encode_int(kind, int(value))
