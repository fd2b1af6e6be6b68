"""The request forms the client sends.

Small on purpose: the appliance truncates answers to requests of about 11 KB, and reading
many whole sections at a high rate is what overloads it. Each form is one POST, so all its
values belong to the same moment.
"""

from typing import Final

type RequestForm = dict[str, dict[str, str]]


def _form(sections: dict[str, tuple[str, ...]]) -> RequestForm:
    """Build a read form: every variable asked for with an empty string."""
    return {section: dict.fromkeys(names, "") for section, names in sections.items()}


# FACTORY comes first: on NPU image >= 2411 the answer to a request with FACTORY carries the
# session cookie that later requests need.
POLL_REQUEST: Final[RequestForm] = _form(
    {
        "FACTORY": ("DESIGN_CAPACITY", "MAX_CHARGE_POWER_DC", "MAX_DISCHARGE_POWER_DC"),
        "STATISTIC": (
            "CURRENT_STATE",
            "LIVE_BAT_CHARGE_MASTER",
            "LIVE_BAT_DISCHARGE_MASTER",
            # Older firmware names the battery totals without the _MASTER suffix.
            "LIVE_BAT_CHARGE",
            "LIVE_BAT_DISCHARGE",
            "LIVE_GRID_EXPORT",
            "LIVE_GRID_IMPORT",
            "LIVE_HOUSE_CONS",
            "LIVE_PV_GEN",
            "MEASURE_TIME",
        ),
        "ENERGY": (
            "STAT_STATE",
            "GUI_BAT_DATA_CURRENT",
            "GUI_BAT_DATA_FUEL_CHARGE",
            "GUI_BAT_DATA_POWER",
            "GUI_BAT_DATA_VOLTAGE",
            "GUI_GRID_POW",
            "GUI_HOUSE_POW",
            "GUI_INVERTER_POWER",
            "STAT_HOURS_OF_OPERATION",
            # 0/1: a forced (safety) charge is running, whoever started it. Read in real
            # answers 20-charger-2025-09-26-small-read.json and the write answers 09/10/19.
            "SAFE_CHARGE_RUNNING",
        ),
        "BMS": ("CHARGED_ENERGY", "DISCHARGED_ENERGY", "CYCLES"),
        "PV1": ("MPP_CUR", "MPP_POWER", "MPP_VOL", "POWER_RATIO", "P_TOTAL"),
    }
)

IDENTITY_REQUEST: Final[RequestForm] = _form(
    {
        "FACTORY": ("DEVICE_ID", "SYS_TYPE", "COUNTRY"),
        # MAC_ADDRESS_BYTES: six u8 (a V3 hybrid duo on 0811 answers ["u8_14", "u8_1F", "u8_BA",
        # "u8_21", ...], AndreasLehmann/senec-exporter example/resp_WIZARD.json).
        "WIZARD": ("APPLICATION_VERSION", "INTERFACE_VERSION", "MAC_ADDRESS_BYTES"),
        "SYS_UPDATE": ("NPU_VER", "NPU_IMAGE_VERSION"),
        "BMS": ("MODULES_CONFIGURED",),
    }
)

# The six fields the appliance's own web page sends for the safety-charge buttons, in its
# order (real write requests 09-gem-2023-12-09-write-safety-charge.request.json,
# 10-gem-2023-12-09-write-allow-discharge.request.json and
# 19-charger-2023-12-13-write-start-charge-running.request.json). Exactly one field carries a
# value; the others are plain reads (""), so the answer also tells SAFE_CHARGE_RUNNING. We send
# this form rather than a single key because it is the one recorded answers exist for: the
# appliance sees nothing its own web page does not send. LI_STORAGE_MODE_* are only ever read
# here: writing them starts an insulation test.
SAFE_CHARGE_FIELDS: Final = (
    "SAFE_CHARGE_FORCE",
    "SAFE_CHARGE_PROHIBIT",
    "SAFE_CHARGE_RUNNING",
    "LI_STORAGE_MODE_START",
    "LI_STORAGE_MODE_STOP",
    "LI_STORAGE_MODE_RUNNING",
)
