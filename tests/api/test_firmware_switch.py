"""A firmware update that switches the appliance from HTTP to HTTPS, seen by a running client.

The README promises the client remembers the scheme that worked and looks again after a
firmware update switches protocols (0825/0826 closed plain HTTP for good).
"""

from __future__ import annotations

import aiohttp
import pytest

from custom_components.senec_home.api import SenecClient, SenecConnectionError
from senec_simulator import Simulator

from ..conftest import SIM_START


async def test_the_scheme_is_looked_up_again_after_a_firmware_update(
    socket_enabled: None,
) -> None:
    async with aiohttp.ClientSession() as session:
        old = Simulator(profile="legacy", seed=1, start=SIM_START)
        await old.start()
        client = SenecClient(old.host, session)
        try:
            await client.poll()
            assert client.scheme == "http"
        finally:
            await old.stop()
        # The update: the same address now answers HTTPS only.
        async with Simulator(profile="v3-0826", seed=1, start=SIM_START, port=old.port) as updated:
            with pytest.raises(SenecConnectionError):
                await client.poll()  # the remembered scheme no longer works
            snapshot = await client.poll()
            assert client.scheme == "https"
            assert snapshot.house_power is not None
            assert updated.request_count == 1
