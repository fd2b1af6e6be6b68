"""Constants of the SENEC.Home integration."""

import logging
from datetime import timedelta
from typing import Final

DOMAIN: Final = "senec_home"
LOGGER: Final = logging.getLogger(__package__)

CONF_SCHEME: Final = "scheme"
DEFAULT_SCAN_INTERVAL: Final = 10
MIN_SCAN_INTERVAL: Final = 5
MAX_SCAN_INTERVAL: Final = 300
# After repeated failures the poll interval doubles up to this, so a struggling
# appliance is not hammered while it recovers.
MAX_BACKOFF: Final = timedelta(minutes=5)
STORAGE_VERSION: Final = 1
# How long energy totals may sit unsaved; short, so a crash loses only seconds.
STORAGE_SAVE_DELAY: Final = 10
# How often the slow values (ratings, module health and cycles) ride along in a poll.
SLOW_INTERVAL: Final = timedelta(hours=1)
