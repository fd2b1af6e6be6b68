"""Identifying values taken out of a raw answer, so that it can be shared and replayed.

Serial numbers, the device id, MAC bytes, IP addresses and log-in names live in the same
answers as the values a maintainer needs. Each identifying value is replaced by a neutral one
of the same type prefix and length (``st_010389`` becomes ``st_000000``, ``u3_029FB0FD``
becomes ``u3_00000001``), so the answer still decodes as the appliance sent it: an empty
string stays empty (an empty wallbox slot), a zero stays zero (a module that is not there).

Which variables identify is decided by the words of their names, the way SENEC names them
in a full dump of every section (``BAT1.SERIAL``, ``BMS.SN``, ``PV1.INTERNAL_MD_SERIAL``,
``WALLBOX.SERIAL_NUMBER`` / ``UID``, ``WIZARD.MAC_ADDRESS_BYTES`` / ``SETUP_WALLBOX_SERIAL0`` /
``SETUP_PV_INV_IP0`` / ``*_METER_SN``, ``LOG.USERNAME`` / ``PASSWORD``: the published full dump
29-nihaf-2022-10-v3-full-dump.json, and ``FACTORY.DEVICE_ID``), so that a variable of the same
kind in a section nobody has seen yet is caught too. Any text that looks like an IP or MAC
address is replaced wherever it is.
"""

from __future__ import annotations

import re
from typing import Any, Final

#: Words of a variable name (split at ``_``, trailing digits dropped) that mark it as
#: identifying the household or the appliance.
IDENTIFYING_WORDS: Final = frozenset(
    {
        "SERIAL",
        "SN",
        "UID",
        "ID",
        "MAC",
        "IP",
        "GATEWAY",
        "DNS",
        "NETMASK",
        "HOSTNAME",
        "SSID",
        "PASSWORD",
        "PASSWD",
        "USERNAME",
        "EMAIL",
        "TOKEN",
        "LATITUDE",
        "LONGITUDE",
    }
)
_TYPED: Final = re.compile(r"^(fl|u8|u1|u3|u6|i8|i1|i3|st|ch)_(.*)$", re.DOTALL)
_HEX_TYPES: Final = frozenset({"fl", "u8", "u1", "u3", "u6", "i8", "i1", "i3"})
_IPV4: Final = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_MAC: Final = re.compile(r"(?i)(?<![0-9a-f])(?:[0-9a-f]{2}[:-]){5}[0-9a-f]{2}(?![0-9a-f])")
_KEEP_TEXT: Final = frozenset({"", "END_OF_ARRAY"})
_UNSET: Final = "FFFF"
REDACTED: Final = "**REDACTED**"


def identifying(name: str) -> bool:
    """Tell whether a variable of this name identifies the appliance or its owner."""
    return any(word.rstrip("0123456789") in IDENTIFYING_WORDS for word in name.split("_"))


def anonymize_answer(raw: Any) -> Any:
    """Return a copy of a raw answer (or request) with every identifying value replaced."""
    if not isinstance(raw, dict):
        return _scrub(raw)
    anonymous: dict[Any, Any] = {}
    for section, variables in raw.items():
        if not isinstance(variables, dict):
            anonymous[section] = _scrub(variables)
            continue
        anonymous[section] = {
            name: _neutral(value) if identifying(str(name)) else _scrub(value)
            for name, value in variables.items()
        }
    return anonymous


def _neutral(value: Any) -> Any:
    """Replace an identifying value (or each item of a list) by a neutral one of its form."""
    if isinstance(value, list):
        return [_neutral(item) for item in value]
    if not isinstance(value, str):
        return REDACTED
    match = _TYPED.match(value)
    if match is None:
        # VARIABLE_NOT_FOUND and the other sentinels say nothing about anyone.
        return _scrub(value)
    prefix, payload = match.groups()
    if prefix in _HEX_TYPES:
        return f"{prefix}_{_neutral_hex(prefix, payload)}"
    if payload in _KEEP_TEXT:
        return value
    return f"{prefix}_{_neutral_text(payload)}"


def _neutral_hex(prefix: str, payload: str) -> str:
    """Keep zero and the 'unset' mark; any other number becomes 1 in the same width."""
    try:
        number = int(payload, 16)
    except ValueError:
        return "0" * len(payload)
    zero = number & 0x7FFFFFFF == 0 if prefix == "fl" else number == 0
    if zero or payload.upper() == _UNSET:
        return payload
    return "0" * (len(payload) - 1) + "1" if payload else payload


def _neutral_text(text: str) -> str:
    """Digits become 0 and letters X; separators stay, so the form stays recognisable."""
    return "".join("0" if c.isdigit() else "X" if c.isalpha() else c for c in text)


def _scrub(value: Any) -> Any:
    """Replace text that looks like an IP or MAC address anywhere in a value, length kept."""
    if isinstance(value, str):
        value = _IPV4.sub(lambda match: _neutral_text(match.group()), value)
        return _MAC.sub(lambda match: _neutral_text(match.group()), value)
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    return value
