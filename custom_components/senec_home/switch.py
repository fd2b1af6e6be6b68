"""The force-charge switch: charge the battery from the grid until released.

On sends ``SAFE_CHARGE_FORCE``, off sends ``SAFE_CHARGE_PROHIBIT`` (see ``api/controls``).
The state is the appliance's ``SAFE_CHARGE_RUNNING``, so a charge started from the SENEC app
or a schedule shows as on too. The rules for what the switch shows and when it may send are
in ``force_charge``.
"""

from __future__ import annotations

import math
from typing import Any

from homeassistant.components.switch import SwitchEntity
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .api import SafeChargeButton, SenecError, SenecTimeoutError, SenecWriteError
from .const import DOMAIN, LOGGER
from .coordinator import SenecConfigEntry, SenecCoordinator
from .entity import SenecEntity
from .force_charge import MIN_INTERVAL_S, ForceChargeControl, Observation

# One command at a time; the control refuses commands closer than MIN_INTERVAL_S anyway.
PARALLEL_UPDATES = 1


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SenecConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the switch when the appliance answers SAFE_CHARGE_RUNNING (else it has no control).

    Whether it answers the variable decides, not the first value: a malformed value at
    set-up still gives the switch, which shows the real state from the next good poll on.
    """
    coordinator = entry.runtime_data
    if ("ENERGY", "SAFE_CHARGE_RUNNING") not in coordinator.data.answered:
        return
    async_add_entities([ForceChargeSwitch(coordinator)])


def _now() -> float:
    """Home Assistant's time as unix seconds (tests move it)."""
    return dt_util.utcnow().timestamp()


class ForceChargeSwitch(SenecEntity, SwitchEntity):
    """Force charge from the grid: on until released, held at 100 % when full."""

    _attr_translation_key = "force_charge"

    def __init__(self, coordinator: SenecCoordinator) -> None:
        """Bind the switch to the appliance."""
        super().__init__(coordinator)
        self._attr_unique_id = f"{coordinator.identity.serial}_force_charge"
        self._control = ForceChargeControl()

    @property
    def is_on(self) -> bool | None:
        """The requested state until the appliance confirms it, then the reported one."""
        return self._control.shown(self.coordinator.data.safe_charge_running)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Start a forced charge."""
        await self._command(on=True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Release the forced charge."""
        await self._command(on=False)

    async def _command(self, *, on: bool) -> None:
        """Send one command, unless nothing would change or the last one was too recent."""
        if not self._control.needed(on, self.coordinator.data.safe_charge_running):
            return
        now = _now()
        wait = self._control.wait(now)
        if wait > 0:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="command_too_soon",
                translation_placeholders={
                    "seconds": str(math.ceil(wait)),
                    "interval": str(int(MIN_INTERVAL_S)),
                },
            )
        await self._press(on, now, again=False)

    async def _press(self, on: bool, now: float, *, again: bool) -> None:
        """Press the button; show the requested state meanwhile, the real one on failure."""
        self._control.start(on, now, again=again)
        self.async_write_ha_state()
        button = SafeChargeButton.FORCE if on else SafeChargeButton.PROHIBIT
        try:
            answer = await self.coordinator.client.press(button)
        except SenecError as err:
            self._control.failed()
            self.async_write_ha_state()
            raise self._command_error(err) from err
        self._control.answered(answer.running)
        self.async_write_ha_state()

    def _command_error(self, err: SenecError) -> HomeAssistantError:
        """Translate a failed write for the user."""
        if isinstance(err, SenecTimeoutError):
            key = "command_timeout"
        elif isinstance(err, SenecWriteError):
            key = "command_not_confirmed"
        else:
            key = "command_failed"
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders={"host": self.coordinator.client.host, "error": str(err)},
        )

    @callback
    def _handle_coordinator_update(self) -> None:
        """Follow the appliance: confirm commands, release again after a fall-back."""
        if self.coordinator.last_update_success:
            running = self.coordinator.data.safe_charge_running
            observation = self._control.observe(running, _now())
            if observation is Observation.NOT_CONFIRMED:
                LOGGER.info(
                    "The SENEC.Home did not confirm the force-charge command; "
                    "showing the state it reports"
                )
            if observation is Observation.RELEASE_AGAIN:
                LOGGER.warning(
                    "The SENEC.Home went back to force charging after it was released; "
                    "releasing it once more"
                )
                self.coordinator.config_entry.async_create_background_task(
                    self.hass, self._release_again(), "senec_home force charge release"
                )
        super()._handle_coordinator_update()

    async def _release_again(self) -> None:
        """Release a charge that came back by itself; a failure is logged, not raised."""
        try:
            await self._press(False, _now(), again=True)
        except HomeAssistantError as err:
            LOGGER.warning("Releasing the force charge again failed: %s", err.__cause__)
