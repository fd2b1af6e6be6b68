"""Polls the appliance: one small request per interval, decoded into one snapshot.

The request asks only for what is shown: the always-asked part (energy totals, state), plus
the variables of the entities that are enabled in the entity registry, looked up at every
poll, so enabling or disabling an entity changes the next poll. Slow values ride along in
one poll an hour; their entities keep the last slow value in between. The first poll
after set-up asks for everything the integration knows, to learn what the appliance has.
What the appliance does not answer leaves the regular polls and is asked again hourly
(``api.unanswered``).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import Any, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_SCAN_INTERVAL, EVENT_HOMEASSISTANT_CLOSE
from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.storage import Store
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api import (
    DISCOVERY_VARIABLES,
    FIRMWARE_VARIABLES,
    POLL_REQUEST,
    SLOW_VARIABLES,
    UPDATE_VARIABLES,
    WALLBOX_POWER,
    Identity,
    SenecClient,
    SenecConnectionError,
    SenecError,
    SenecNotSenecError,
    SenecProtocolError,
    SenecTimeoutError,
    Snapshot,
    Variable,
    build_form,
    updating,
    variables_of,
)
from .api.client import merge_answers
from .api.codec import Answer
from .api.unanswered import Unanswered
from .const import (
    CONF_SCHEME,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    LOGGER,
    MAX_BACKOFF,
    SLOW_INTERVAL,
    STORAGE_SAVE_DELAY,
    STORAGE_VERSION,
)
from .energy import REBASE_AFTER, EnergyMeter
from .outage import EXPECTED_FOR_S, RESTART_TAKES_MIN, OutageWatch, Verdict
from .raw_answers import RawAnswers, ReadKind
from .writes import appliance_writes

type SenecConfigEntry = ConfigEntry[SenecCoordinator]

# Polls that may fail in a row before energy integration stops bridging the gap.
BRIDGED_POLLS = 5
# Failures the appliance usually gets over by the next request: malformed, truncated or
# empty JSON, an HTTP 5xx page from its nginx, a reset or refused connection, one hang.
TRANSIENT_ERRORS = (SenecConnectionError, SenecProtocolError)
# Pause (s) before the one retry of a poll that failed that way. With the client's timeout
# an update takes at most two timeouts plus this, and asks the appliance at most twice.
RETRY_DELAY = 1.0
_ALWAYS: frozenset[Variable] = variables_of(POLL_REQUEST)


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
        # The client's own connection, not Home Assistant's shared session: that one closes
        # connections idle for 15 s (aiohttp's default, kept by Home Assistant's helpers for
        # every integration alike), so every poll at 30 s would cost the appliance a new TLS
        # handshake. This one stays open from poll to poll (see api/connection.py) and closes
        # when the entry unloads or Home Assistant stops.
        self.client = SenecClient(entry.data[CONF_HOST], scheme=entry.data.get(CONF_SCHEME))
        entry.async_on_unload(self.client.close)
        entry.async_on_unload(
            hass.bus.async_listen(EVENT_HOMEASSISTANT_CLOSE, self._async_close_client)
        )
        self.meter = EnergyMeter(max_gap=BRIDGED_POLLS * self.base_interval.total_seconds())
        self._store = energy_store(hass, entry.entry_id)
        self._failures = 0
        # unique id -> the variables that entity shows (registered by the entities).
        self._sources: dict[str, frozenset[Variable]] = {}
        self._discovered = False
        self.has_wallbox = False
        #: The wallbox slots (0-based) that get entities, decided at set-up.
        self.wallbox_slots: tuple[int, ...] = ()
        # The slow values last read, what it asked for and when (monotonic s).
        self._slow_answer: Answer = {}
        self._slow_asked: frozenset[Variable] = frozenset()
        self._slow_read_at = 0.0
        # A restart confirmed before a reload is still on its way.
        confirmed = (
            appliance_writes(hass, entry.unique_id).restart_confirmed_at
            if entry.unique_id
            else None
        )
        self.outage = OutageWatch(restart_at=confirmed)
        #: The appliance's last raw answers of each kind, for diagnostics.
        self.raw_answers = RawAnswers()
        # Left out of the regular polls after as many misses as the energy totals need to
        # hand over to integration: leaving the appliance's counters out changes nothing.
        self.unanswered = Unanswered(leave_out_after=REBASE_AFTER)

    async def _async_close_client(self, _event: Event) -> None:
        """Close the connection to the appliance when Home Assistant stops."""
        await self.client.close()

    def register_sources(self, unique_id: str, sources: frozenset[Variable]) -> None:
        """Note which variables an entity shows: asked for while the entity is enabled."""
        self._sources[unique_id] = sources

    def wanted(self) -> tuple[frozenset[Variable], frozenset[Variable]]:
        """Return (fast, slow) variables: what the enabled entities show, plus the fixed part."""
        shown: set[Variable] = set()
        registry = er.async_get(self.hass)
        for entry in er.async_entries_for_config_entry(registry, self.config_entry.entry_id):
            if entry.disabled_by is None:
                shown.update(self._sources.get(entry.unique_id, ()))
        fast = (set(_ALWAYS) | shown) - SLOW_VARIABLES
        if self.has_wallbox:
            fast.add(WALLBOX_POWER)
        if self.data is not None and (
            self.data.update_available or updating(self.data.update_state)
        ):
            # An update is offered or running: follow it poll by poll, so that the outage
            # of its reboot is known to be one.
            fast |= UPDATE_VARIABLES
        return frozenset(fast), frozenset(shown & SLOW_VARIABLES) | FIRMWARE_VARIABLES

    def _wallbox_slots(self, snapshot: Snapshot) -> tuple[int, ...]:
        """Return the slots that hold a wallbox.

        Where the appliance does not say (no HW_TYPE or SERIAL_NUMBER), a slot counts when it
        is active now or had entities before: a car that is away at a restart must not make
        its wallbox's entities come and go.
        """
        if snapshot.wallboxes_known:
            return snapshot.wallboxes
        prefix = f"{self.identity.serial}_wallbox_"
        registry = er.async_get(self.hass)
        known = set(snapshot.wallboxes)
        for entry in er.async_entries_for_config_entry(registry, self.config_entry.entry_id):
            number = entry.unique_id.removeprefix(prefix).partition("_")[0]
            if entry.unique_id.startswith(prefix) and number.isdigit():
                known.add(int(number) - 1)
        return tuple(sorted(known))

    async def _poll(self) -> Snapshot:
        """Read what is shown; the slow values too when due; everything on the first poll."""
        now = self.hass.loop.time()
        if not self._discovered:
            answer = await self.client.read(build_form(DISCOVERY_VARIABLES))
            self.raw_answers.keep(ReadKind.SETUP, self.client)
            self._discovered = True
            self._slow_answer = _only(answer, SLOW_VARIABLES)
            self._slow_asked, self._slow_read_at = SLOW_VARIABLES, now
            snapshot = Snapshot.from_answer(answer, self.client.last_raw or {})
            self.unanswered.learn(DISCOVERY_VARIABLES, snapshot.answered)
            self.wallbox_slots = self._wallbox_slots(snapshot)
            self.has_wallbox = bool(self.wallbox_slots)
            return snapshot
        fast, slow = self.wanted()
        # The first poll after an outage reads the slow values too: the appliance may come
        # back from a restart or an update with new versions and its update state, and a
        # regular poll would show the ones from before it for a poll.
        back = self.outage.outage_since is not None
        due = back or now - self._slow_read_at >= SLOW_INTERVAL.total_seconds()
        if due or not slow <= self._slow_asked:
            # The slow values ride along in this poll's request: one request per poll, so
            # with the retry the appliance is never asked more than twice per interval.
            # It also asks again for what the appliance has not been answering.
            answer = await self.client.read(build_form(fast | slow))
            self.raw_answers.keep(ReadKind.HOURLY, self.client)
            self._slow_answer = _only(answer, slow)
            self._slow_asked, self._slow_read_at = slow, now
            snapshot = Snapshot.from_answer(answer, self.client.last_raw or {})
            self.unanswered.learn(fast | slow, snapshot.answered)
            return snapshot
        asked = self.unanswered.regular(fast)
        answer = await self.client.read(build_form(asked))
        self.raw_answers.keep(ReadKind.POLL, self.client)
        # Slow values this poll asked too (the update state while an update runs) are newer
        # than the hourly ones: they replace them, so the next poll shows no older state.
        if fresher := _only(answer, asked & self._slow_asked):
            self._slow_answer = merge_answers(self._slow_answer, fresher)
        snapshot = Snapshot.from_answer(
            merge_answers(self._slow_answer, answer), self.client.last_raw or {}
        )
        # What the slow values hold was answered in an earlier read: learn from this one only.
        self.unanswered.learn(asked - self._slow_asked, snapshot.answered)
        return snapshot

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
        """Poll once; on failure back off, so a struggling appliance can recover.

        An outage the appliance announced (a restart, an update) is no error: one INFO line,
        no back-off, until it lasts longer than :data:`EXPECTED_FOR_S`.
        """
        now = dt_util.utcnow().timestamp()
        try:
            snapshot = await self._poll_riding_out_a_glitch(now)
        except SenecError as err:
            failed = self._failed(err)
            if self._announced_outage(self.outage.failed(now), err):
                self._failures = 0
                self.update_interval = self.base_interval
                # Keeps the coordinator from logging the outage as an error: it logs only
                # the first failure after a success. The entities are unavailable all the same.
                self.last_update_success = False
                raise failed from err
            self._failures += 1
            self.update_interval = min(self.base_interval * 2**self._failures, MAX_BACKOFF)
            raise failed from err
        self._failures = 0
        self.update_interval = self.base_interval
        self.outage.answered(snapshot.update_state, now)
        self.meter.update(snapshot, now)
        self._store.async_delay_save(self.meter.as_dict, STORAGE_SAVE_DELAY)
        self._follow_firmware(snapshot)
        return snapshot

    def _announced_outage(self, verdict: Verdict, err: SenecError) -> bool:
        """Log what a failed poll means; tell whether the outage is an announced one."""
        if verdict is Verdict.EXPECTED_FIRST:
            LOGGER.info(
                "The SENEC.Home at %s does not answer while it updates or restarts (as it "
                "announced); waiting up to %d minutes for it",
                self.client.host,
                EXPECTED_FOR_S // 60,
            )
        elif verdict is Verdict.OVERDUE:
            self.last_update_success = False
            LOGGER.error(
                "The SENEC.Home at %s has not come back within %d minutes after its restart "
                "or update: %s",
                self.client.host,
                EXPECTED_FOR_S // 60,
                err,
            )
        return verdict in (Verdict.EXPECTED_FIRST, Verdict.EXPECTED)

    def expect_restart(self) -> None:
        """Take a restart the appliance confirmed: its outage is expected, say so once."""
        now = dt_util.utcnow().timestamp()
        self.outage.restarting(now)
        appliance_writes(self.hass, self.identity.serial).restart_confirmed_at = now
        # Its values are gone with it: unavailable now, not only after the next poll fails.
        # (With the last update unsuccessful, the coordinator logs no error for the outage.)
        self.last_update_success = False
        self.async_update_listeners()
        LOGGER.info(
            "The SENEC.Home at %s is restarting, back in about %d minutes; its values are "
            "unavailable until then",
            self.client.host,
            RESTART_TAKES_MIN,
        )

    def _follow_firmware(self, snapshot: Snapshot) -> None:
        """Show new firmware on the device when the appliance reports it (after an update)."""
        identity = self.identity
        application = snapshot.application_version or identity.application_version
        image = snapshot.npu_image_version or identity.npu_image_version
        if (application, image) == (identity.application_version, identity.npu_image_version):
            return
        self.identity = replace(identity, application_version=application, npu_image_version=image)
        registry = dr.async_get(self.hass)
        for device in dr.async_entries_for_config_entry(registry, self.config_entry.entry_id):
            if (DOMAIN, identity.serial) in device.identifiers:
                registry.async_update_device(device.id, sw_version=self.identity.firmware)
        LOGGER.info(
            "The SENEC.Home at %s now runs firmware %s", self.client.host, self.identity.firmware
        )

    async def _poll_riding_out_a_glitch(self, now: float) -> Snapshot:
        """Poll; after a transient failure ask once more, so one glitch is no outage.

        Only the retry's failure counts (and is logged by the coordinator as the outage);
        the glitch it rode out is logged at debug level. Either way this is one sample.
        While the appliance is away as announced, a failure is no glitch: no retry then.
        """
        try:
            return await self._poll()
        except TRANSIENT_ERRORS as err:
            if self.outage.expecting(now):
                raise
            LOGGER.debug("Poll of %s failed (%s), asking once more", self.client.host, err)
        await asyncio.sleep(RETRY_DELAY)
        return await self._poll()

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


def _only(answer: Answer, variables: frozenset[Variable]) -> Answer:
    """Return the part of an answer that holds ``variables``."""
    part: Answer = {}
    for section, name in variables:
        if name in answer.get(section, {}):
            part.setdefault(section, {})[name] = answer[section][name]
    return part
