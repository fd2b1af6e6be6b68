"""Where the memory of Home Assistant goes during the soak run (scripts/soak only).

The resident memory of the `hass` process says how much memory it holds, not who holds it.
This component, put into the soak's configuration only (never shipped with the
integration), notes once an hour, on Home Assistant's own clock, the parts a growth can
come from:

- `sqlite_kib`: what SQLite holds (sqlite3_memory_used): the page cache of the recorder's
  connections, which Home Assistant caps at 16 MiB each (PRAGMA cache_size = -16384 in its
  recorder) and which fills as the database grows, and the statements prepared on them;
- `malloc_used_kib` / `malloc_free_kib`: glibc's heap in use and held free, summed over all
  its arenas (mallinfo2 does: the main one and one per busy thread, the recorder's
  included). Their sum is what glibc took from the system; pages of it that were never
  touched are not resident yet, so the resident memory can grow up to that sum without
  any more memory being taken or kept;
- `python_blocks`: the blocks Python's allocator has handed out (sys.getallocatedblocks),
  which grows with every Python object kept, ours included.

Each sample is one JSON line in `soak-probe.jsonl` in the configuration folder; the soak
driver reads them. Only counters are read: nothing is collected, trimmed or freed.
"""

from __future__ import annotations

import ctypes
import json
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.event import async_track_time_interval

DOMAIN = "soak_probe"
FILE = "soak-probe.jsonl"


class _MallInfo2(ctypes.Structure):
    """glibc's `struct mallinfo2` (glibc >= 2.33)."""

    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd",
            "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost",
        )
    ]  # fmt: skip


def _function(library: str, name: str, restype: Any) -> Any:
    """Return a C function of a loaded library, or None where there is none."""
    try:
        function = getattr(ctypes.CDLL(library), name)
    except (OSError, AttributeError):
        return None
    function.restype = restype
    return function


def _sqlite_library() -> str:
    """Return the file that gives Python its SQLite (the loaded instance, not a new one)."""
    import _sqlite3  # noqa: PLC0415 - the module's file names the library in use

    return str(_sqlite3.__file__)


async def async_setup(hass: HomeAssistant, config: dict[str, Any]) -> bool:
    """Sample now and every hour."""
    sqlite_used = _function(_sqlite_library(), "sqlite3_memory_used", ctypes.c_int64)
    mallinfo2 = _function("libc.so.6", "mallinfo2", _MallInfo2)
    path = Path(hass.config.path(FILE))

    def write(line: str) -> None:
        with path.open("a", encoding="utf-8") as file:
            file.write(line + "\n")

    @callback
    def sample(now: datetime) -> None:
        row: dict[str, Any] = {"time": now.isoformat(), "python_blocks": sys.getallocatedblocks()}
        if sqlite_used is not None:
            row["sqlite_kib"] = sqlite_used() // 1024
        if mallinfo2 is not None:
            info = mallinfo2()
            row["malloc_used_kib"] = info.uordblks // 1024
            row["malloc_free_kib"] = info.fordblks // 1024
        hass.async_add_executor_job(write, json.dumps(row))

    sample(datetime.now().astimezone())
    async_track_time_interval(hass, sample, timedelta(hours=1), cancel_on_shutdown=True)
    return True
