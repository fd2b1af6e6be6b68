"""The request forms the client sends.

Small on purpose: the appliance truncates answers to requests of about 11 KB, and reading
many whole sections at a high rate is what overloads it. Each form is one POST, so all its
values belong to the same moment.

The regular poll asks for :data:`POLL_REQUEST` (what the energy totals and the state need,
always) plus the variables of the entities that are enabled; values that change slowly
(:data:`SLOW_VARIABLES`) go into a second form that is sent rarely. :data:`DISCOVERY_VARIABLES`
is everything the integration knows, asked once at set-up to learn what the appliance has.
"""

from collections.abc import Iterable
from typing import Final

type RequestForm = dict[str, dict[str, str]]
type Variable = tuple[str, str]

#: The largest request the client ever sends (bytes); the appliance copes with far more, but
#: its answers get truncated past about 11.5 KB and answers grow with the request.
MAX_REQUEST_BYTES: Final = 8192


def _form(sections: dict[str, tuple[str, ...]]) -> RequestForm:
    """Build a read form: every variable asked for with an empty string."""
    return {section: dict.fromkeys(names, "") for section, names in sections.items()}


def build_form(variables: Iterable[Variable]) -> RequestForm:
    """Build a read form for a set of (section, variable), in a stable order.

    FACTORY comes first: on NPU image >= 2411 the answer to a request with FACTORY carries
    the session cookie that later requests need.
    """
    sections: dict[str, set[str]] = {}
    for section, name in variables:
        sections.setdefault(section, set()).add(name)
    order = sorted(sections, key=lambda section: (section != "FACTORY", section))
    return {section: dict.fromkeys(sorted(sections[section]), "") for section in order}


def variables_of(form: RequestForm) -> frozenset[Variable]:
    """Return the (section, variable) pairs a form asks for."""
    return frozenset((section, name) for section, names in form.items() for name in names)


# Always asked, whatever entities are enabled: the inputs of the six energy totals, the
# appliance's own totals where the firmware has them, and the system state.
POLL_REQUEST: Final[RequestForm] = _form(
    {
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
            "GUI_BAT_DATA_POWER",
            "GUI_GRID_POW",
            "GUI_HOUSE_POW",
            "GUI_INVERTER_POWER",
            # 0/1: a forced (safety) charge is running, whoever started it. Read in real
            # answers 20-charger-2025-09-26-small-read.json and the write answers 09/10/19.
            "SAFE_CHARGE_RUNNING",
        ),
    }
)

#: The appliance's own lifetime totals (both namings of the battery totals), asked once when an
#: appliance is added, to tell the user where the energy totals start. Firmware before 0825
#: answers them (real answers 01-gem-2022-11-13-statistic-http.json,
#: 27-lehmann-2021-12-v3duo-0811-statistic.json); current firmware answers STATISTIC empty or
#: every variable VARIABLE_NOT_FOUND (31-wastl-2025-07-statistic-vnf-tempmeasure-fanspeed.json).
LIFETIME_TOTALS_REQUEST: Final[RequestForm] = {
    "STATISTIC": {name: "" for name in POLL_REQUEST["STATISTIC"] if name.startswith("LIVE_")}
}

#: Asked always when the appliance has a wallbox: the input of the wallbox energy total.
WALLBOX_POWER: Final[Variable] = ("WALLBOX", "APPARENT_CHARGING_POWER")

#: Module letters of ``BMS.CELL_*_MODULE_<letter>``: module 1 is A.
MODULE_LETTERS: Final = "ABCD"

#: Whether an update is offered and how far one is (``SYS_UPDATE``, u8: 0/1 and 1 in normal
#: operation in the full dump of corpus file 29). Asked in the hourly read whatever entities
#: are enabled (an outage while the appliance updates is expected, not an error), and in
#: every poll while an update is offered or running.
UPDATE_VARIABLES: Final[frozenset[Variable]] = frozenset(
    {("SYS_UPDATE", "FSM_STATE"), ("SYS_UPDATE", "UPDATE_AVAILABLE")}
)

#: The firmware the device shows, and whether it is updating: asked in the hourly read
#: always, so the device follows an update. ``APPLICATION_VERSION`` st (``st_0826``),
#: ``NPU_IMAGE_VERSION`` u1 (corpus files 29 and 30).
FIRMWARE_VARIABLES: Final[frozenset[Variable]] = UPDATE_VARIABLES | frozenset(
    {("WIZARD", "APPLICATION_VERSION"), ("SYS_UPDATE", "NPU_IMAGE_VERSION")}
)

#: Values that change over hours or never (ratings, module health and cycles, versions):
#: asked in one poll an hour, never in every poll.
SLOW_VARIABLES: Final[frozenset[Variable]] = FIRMWARE_VARIABLES | frozenset(
    {
        ("WIZARD", "INTERFACE_VERSION"),
        ("SYS_UPDATE", "NPU_VER"),
        ("FACTORY", "DESIGN_CAPACITY"),
        ("FACTORY", "MAX_CHARGE_POWER_DC"),
        ("FACTORY", "MAX_DISCHARGE_POWER_DC"),
        ("BMS", "SOH"),
        ("BMS", "CYCLES"),
        ("BMS", "CHARGED_ENERGY"),
        ("BMS", "DISCHARGED_ENERGY"),
        ("ENERGY", "STAT_HOURS_OF_OPERATION"),
    }
)

#: Read only at set-up, to decide which entities exist: whether the grid meter is enabled
#: (``PM1OBJ1.ENABLED``, ``u8``, 25-lehmann-2021-12-v3duo-0811-pm1obj1.json) and which of the
#: four wallbox slots hold a wallbox (``HW_TYPE`` ``u8``, 0 for an empty slot, and
#: ``SERIAL_NUMBER`` ``st``, empty for an empty slot: a full V3 answer with one wallbox shows
#: ``[u8_14, u8_00, u8_00, u8_00]`` and ``[st_<serial>, st_, st_, st_]``).
SETUP_VARIABLES: Final[frozenset[Variable]] = frozenset(
    {
        ("PM1OBJ1", "ENABLED"),
        ("PM1OBJ2", "ENABLED"),
        ("PM1OBJ2", "FREQ"),
        ("PM1OBJ2", "U_AC"),
        ("WALLBOX", "HW_TYPE"),
        ("WALLBOX", "SERIAL_NUMBER"),
        ("BMS", "MODULES_CONFIGURED"),
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


def _pairs(section: str, *names: str) -> frozenset[Variable]:
    """Return (section, name) for each name."""
    return frozenset((section, name) for name in names)


#: Every variable some entity reads. Types as real answers show them (see models.py).
ENTITY_VARIABLES: Final[frozenset[Variable]] = (
    _pairs(
        "ENERGY",
        "GUI_BAT_DATA_CURRENT",
        "GUI_BAT_DATA_FUEL_CHARGE",
        "GUI_BAT_DATA_VOLTAGE",
        "STAT_HOURS_OF_OPERATION",
    )
    | _pairs("PV1", "MPP_CUR", "MPP_POWER", "MPP_VOL", "POWER_RATIO", "P_TOTAL")
    | _pairs("FACTORY", "DESIGN_CAPACITY", "MAX_CHARGE_POWER_DC", "MAX_DISCHARGE_POWER_DC")
    | _pairs("TEMPMEASURE", "BATTERY_TEMP", "CASE_TEMP", "MCU_TEMP")
    | _pairs("PM1OBJ1", "FREQ", "P_AC", "U_AC", "I_AC", "P_TOTAL")
    | _pairs("PM1OBJ2", "P_AC", "P_TOTAL")
    | _pairs("BAT1", "SPARE_CAPACITY")
    | _pairs("WIZARD", "INTERFACE_VERSION")
    | _pairs("SYS_UPDATE", "NPU_VER", "NPU_IMAGE_VERSION", "FSM_STATE", "UPDATE_AVAILABLE")
    | _pairs("BMS", "CHARGED_ENERGY", "DISCHARGED_ENERGY", "CYCLES", "SOC", "SOH")
    | _pairs("BMS", *(f"CELL_VOLTAGES_MODULE_{letter}" for letter in MODULE_LETTERS))
    | _pairs("BMS", *(f"CELL_TEMPERATURES_MODULE_{letter}" for letter in MODULE_LETTERS))
    | _pairs(
        "WALLBOX",
        "APPARENT_CHARGING_POWER",
        "STATE",
        "EV_CONNECTED",
        "L1_USED",
        "L2_USED",
        "L3_USED",
        "L1_CHARGING_CURRENT",
        "L2_CHARGING_CURRENT",
        "L3_CHARGING_CURRENT",
    )
)

#: Asked once at set-up: everything, so that the entities of every variable the appliance
#: has exist (enabled or not).
DISCOVERY_VARIABLES: Final[frozenset[Variable]] = (
    variables_of(POLL_REQUEST) | ENTITY_VARIABLES | SETUP_VARIABLES | FIRMWARE_VARIABLES
)

#: The restart as the widely used community integration writes it, and only on appliances
#: with NPU image 2408 or later (``USER_REBOOT_DEVICE`` u8, reads 0 in corpus file 29).
#: ``BOOT_REPORT_SUCCESS`` is a plain read the same request carries. No recorded answer to
#: it is public; nothing else of ``SYS_UPDATE`` is ever written (``USER_REQ_UPDATE`` has
#: no evidence of what it does).
RESTART_FIELDS: Final = ("BOOT_REPORT_SUCCESS", "USER_REBOOT_DEVICE")
#: The oldest NPU image the restart is offered on (the community integration's own gate).
RESTART_FROM_NPU_IMAGE: Final = 2408

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
