"""Value codec of the appliance's ``lala.cgi`` protocol.

Every value travels as ``<prefix>_<hex payload>`` (``fl_42C80000`` is 100.0). The appliance
is known to send odd things now and then (sentinels, NaN, stray characters), so decoding never
raises for a single value: it yields :class:`NoValue` with the reason, and the rest of the
answer survives. Only an answer that is not a JSON object of objects is a protocol error.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

import orjson

from .errors import SenecProtocolError


class Reason(StrEnum):
    """Why a variable has no value."""

    NOT_FOUND = "variable_not_found"
    SECTION_NOT_FOUND = "object_not_found"
    FORBIDDEN = "forbidden"
    MALFORMED = "malformed_value"
    UNREADABLE = "not_readable"
    ERROR = "error"
    INVALID = "invalid"
    NOT_FINITE = "not_finite"
    UNSET = "unset"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class NoValue:
    """A variable without a usable value; ``raw`` keeps what the appliance sent."""

    reason: Reason
    raw: str = ""

    def __bool__(self) -> bool:
        """Make ``if value:`` read naturally: a missing value is falsy."""
        return False


type Scalar = float | int | str
type Value = Scalar | NoValue | tuple[Scalar | NoValue, ...]
type Section = dict[str, Value]
type Answer = dict[str, Section]

# Floats at or beyond this are the encoder's stand-ins for NaN / infinity (6.8e38, 3.4e38).
ABSURD_FLOAT: Final = 1e38
OBJECT_NOT_FOUND: Final = "OBJECT_NOT_FOUND"
_END_OF_ARRAY: Final = "st_END_OF_ARRAY"
# Published answers use u1_FFFF for a 16-bit setting that is not set (see the provenance
# README of the real-answer test fixtures); it is no count of 65535.
_UNSET: Final = frozenset({"u1_FFFF", "u1_ffff"})

_SENTINELS: Final[dict[str, Reason]] = {
    "VARIABLE_NOT_FOUND": Reason.NOT_FOUND,
    "FORBIDDEN": Reason.FORBIDDEN,
    "MALFORMED_VALUE": Reason.MALFORMED,
}
_UNREADABLE_PREFIX: Final = "FILE_VARIABLE_NOT_READABLE"

# prefix -> (hex digits, bits, signed)
_INTS: Final[dict[str, tuple[int, int, bool]]] = {
    "u8": (2, 8, False),
    "u1": (4, 16, False),
    "u3": (8, 32, False),
    "u6": (16, 64, False),
    "i8": (2, 8, True),
    "i1": (4, 16, True),
    "i3": (8, 32, True),
}
_HEX_DIGITS: Final = frozenset("0123456789abcdefABCDEF")
_FLOAT: Final = struct.Struct(">f")


def _sentinel(raw: str) -> NoValue:
    """Classify a string that has no ``prefix_`` form."""
    reason = _SENTINELS.get(raw)
    if reason is not None:
        return NoValue(reason, raw)
    if raw.startswith(_UNREADABLE_PREFIX):
        return NoValue(Reason.UNREADABLE, raw)
    return NoValue(Reason.INVALID, raw)


def _is_hex(payload: str, digits: int) -> bool:
    """Tell whether ``payload`` is exactly ``digits`` hex digits."""
    return len(payload) == digits and _HEX_DIGITS.issuperset(payload)


def _checked_float(value: float, raw: str) -> float | NoValue:
    """Turn NaN, infinities and the encoder's absurd stand-ins into no value."""
    # NaN fails every comparison, so this one test also catches it.
    if -ABSURD_FLOAT < value < ABSURD_FLOAT:
        return value
    return NoValue(Reason.NOT_FINITE, raw)


def decode_value(raw: object) -> Scalar | NoValue:
    """Decode one typed string; anything unexpected becomes :class:`NoValue`."""
    if not isinstance(raw, str):
        return NoValue(Reason.INVALID, repr(raw)[:64])
    prefix, sep, payload = raw.partition("_")
    if not sep:
        return _sentinel(raw)
    if prefix == "fl":
        if not _is_hex(payload, 8):
            return NoValue(Reason.INVALID, raw)
        return _checked_float(_FLOAT.unpack(bytes.fromhex(payload))[0], raw)
    if prefix in ("st", "ch"):
        return payload
    int_form = _INTS.get(prefix)
    if int_form is not None:
        digits, bits, signed = int_form
        if not _is_hex(payload, digits):
            return NoValue(Reason.INVALID, raw)
        if raw in _UNSET:
            return NoValue(Reason.UNSET, raw)
        number = int(payload, 16)
        if signed and number >> (bits - 1):
            number -= 1 << bits
        return number
    if prefix == "er":
        return NoValue(Reason.ERROR, raw)
    return _sentinel(raw)


def decode_list(raw: list[object]) -> tuple[Scalar | NoValue, ...]:
    """Decode a list; ``st_END_OF_ARRAY`` ends a string list early."""
    if _END_OF_ARRAY in raw:
        raw = raw[: raw.index(_END_OF_ARRAY)]
    return tuple(decode_value(item) for item in raw)


class _TokenCache(dict[Any, Scalar | NoValue]):
    """Raw token -> decoded value, filled on first sight.

    Most tokens repeat from one poll to the next (zeros, constants, states, versions), so
    a dictionary hit replaces the decode; only the values that changed are decoded again.
    """

    __slots__ = ()

    def __missing__(self, raw: Any) -> Scalar | NoValue:
        """Decode a token not seen before; remember it only if it is a string."""
        value = decode_value(raw)
        if raw.__class__ is str:
            self[raw] = value
        return value


class _ListCache(dict[tuple[Any, ...], tuple[Scalar | NoValue, ...]]):
    """Raw list (as a tuple) -> decoded tuple: module and tracker lists repeat too."""

    __slots__ = ()

    def __missing__(self, raw: tuple[Any, ...]) -> tuple[Scalar | NoValue, ...]:
        """Decode a list not seen before, item by item through the token cache."""
        items = raw[: raw.index(_END_OF_ARRAY)] if _END_OF_ARRAY in raw else raw
        value = tuple(map(_CACHE.__getitem__, items))
        self[raw] = value
        return value


_CACHE: Final = _TokenCache()
_LISTS: Final = _ListCache()
# Bounded: a day of 10 s polls brings a few hundred thousand distinct floats.
_CACHE_LIMIT: Final = 4096


def clear_cache() -> None:
    """Forget every decoded token (benchmarks measure the cold start with it)."""
    _CACHE.clear()
    _LISTS.clear()


def decode_answer(payload: object) -> Answer:
    """Decode a parsed answer: every section, every variable, lists kept as tuples.

    A section that is missing on this appliance (``OBJECT_NOT_FOUND``) or of the wrong
    shape comes back empty. Raises :class:`SenecProtocolError` only when the answer as a
    whole is not a JSON object.
    """
    if not isinstance(payload, dict):
        raise SenecProtocolError(f"answer is {type(payload).__name__}, not an object")
    if len(_CACHE) > _CACHE_LIMIT or len(_LISTS) > _CACHE_LIMIT:
        clear_cache()
    lookup = _CACHE.__getitem__
    lookup_list = _LISTS.__getitem__
    try:
        # The common case in one comprehension; odd shapes (a section that is not an
        # object, an unhashable value) raise here and take the careful path below.
        return {
            name: {}
            if OBJECT_NOT_FOUND in variables
            else {
                key: lookup(raw) if raw.__class__ is not list else lookup_list(tuple(raw))
                for key, raw in variables.items()
            }
            for name, variables in payload.items()
        }
    except (TypeError, AttributeError):
        return _decode_odd_answer(payload)


def _decode_odd_answer(payload: dict[Any, Any]) -> Answer:
    """Decode an answer with odd shapes value by value, keeping whatever is usable."""
    answer: Answer = {}
    for name, variables in payload.items():
        section: Section = {}
        answer[name] = section
        if not isinstance(variables, dict) or OBJECT_NOT_FOUND in variables:
            continue
        for key, raw in variables.items():
            section[key] = decode_list(raw) if isinstance(raw, list) else decode_value(raw)
    return answer


def parse_answer(body: bytes) -> Answer:
    """Parse and decode a raw answer body.

    Raises :class:`SenecProtocolError` for an empty, truncated or non-JSON body: the
    appliance sends those now and then, and the next poll usually succeeds.
    """
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError as err:
        raise SenecProtocolError(f"answer is not valid JSON: {err}") from err
    return decode_answer(payload)


def encode_value(value: float | int | str, kind: str) -> str:
    """Encode ``value`` as the typed string ``kind`` (``fl``, ``u8`` .. ``i3``, ``st``)."""
    if kind == "fl":
        return "fl_" + _FLOAT.pack(float(value)).hex().upper()
    if kind in ("st", "ch"):
        return f"{kind}_{value}"
    int_form = _INTS.get(kind)
    if int_form is None or not isinstance(value, int):
        raise ValueError(f"cannot encode {value!r} as {kind!r}")
    digits, bits, signed = int_form
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    if not low <= value <= high:
        raise ValueError(f"{value} does not fit {kind}")
    return f"{kind}_{value & ((1 << bits) - 1):0{digits}X}"
