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
- `malloc_mmap_kib`: glibc's large allocations, each mapped from the system on its own;
- `python_blocks`: the blocks Python's allocator has handed out (sys.getallocatedblocks),
  which grows with every Python object kept, ours included;
- `python_arenas_kib` / `python_used_kib`: the 1 MiB arenas Python's allocator maps from the
  system for its small objects (not through malloc), and the bytes of blocks in use in them
  (from CPython's own allocator statistics, `_PyObject_DebugMallocStats`). An arena goes back
  to the system only once every object in it is gone, so arenas can grow while the objects
  in use do not: a long-lived object left in an otherwise empty arena keeps all of it.

Each sample is one JSON line in `soak-probe.jsonl` in the configuration folder; the soak
driver reads them. Only counters are read: nothing is collected, trimmed or freed.
"""

from __future__ import annotations

import ctypes
import json
import re
import sys
import tempfile
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


def _function(library: str | None, name: str, restype: Any) -> Any:
    """Return a C function of a loaded library (None: the program's own), or None where
    there is none.
    """
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


def _python_allocator() -> dict[str, int]:
    """Return the arenas of Python's small-object allocator and the bytes in use in them.

    CPython prints these statistics into a C stream only; a file stands in for it. The
    call goes through `ctypes.pythonapi`, which keeps the GIL held, as the statistics need.
    """
    try:
        stats = ctypes.pythonapi._PyObject_DebugMallocStats
    except AttributeError:
        return {}
    stats.restype = ctypes.c_int
    fopen = _function(None, "fopen", ctypes.c_void_p)
    fclose = _function(None, "fclose", ctypes.c_int)
    if fopen is None or fclose is None:
        return {}
    with tempfile.NamedTemporaryFile(mode="r", encoding="ascii") as file:
        stream = fopen(file.name.encode(), b"w")
        if not stream:
            return {}
        stats(ctypes.c_void_p(stream))
        fclose(ctypes.c_void_p(stream))
        text = file.read()

    def number(label: str) -> int | None:
        found = re.search(rf"^# {label} +=\s*([\d,]+)$", text, re.MULTILINE)
        return int(found.group(1).replace(",", "")) if found else None

    arenas, used = number("arenas allocated current"), number("bytes in allocated blocks")
    if arenas is None or used is None:
        return {}
    size = re.search(r"^\d+ arenas \* (\d+) bytes/arena", text, re.MULTILINE)
    arena = int(size.group(1)) if size else 1 << 20
    return {"python_arenas_kib": arenas * arena // 1024, "python_used_kib": used // 1024}


async def async_setup(hass: HomeAssistant, config: dict[str, Any]) -> bool:
    """Sample now and every hour."""
    sqlite_used = _function(_sqlite_library(), "sqlite3_memory_used", ctypes.c_int64)
    mallinfo2 = _function("libc.so.6", "mallinfo2", _MallInfo2)
    path = Path(hass.config.path(FILE))

    def write(row: dict[str, Any]) -> None:
        row.update(_python_allocator())
        with path.open("a", encoding="utf-8") as file:
            file.write(json.dumps(row) + "\n")

    @callback
    def sample(now: datetime) -> None:
        row: dict[str, Any] = {"time": now.isoformat(), "python_blocks": sys.getallocatedblocks()}
        if sqlite_used is not None:
            row["sqlite_kib"] = sqlite_used() // 1024
        if mallinfo2 is not None:
            info = mallinfo2()
            row["malloc_used_kib"] = info.uordblks // 1024
            row["malloc_free_kib"] = info.fordblks // 1024
            row["malloc_mmap_kib"] = info.hblkhd // 1024
        hass.async_add_executor_job(write, row)

    sample(datetime.now().astimezone())
    async_track_time_interval(hass, sample, timedelta(hours=1), cancel_on_shutdown=True)
    return True
