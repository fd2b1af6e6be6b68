"""Config flow: type the appliance's address; it is checked before anything is created."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, override

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_HOST, CONF_SCAN_INTERVAL
from homeassistant.core import callback
from homeassistant.helpers import selector
from homeassistant.helpers.aiohttp_client import async_get_clientsession

if TYPE_CHECKING:
    # Home Assistant 2026.9 and later validate with probatio and alias `voluptuous` to it at
    # run time; the type checker runs against that newest stack. Older releases have only
    # voluptuous, so that is what is imported.
    import probatio as vol
else:
    import voluptuous as vol

from .api import Identity, SenecClient, SenecError, SenecNotSenecError, parse_host
from .const import (
    CONF_SCHEME,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    LOGGER,
    MAX_SCAN_INTERVAL,
    MIN_SCAN_INTERVAL,
)


class SenecConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a SENEC.Home appliance by its address."""

    VERSION = 1

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
                identity, scheme, error = await self._async_connect(host, scheme)
                if error:
                    errors["base"] = error
                else:
                    assert identity is not None
                    return await self._async_finish(identity, host, scheme)
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

    async def _async_connect(
        self, host: str, scheme: str | None
    ) -> tuple[Identity | None, str | None, str | None]:
        """Read the identity; return it, the working scheme, or an error key."""
        client = SenecClient(host, async_get_clientsession(self.hass), scheme=scheme)
        try:
            identity = await client.identity()
        except SenecNotSenecError:
            return None, None, "not_senec"
        except SenecError:
            return None, None, "cannot_connect"
        except Exception:
            LOGGER.exception("Unexpected error talking to %s", host)
            return None, None, "unknown"
        return identity, client.scheme, None

    async def _async_finish(
        self, identity: Identity, host: str, scheme: str | None
    ) -> ConfigFlowResult:
        """Create the entry, or update the existing one for the same serial."""
        data = {CONF_HOST: host, CONF_SCHEME: scheme}
        await self.async_set_unique_id(identity.serial, raise_on_progress=False)
        if self.source == SOURCE_RECONFIGURE:
            self._abort_if_unique_id_mismatch()
            return self.async_update_reload_and_abort(
                self._get_reconfigure_entry(), data_updates=data
            )
        # The same appliance under a new address (a new DHCP lease) updates the entry.
        self._abort_if_unique_id_configured(updates=data)
        return self.async_create_entry(title=identity.model, data=data)

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> SenecOptionsFlow:
        """Offer the poll interval."""
        return SenecOptionsFlow()


class SenecOptionsFlow(OptionsFlow):
    """Change how often the appliance is polled (applied by a reload, see __init__.py)."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show and store the poll interval."""
        if user_input is not None:
            return self.async_create_entry(data=user_input)
        schema = vol.Schema(
            {
                vol.Required(CONF_SCAN_INTERVAL, default=DEFAULT_SCAN_INTERVAL): vol.All(
                    selector.NumberSelector(
                        selector.NumberSelectorConfig(
                            min=MIN_SCAN_INTERVAL,
                            max=MAX_SCAN_INTERVAL,
                            step=1,
                            mode=selector.NumberSelectorMode.BOX,
                            unit_of_measurement="s",
                        )
                    ),
                    vol.Coerce(int),
                )
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(schema, self.config_entry.options),
        )
