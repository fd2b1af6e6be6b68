"""Polls the appliance: one small request per interval, decoded into one snapshot."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_SCAN_INTERVAL
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.storage import Store
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api import (
    Identity,
    SenecClient,
    SenecConnectionError,
    SenecError,
    SenecNotSenecError,
    SenecProtocolError,
    SenecTimeoutError,
    Snapshot,
)
from .const import (
    CONF_SCHEME,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    LOGGER,
    MAX_BACKOFF,
    STORAGE_SAVE_DELAY,
    STORAGE_VERSION,
)
from .energy import EnergyMeter

type SenecConfigEntry = ConfigEntry[SenecCoordinator]

# Polls that may fail in a row before energy integration stops bridging the gap.
BRIDGED_POLLS = 5
# Failures the appliance usually gets over by the next request: malformed, truncated or
# empty JSON, an HTTP 5xx page from its nginx, a reset or refused connection, one hang.
TRANSIENT_ERRORS = (SenecConnectionError, SenecProtocolError)
# Pause (s) before the one retry of a poll that failed that way. With the client's timeout
# an update takes at most two timeouts plus this, and asks the appliance at most twice.
RETRY_DELAY = 1.0


def energy_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """Return the file that keeps an entry's energy totals across restarts."""
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.energy")


class SenecCoordinator(DataUpdateCoordinator[Snapshot]):
    """Owns the client, the appliance identity and the energy totals of one entry."""

    config_entry: SenecConfigEntry
    identity: Identity

    def __init__(self, hass: HomeAssistant, entry: SenecConfigEntry) -> None:
        """Set up the client; nothing is read until the first refresh."""
        self.base_interval = timedelta(
            seconds=entry.options.get(CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL)
        )
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {entry.data[CONF_HOST]}",
            update_interval=self.base_interval,
        )
        self.client = SenecClient(
            entry.data[CONF_HOST],
            async_get_clientsession(hass),
            scheme=entry.data.get(CONF_SCHEME),
        )
        self.meter = EnergyMeter(max_gap=BRIDGED_POLLS * self.base_interval.total_seconds())
        self._store = energy_store(hass, entry.entry_id)
        self._failures = 0

    @override
    async def _async_setup(self) -> None:
        """Read who the appliance is and the stored energy totals, once."""
        self.meter.restore(await self._store.async_load())
        try:
            self.identity = await self.client.identity()
        except SenecNotSenecError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="not_senec",
                translation_placeholders={"host": self.client.host},
            ) from err
        except SenecError as err:
            raise self._failed(err) from err
        expected = self.config_entry.unique_id
        if expected is not None and self.identity.serial != expected:
            # Another appliance now answers at this address (DHCP): never mix their values.
            raise ConfigEntryError(
                translation_domain=DOMAIN,
                translation_key="wrong_device",
                translation_placeholders={"host": self.client.host},
            )

    @override
    async def _async_update_data(self) -> Snapshot:
        """Poll once; on failure back off, so a struggling appliance can recover."""
        try:
            snapshot = await self._poll_riding_out_a_glitch()
        except SenecError as err:
            self._failures += 1
            self.update_interval = min(self.base_interval * 2**self._failures, MAX_BACKOFF)
            raise self._failed(err) from err
        self._failures = 0
        self.update_interval = self.base_interval
        self.meter.update(snapshot, dt_util.utcnow().timestamp())
        self._store.async_delay_save(self.meter.as_dict, STORAGE_SAVE_DELAY)
        return snapshot

    async def _poll_riding_out_a_glitch(self) -> Snapshot:
        """Poll; after a transient failure ask once more, so one glitch is no outage.

        Only the retry's failure counts (and is logged by the coordinator as the outage);
        the glitch it rode out is logged at debug level. Either way this is one sample.
        """
        try:
            return await self.client.poll()
        except TRANSIENT_ERRORS as err:
            LOGGER.debug("Poll of %s failed (%s), asking once more", self.client.host, err)
        await asyncio.sleep(RETRY_DELAY)
        return await self.client.poll()

    def _failed(self, err: SenecError) -> UpdateFailed:
        """Translate a client error for the user."""
        key = "timeout" if isinstance(err, SenecTimeoutError) else "communication_error"
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders={"host": self.client.host, "error": str(err)},
        )

    async def async_save(self) -> None:
        """Write the energy totals now (on unload)."""
        await self._store.async_save(self.meter.as_dict())
