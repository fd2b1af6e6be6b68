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
