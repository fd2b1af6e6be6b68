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
from .requests import (
    DISCOVERY_VARIABLES,
    FIRMWARE_VARIABLES,
    IDENTITY_REQUEST,
    MAX_REQUEST_BYTES,
    POLL_REQUEST,
    RESTART_FROM_NPU_IMAGE,
    SLOW_VARIABLES,
    UPDATE_VARIABLES,
    WALLBOX_POWER,
    RequestForm,
    Variable,
    build_form,
    variables_of,
)
from .states import (
    SYSTEM_STATES,
    UPDATE_STATES,
    WALLBOX_STATES,
    state_key,
    update_state_key,
    updating,
    wallbox_state_key,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "DISCOVERY_VARIABLES",
    "FIRMWARE_VARIABLES",
    "IDENTITY_REQUEST",
    "MAX_REQUEST_BYTES",
    "POLL_REQUEST",
    "RESTART_FROM_NPU_IMAGE",
    "SLOW_VARIABLES",
    "SYSTEM_STATES",
    "SYSTEM_TYPES",
    "UPDATE_STATES",
    "UPDATE_VARIABLES",
    "WALLBOX_POWER",
    "WALLBOX_STATES",
    "Identity",
    "LifetimeTotals",
    "NoValue",
    "Reason",
    "RequestForm",
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
    "Variable",
    "build_form",
    "decode_answer",
    "decode_value",
    "encode_value",
    "parse_answer",
    "parse_host",
    "state_key",
    "update_state_key",
    "updating",
    "variables_of",
    "wallbox_state_key",
]
