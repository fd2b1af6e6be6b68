"""Client for the local ``lala.cgi`` interface of SENEC.Home V2.1 and V3 appliances.

Independent of Home Assistant: stdlib, aiohttp and orjson only.
"""

from .client import DEFAULT_TIMEOUT, SenecClient
from .codec import NoValue, Reason, decode_answer, decode_value, encode_value, parse_answer
from .controls import SafeChargeAnswer, SafeChargeButton
from .errors import (
    SenecConnectionError,
    SenecError,
    SenecNotSenecError,
    SenecProtocolError,
    SenecTimeoutError,
    SenecWriteError,
)
from .host import parse_host
from .models import SYSTEM_TYPES, Identity, LifetimeTotals, Snapshot
from .requests import IDENTITY_REQUEST, POLL_REQUEST
from .states import SYSTEM_STATES, state_key

__all__ = [
    "DEFAULT_TIMEOUT",
    "IDENTITY_REQUEST",
    "POLL_REQUEST",
    "SYSTEM_STATES",
    "SYSTEM_TYPES",
    "Identity",
    "LifetimeTotals",
    "NoValue",
    "Reason",
    "SafeChargeAnswer",
    "SafeChargeButton",
    "SenecClient",
    "SenecConnectionError",
    "SenecError",
    "SenecNotSenecError",
    "SenecProtocolError",
    "SenecTimeoutError",
    "SenecWriteError",
    "Snapshot",
    "decode_answer",
    "decode_value",
    "encode_value",
    "parse_answer",
    "parse_host",
    "state_key",
]
