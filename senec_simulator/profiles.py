"""The appliance generations the simulator can pretend to be, and what sets them apart."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from enum import StrEnum

from .installation import Battery


class Profile(StrEnum):
    """An appliance generation: firmware behaviour a client has to cope with."""

    LEGACY = "legacy"
    V3_0826 = "v3-0826"
    V3_NPU2411 = "v3-npu2411"


@dataclass(frozen=True, slots=True)
class ProfileSpec:
    """Everything that differs between profiles."""

    profile: Profile
    https: bool
    needs_cookie: bool
    has_statistic: bool
    sys_type: int
    application_version: str
    interface_version: str
    #: `SYS_UPDATE.NPU_VER` and `NPU_IMAGE_VERSION`: u1 integers on real appliances (9 with
    #: image 2011, 10 with 2310: corpus files 29, 30); the values for 2408/2411 are assumed.
    npu_version: int
    npu_image_version: int | None
    power_ratio_as_float: bool
    battery: Battery
    trackers_used: int
    #: Serves the safety-charge buttons and `SAFE_CHARGE_RUNNING` (V3: real answers
    #: 09/10/19/20 and a V3 duo's whole ENERGY section on 0811). No recorded V2.1 answer
    #: shows them, so the legacy profile leaves them out: an appliance without the control.
    has_safe_charge: bool

    def device_id(self, seed: int) -> str:
        """Return the 25-digit serial for this profile and seed (stable, distinct per profile)."""
        digest = hashlib.sha256(f"senec-device:{self.profile.value}:{seed}".encode()).digest()
        number = int.from_bytes(digest, "big") % 10**24
        return f"1{number:024d}"

    def mac_address(self, seed: int) -> tuple[int, ...]:
        """Return the six MAC bytes for this profile and seed, in SENEC's block 14:1F:BA:2x.

        Real V2 and V3 appliances report MACs starting with 14:1F:BA:2 (for example a V3
        hybrid duo in AndreasLehmann/senec-exporter's example/resp_WIZARD.json).
        """
        digest = hashlib.sha256(f"senec-mac:{self.profile.value}:{seed}".encode()).digest()
        return (0x14, 0x1F, 0xBA, 0x20 | (digest[0] & 0x0F), digest[1], digest[2])


#: A V2.1 on firmware from before August 2023: plain HTTP, lifetime totals in STATISTIC.
_LEGACY = ProfileSpec(
    profile=Profile.LEGACY,
    https=False,
    needs_cookie=False,
    has_statistic=True,
    sys_type=15,
    application_version="0400",
    interface_version="2.1.3",
    npu_version=5,
    npu_image_version=None,
    power_ratio_as_float=False,
    battery=Battery(capacity_wh=5000.0, max_charge_w=2500.0, max_discharge_w=2500.0, modules=2),
    trackers_used=1,
    has_safe_charge=False,
)
#: Firmware 0825/0826 (August 2023): HTTPS only, STATISTIC empty.
_V3_0826 = ProfileSpec(
    profile=Profile.V3_0826,
    https=True,
    needs_cookie=False,
    has_statistic=False,
    sys_type=18,
    application_version="0826",
    interface_version="3.16.32",
    npu_version=11,
    npu_image_version=2408,
    power_ratio_as_float=True,
    battery=Battery(capacity_wh=7500.0, max_charge_w=2500.0, max_discharge_w=3750.0, modules=3),
    trackers_used=2,
    has_safe_charge=True,
)
#: The same appliance after the NPU image 2411: only the session cookie is new.
_V3_NPU2411 = replace(
    _V3_0826,
    profile=Profile.V3_NPU2411,
    needs_cookie=True,
    npu_version=12,
    npu_image_version=2411,
)

SPECS: dict[Profile, ProfileSpec] = {
    spec.profile: spec for spec in (_LEGACY, _V3_0826, _V3_NPU2411)
}
