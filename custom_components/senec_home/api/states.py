"""System state codes (``ENERGY.STAT_STATE``) and their stable keys.

The keys never change: Home Assistant translates them and users automate on them. The
appliance adds codes with new firmware, so :func:`state_key` returns None for an unknown
code and callers keep the raw number.
"""

from typing import Final

SYSTEM_STATES: Final[dict[int, str]] = {
    0: "initial_state",
    1: "error_inverter_communication",
    2: "error_electricity_meter",
    3: "ripple_control_receiver",
    4: "initial_charge",
    5: "maintenance_charge",
    6: "maintenance_ready",
    7: "maintenance_required",
    8: "man_safety_charge",
    9: "safety_charge_ready",
    10: "full_charge",
    11: "equalization_charge",
    12: "desulfatation_charge",
    13: "battery_full",
    14: "charge",
    15: "battery_empty",
    16: "discharge",
    17: "pv_plus_discharge",
    18: "grid_plus_discharge",
    19: "passive",
    20: "off",
    21: "own_consumption",
    22: "restart",
    23: "man_equalization_charge",
    24: "man_desulfatation_charge",
    25: "safety_charge",
    26: "battery_protection_mode",
    27: "eg_error",
    28: "eg_charge",
    29: "eg_discharge",
    30: "eg_passive",
    31: "eg_prohibit_charge",
    32: "eg_prohibit_discharge",
    33: "emergency_charge",
    34: "software_update",
    35: "nsp_error",
    36: "nsp_error_grid",
    37: "nsp_error_hardware",
    38: "no_server_connection",
    39: "bms_error",
    40: "maintenance_filter",
    41: "lithium_shutdown",
    42: "waiting_for_excess",
    43: "capacity_test_charge",
    44: "capacity_test_discharge",
    45: "man_desulfatation_wait",
    46: "man_desulfatation_ready",
    47: "man_desulfatation_error",
    48: "equalization_wait",
    49: "emergency_charge_error",
    50: "man_equalization_wait",
    51: "man_equalization_error",
    52: "man_equalization_ready",
    53: "auto_desulfatation_wait",
    54: "absorption_phase",
    55: "dc_switch_off",
    56: "peak_shaving_wait",
    57: "error_battery_inverter",
    58: "npu_error",
    59: "bms_offline",
    60: "maintenance_charge_error",
    61: "man_safety_charge_error",
    62: "safety_charge_error",
    63: "no_connection_to_master",
    64: "lithium_safe_mode_active",
    65: "lithium_safe_mode_done",
    66: "battery_voltage_error",
    67: "bms_dc_switched_off",
    68: "grid_initialization",
    69: "grid_stabilization",
    70: "remote_shutdown",
    71: "off_peak_charge",
    72: "error_half_bridge",
    73: "bms_error_operating_temperature",
    74: "factory_settings_not_found",
    75: "backup_power_mode_active",
    76: "backup_power_mode_battery_empty",
    77: "backup_power_mode_error",
    78: "initialising",
    79: "installation_mode",
    80: "grid_offline",
    81: "bms_update_needed",
    82: "bms_configuration_needed",
    83: "insulation_test",
    84: "self_test",
    85: "external_control",
    86: "error_temperature_sensor",
    87: "grid_operator_charge_prohibited",
    88: "grid_operator_discharge_prohibited",
    89: "spare_capacity",
    90: "self_test_error",
    91: "earth_fault",
    92: "pv_mode",
    93: "remote_shutdown_grid_operator",
    94: "error_drm0",
    95: "battery_diagnosis",
    96: "battery_balancing",
    97: "safety_discharge",
    98: "bms_error_module_imbalance",
    99: "wake_up_charge",
    100: "sox_calibration",
}


def state_key(code: int | None) -> str | None:
    """Return the stable key of a state code, or None when the code is unknown."""
    if code is None:
        return None
    return SYSTEM_STATES.get(code)


# Wallbox state codes (``WALLBOX.STATE``, u8 per slot). SENEC does not publish them; this
# table follows the wallbox status list of the openHAB SENEC Home binding
# (``SenecWallboxStatus``). A full V3 answer with one wallbox reads ``u8_F4``.
#
# | Code | Key | Meaning |
# |---|---|---|
# | 0xA1 | waiting_for_ev | waiting for a car |
# | 0xB1 | ev_asking_charge | the car asks to charge |
# | 0xB2 | ev_charge_permission | the car may charge |
# | 0xC2 | charging | charging |
# | 0xC3 | charging_reduced_error | charging with reduced current (error F16/F17) |
# | 0xC4 | charging_reduced_imbalance | charging with reduced current (imbalance F15) |
# | 0xE0 | disabled | wallbox disabled |
# | 0xE1 | production_test | production test |
# | 0xE2 | evcc_program_mode | EVCC programming mode |
# | 0xE3 | bus_idle | bus idle |
# | 0xF1 | contact_welded | unexpectedly closed contact (welded) |
# | 0xF2 | internal_error | internal error |
# | 0xF3 | dc_residual_current | DC residual current detected |
# | 0xF4 | upstream_timeout | upstream communication timeout |
# | 0xF5 | socket_lock_failed | locking the socket failed |
# | 0xF6 | cs_out_of_range | CS out of range |
# | 0xF7 | state_d_requested | state D requested by the car |
# | 0xF8 | cp_out_of_range | CP out of range |
# | 0xF9 | overcurrent | overcurrent detected |
# | 0xFA | temperature_out_of_limits | temperature outside the limits |
# | 0xFB | contact_opened | unexpectedly opened contact |
WALLBOX_STATES: Final[dict[int, str]] = {
    0xA1: "waiting_for_ev",
    0xB1: "ev_asking_charge",
    0xB2: "ev_charge_permission",
    0xC2: "charging",
    0xC3: "charging_reduced_error",
    0xC4: "charging_reduced_imbalance",
    0xE0: "disabled",
    0xE1: "production_test",
    0xE2: "evcc_program_mode",
    0xE3: "bus_idle",
    0xF1: "contact_welded",
    0xF2: "internal_error",
    0xF3: "dc_residual_current",
    0xF4: "upstream_timeout",
    0xF5: "socket_lock_failed",
    0xF6: "cs_out_of_range",
    0xF7: "state_d_requested",
    0xF8: "cp_out_of_range",
    0xF9: "overcurrent",
    0xFA: "temperature_out_of_limits",
    0xFB: "contact_opened",
}


def wallbox_state_key(code: int | None) -> str | None:
    """Return the stable key of a wallbox state code, None when unknown."""
    if code is None:
        return None
    return WALLBOX_STATES.get(code)


#: ``SYS_UPDATE.FSM_STATE`` in normal operation: no update running, nothing restarting.
UPDATE_IDLE: Final = 1

# Update state codes (``SYS_UPDATE.FSM_STATE``, u8: 1 in a real full dump, corpus file 29).
# SENEC does not publish them; the names are those of the appliance's web page scripts as a
# peer's developer notes give them (not confirmed by SENEC). 4 and 7 are both a checksum
# download, so they share a key.
UPDATE_STATES: Final[dict[int, str]] = {
    0: "reporting_boot",
    1: "idle",
    2: "reporting_status",
    3: "downloading_controller_software",
    4: "downloading_checksums",
    5: "validating_checksums",
    6: "downloading_gui",
    7: "downloading_checksums",
    8: "validating_gui",
    9: "system_reboot",
}


def update_state_key(code: int | None) -> str | None:
    """Return the stable key of an update state code, None when unknown."""
    if code is None:
        return None
    return UPDATE_STATES.get(code)


def updating(code: int | None) -> bool:
    """Tell whether an update state code means an update or restart in progress.

    Any known or unknown code but the idle one counts; no value (not read yet) does not.
    """
    return code is not None and code != UPDATE_IDLE
