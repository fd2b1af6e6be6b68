"""The force-charge switch: charge the battery from the grid until released.

On sends ``SAFE_CHARGE_FORCE``, off sends ``SAFE_CHARGE_PROHIBIT`` (see ``api/controls``).
The state is the appliance's ``SAFE_CHARGE_RUNNING``, so a charge started from the SENEC app
or a schedule shows as on too. The rules for what the switch shows and when it sends are in
``force_charge``; this module does the sending, the timer of a waiting command, and sends a
waiting command before the entry unloads or Home Assistant stops.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from homeassistant.components.switch import SwitchEntity
from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util

from .api import SafeChargeButton, SenecError, SenecTimeoutError, SenecWriteError
from .const import DOMAIN, LOGGER
from .coordinator import SenecConfigEntry, SenecCoordinator
from .entity import SenecEntity
from .force_charge import ForceChargeControl, Observation, Step, WriteWindow
from .writes import appliance_writes

# Commands never wait for each other: one that comes while a write is in flight is queued
# at once (ForceChargeControl), so the service call returns without waiting for the appliance.
PARALLEL_UPDATES = 0


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
    window = appliance_writes(hass, coordinator.identity.serial).window
    async_add_entities([ForceChargeSwitch(coordinator, window)])


def _now() -> float:
    """Home Assistant's time as unix seconds (tests move it)."""
    return dt_util.utcnow().timestamp()


async def _sleep(seconds: float) -> None:
    """Wait before a last write at unload or stop (tests let their clock pass instead)."""
    await asyncio.sleep(seconds)


class ForceChargeSwitch(SenecEntity, SwitchEntity):
    """Force charge from the grid: on until released, held at 100 % when full."""

    _attr_translation_key = "force_charge"

    def __init__(self, coordinator: SenecCoordinator, window: WriteWindow) -> None:
        """Bind the switch to the appliance and its write window."""
        super().__init__(coordinator)
        self._attr_unique_id = f"{coordinator.identity.serial}_force_charge"
        self._control = ForceChargeControl(window)
        self._timer: CALLBACK_TYPE | None = None
        # Set while no write of this switch is in flight.
        self._idle = asyncio.Event()
        self._idle.set()

    async def async_added_to_hass(self) -> None:
        """Send a waiting command when Home Assistant stops (entities are not removed then)."""
        await super().async_added_to_hass()
        self.async_on_remove(self.hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, self._on_stop))
        self.async_on_remove(self._cancel_timer)

    async def async_will_remove_from_hass(self) -> None:
        """Send a waiting command before the entry unloads: the user's wish is not lost."""
        await self._flush("the integration is unloaded")
        await super().async_will_remove_from_hass()

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
        """Send the command now, or let it wait for the write window; never refuse it."""
        step = self._control.request(on, self.coordinator.data.safe_charge_running, _now())
        if step is Step.SEND:
            try:
                await self._press(on)
            except SenecError as err:
                raise self._command_error(err) from err
            return
        if step is Step.QUEUED:
            self._arm_timer()
        self.async_write_ha_state()

    async def _press(self, on: bool) -> None:
        """Press the button (the control has noted the write); show the real state on failure."""
        self._idle.clear()
        self.async_write_ha_state()
        button = SafeChargeButton.FORCE if on else SafeChargeButton.PROHIBIT
        try:
            answer = await self.coordinator.client.press(button)
        except SenecError:
            self._control.failed(_now())
            raise
        else:
            self._control.answered(answer.running, _now())
        finally:
            self._idle.set()
            self._arm_timer()
            self.async_write_ha_state()

    @callback
    def _arm_timer(self) -> None:
        """Send the waiting command when the write window opens.

        While another write is in flight the window counts as shut for the whole interval;
        the timer then looks again when it fires.
        """
        if self._control.wish is None or self._timer is not None:
            return
        self._timer = async_call_later(
            self.hass, self._control.window.wait(_now()), self._timer_fired
        )

    @callback
    def _cancel_timer(self) -> None:
        """Stop the timer of a waiting command."""
        if self._timer is not None:
            self._timer()
            self._timer = None

    async def _timer_fired(self, _: datetime) -> None:
        """Send the waiting command: the write window is open."""
        self._timer = None
        if self._control.window.wait(_now()) > 0:
            self._arm_timer()  # another write came first (the automatic second release)
            return
        await self._send_waiting(last_chance=None)

    async def _send_waiting(self, *, last_chance: str | None) -> None:
        """Send the waiting command unless the appliance already does what it asks.

        A failure is retried once when the window allows; then (or at once when this is the
        ``last_chance`` before unloading or stopping) it is logged and the switch shows what
        the appliance reports.
        """
        on = self._control.due(self.coordinator.data.safe_charge_running)
        if on is None:
            self.async_write_ha_state()
            return
        self._control.start(on, _now())
        try:
            await self._press(on)
        except SenecError as err:
            if last_chance is None and self._control.retry(on):
                LOGGER.warning(
                    "Sending the force-charge command (%s) to the SENEC.Home failed (%s); "
                    "trying once more in 10 seconds",
                    _verb(on),
                    err,
                )
                self._arm_timer()
                return
            LOGGER.error(
                "The force-charge command (%s) could not be sent to the SENEC.Home%s: %s. "
                "The switch shows what the appliance reports",
                _verb(on),
                f" before {last_chance}" if last_chance else "",
                err,
            )

    async def _on_stop(self, _: Event) -> None:
        """Home Assistant stops: send a waiting command while the connection still works."""
        await self._flush("Home Assistant stops")

    async def _flush(self, reason: str) -> None:
        """Send a waiting command now, after the write in flight and the window's rest."""
        # A write in flight ends first: if it fails, its retry is what waits now.
        await self._idle.wait()
        self._cancel_timer()
        if self._control.wish is None:
            return
        if (wait := self._control.window.wait(_now())) > 0:
            await _sleep(wait)
        await self._send_waiting(last_chance=reason)

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
                self._control.start(False, _now(), again=True)
                # Not a background task: those are cancelled when Home Assistant stops,
                # and a release must not be cut off in the middle of its write.
                self.coordinator.config_entry.async_create_task(
                    self.hass, self._release_again(), "senec_home force charge release"
                )
        super()._handle_coordinator_update()

    async def _release_again(self) -> None:
        """Release a charge that came back by itself; a failure is logged, not raised."""
        try:
            await self._press(False)
        except SenecError as err:
            LOGGER.warning("Releasing the force charge again failed: %s", err)


def _verb(on: bool) -> str:
    """Name a command in the log."""
    return "start charging" if on else "release"
