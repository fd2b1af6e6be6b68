"""The restart button: for when the appliance's web server has stopped answering well.

Offered only on appliances with NPU image 2408 or later, the only ones on which the widely
used community integration has restarted appliances; on older ones there is no button and
nothing is written. Disabled by default: a restart takes the appliance away for minutes.
"""

from __future__ import annotations

import math

# Defined in button/const.py in newer releases and re-exported without __all__; Home
# Assistant 2025.4 defines it in the package itself: this import works on both.
from homeassistant.components.button import (  # type: ignore[attr-defined]
    ButtonDeviceClass,
    ButtonEntity,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .api import RESTART_FROM_NPU_IMAGE, SenecError, SenecTimeoutError, SenecWriteError
from .const import DOMAIN
from .coordinator import SenecConfigEntry, SenecCoordinator
from .entity import SenecEntity
from .writes import appliance_writes

# One restart at a time; the button refuses a second one for minutes anyway.
PARALLEL_UPDATES = 1

#: After a restart, another one is refused for this long (seconds), as the community
#: integration does: the appliance needs the time to come back.
RESTART_SPACING_S = 5 * 60.0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SenecConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the restart button on appliances with NPU image 2408 or later."""
    coordinator = entry.runtime_data
    image = coordinator.identity.npu_image_version
    if image is not None and image >= RESTART_FROM_NPU_IMAGE:
        async_add_entities([RestartButton(coordinator)])


class RestartButton(SenecEntity, ButtonEntity):
    """Restart the appliance (its controller and web server)."""

    _attr_device_class = ButtonDeviceClass.RESTART
    _attr_entity_category = EntityCategory.CONFIG
    _attr_entity_registry_enabled_default = False

    def __init__(self, coordinator: SenecCoordinator) -> None:
        """Bind the button to the appliance."""
        super().__init__(coordinator)
        self._attr_unique_id = f"{coordinator.identity.serial}_restart"

    @property
    def available(self) -> bool:
        """Pressable also while the appliance does not answer: that is when it is needed."""
        return True

    async def async_press(self) -> None:
        """Send the restart once, unless the last one is less than five minutes ago."""
        writes = appliance_writes(self.hass, self.coordinator.identity.serial)
        now = dt_util.utcnow().timestamp()
        last = writes.restart_sent_at
        if last is not None and now - last < RESTART_SPACING_S:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="restart_too_soon",
                translation_placeholders={
                    "minutes": str(math.ceil((last + RESTART_SPACING_S - now) / 60)),
                },
            )
        # The attempt counts: after a failure nobody knows whether the appliance restarts.
        writes.restart_sent_at = now
        writes.window.begin()
        try:
            await self.coordinator.client.restart()
        except SenecError as err:
            raise self._error(err) from err
        finally:
            writes.window.end(dt_util.utcnow().timestamp())
        self.coordinator.expect_restart()

    def _error(self, err: SenecError) -> HomeAssistantError:
        """Translate a failed restart for the user."""
        if isinstance(err, SenecTimeoutError):
            key = "restart_timeout"
        elif isinstance(err, SenecWriteError):
            key = "restart_not_confirmed"
        else:
            key = "restart_failed"
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders={"host": self.coordinator.client.host, "error": str(err)},
        )
