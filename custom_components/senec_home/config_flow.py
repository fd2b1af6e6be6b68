"""Config flow: type the appliance's address, or confirm one DHCP discovery found.

Either way the address is checked (the serial number is read) before anything is created.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, override

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_HOST, CONF_SCAN_INTERVAL, UnitOfTime
from homeassistant.core import callback
from homeassistant.helpers import selector
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo

if TYPE_CHECKING:
    # Home Assistant 2026.9 and later validate with probatio and alias `voluptuous` to it at
    # run time; the type checker runs against that newest stack. Older releases have only
    # voluptuous, so that is what is imported.
    import probatio as vol
else:
    import voluptuous as vol

from .api import Identity, SenecClient, SenecError, SenecNotSenecError, parse_host
from .api.host import host_is_ip
from .const import (
    CONF_SCHEME,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    LOGGER,
    MAX_SCAN_INTERVAL,
    MIN_SCAN_INTERVAL,
)


@dataclass(frozen=True, slots=True)
class _Answered:
    """An appliance that answered, with what the success step needs to know about it."""

    identity: Identity
    scheme: str | None
    #: Whether the firmware reports lifetime totals; None when not asked (already set up).
    lifetime_totals: bool | None


class SenecConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a SENEC.Home appliance by its address."""

    VERSION = 1

    def __init__(self) -> None:
        """Start without a discovered appliance."""
        self._discovered: tuple[_Answered, str] | None = None

    @override
    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the host, connect, and create (or, when reconfiguring, update) the entry."""
        errors: dict[str, str] = {}
        if user_input is not None:
            try:
                host, scheme = parse_host(user_input[CONF_HOST])
            except ValueError:
                errors[CONF_HOST] = "invalid_host"
            else:
                found = await self._async_connect(host, scheme)
                if isinstance(found, str):
                    errors["base"] = found
                else:
                    return await self._async_finish(found, host)
        suggested = user_input or (
            self._get_reconfigure_entry().data if self.source == SOURCE_RECONFIGURE else {}
        )
        return self.async_show_form(
            step_id="reconfigure" if self.source == SOURCE_RECONFIGURE else "user",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema({vol.Required(CONF_HOST): str}), suggested
            ),
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Point the entry at a new address of the same appliance."""
        return await self.async_step_user(user_input)

    @override
    async def async_step_dhcp(self, discovery_info: DhcpServiceInfo) -> ConfigFlowResult:
        """Probe an address the DHCP watcher saw; follow a known appliance, or ask about a new one.

        Home Assistant starts this for a MAC in SENEC's block (manifest.json) and for the MAC
        of a device already set up (registered_devices), so the answer decides, not the MAC.
        """
        host = discovery_info.ip
        # Still at the stored address: nothing to update, so the appliance is not asked.
        self._async_abort_entries_match({CONF_HOST: host})
        found = await self._async_connect(host, None)
        if isinstance(found, str):
            # Nothing that answers like a SENEC: no question for the user.
            return self.async_abort(reason=found)
        identity, scheme = found.identity, found.scheme
        await self.async_set_unique_id(identity.serial)
        entry = self.hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, identity.serial)
        stored = entry.data.get(CONF_HOST) if entry is not None else None
        if stored and not host_is_ip(stored):
            # A host name the owner typed follows the appliance by itself: keep it.
            return self.async_abort(reason="already_configured")
        # A known appliance at a new address: update (and reload) its entry without asking.
        self._abort_if_unique_id_configured(updates={CONF_HOST: host, CONF_SCHEME: scheme})
        self._discovered = (found, host)
        self.context["title_placeholders"] = {"name": identity.model, "host": host}
        return await self.async_step_discovery_confirm()

    async def async_step_discovery_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask the user to add the discovered appliance, showing its model and address."""
        assert self._discovered is not None
        found, host = self._discovered
        if user_input is not None:
            return await self._async_finish(found, host)
        self._set_confirm_only()
        return self.async_show_form(
            step_id="discovery_confirm",
            description_placeholders={"model": found.identity.model, "host": host},
        )

    async def _async_connect(self, host: str, scheme: str | None) -> _Answered | str:
        """Read the identity (and, for an appliance to add, its totals); else an error key."""
        client = SenecClient(host, async_get_clientsession(self.hass), scheme=scheme)
        try:
            identity = await client.identity()
            lifetime_totals = None
            if self.source != SOURCE_RECONFIGURE and not self._known(identity.serial):
                lifetime_totals = await client.reports_lifetime_totals()
        except SenecNotSenecError:
            return "not_senec"
        except SenecError:
            return "cannot_connect"
        except Exception:
            LOGGER.exception("Unexpected error talking to %s", host)
            return "unknown"
        return _Answered(identity, client.scheme, lifetime_totals)

    def _known(self, serial: str) -> bool:
        """Tell whether an entry for this appliance exists already."""
        return self.hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, serial) is not None

    async def _async_finish(self, found: _Answered, host: str) -> ConfigFlowResult:
        """Create the entry, or update the existing one for the same serial."""
        identity = found.identity
        data = {CONF_HOST: host, CONF_SCHEME: found.scheme}
        await self.async_set_unique_id(identity.serial, raise_on_progress=False)
        if self.source == SOURCE_RECONFIGURE:
            self._abort_if_unique_id_mismatch()
            return self.async_update_reload_and_abort(
                self._get_reconfigure_entry(), data_updates=data
            )
        # The same appliance under a new address (a new DHCP lease) updates the entry.
        self._abort_if_unique_id_configured(updates=data)
        # The success step says where the energy totals start (config.create_entry.*).
        return self.async_create_entry(
            title=identity.model,
            data=data,
            description="lifetime_totals" if found.lifetime_totals else "totals_start_now",
            description_placeholders={"model": identity.model},
        )

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> SenecOptionsFlow:
        """Offer the poll interval."""
        return SenecOptionsFlow()


class _RangeShownNumberSelector(selector.NumberSelector):
    """A number field that shows its range and step but leaves both checks to the step.

    Home Assistant's own check answers an out-of-range value in English only ("Value 1.0
    is too small"); the step answers it in the user's language, with the range.
    """

    @override
    def __call__(self, data: Any) -> float:
        """Accept any number; the options step checks the range."""
        value: float = vol.Coerce(float)(data)
        return value


class SenecOptionsFlow(OptionsFlow):
    """Change how often the appliance is polled (applied by a reload, see __init__.py)."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show and store the poll interval; a value out of range is explained, not stored."""
        errors: dict[str, str] = {}
        if user_input is not None:
            interval: float = user_input[CONF_SCAN_INTERVAL]
            # Whole seconds only: 5.5 is no more cut down to 5 than 4 is raised to 5.
            if interval.is_integer() and MIN_SCAN_INTERVAL <= interval <= MAX_SCAN_INTERVAL:
                return self.async_create_entry(data={CONF_SCAN_INTERVAL: int(interval)})
            errors[CONF_SCAN_INTERVAL] = "scan_interval_out_of_range"
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_SCAN_INTERVAL, default=DEFAULT_SCAN_INTERVAL
                ): _RangeShownNumberSelector(
                    selector.NumberSelectorConfig(
                        min=MIN_SCAN_INTERVAL,
                        max=MAX_SCAN_INTERVAL,
                        step=1,
                        mode=selector.NumberSelectorMode.BOX,
                        unit_of_measurement=UnitOfTime.SECONDS,
                    )
                )
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input or self.config_entry.options
            ),
            errors=errors,
            description_placeholders={
                "min": str(MIN_SCAN_INTERVAL),
                "max": str(MAX_SCAN_INTERVAL),
                "default": str(DEFAULT_SCAN_INTERVAL),
            },
        )
