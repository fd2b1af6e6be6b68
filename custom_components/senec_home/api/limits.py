"""Reading an answer with a ceiling on its size.

A device that answers at the configured address can send anything, however large. The
appliance itself cuts its answers off at about 11.5 KB, and a full dump of every section
(the largest real answer published, 27 KB) is far below the ceiling, so an answer past it
is no SENEC answer and is refused before it is read whole.
"""

from __future__ import annotations

from typing import Final

import aiohttp

from .errors import SenecProtocolError

#: The largest answer the client reads (bytes): about 20 times what an appliance sends.
MAX_ANSWER_BYTES: Final = 256 * 1024
_CHUNK: Final = 16 * 1024


class TooLargeError(Exception):
    """Cause marker: the answer passed the ceiling (so whatever sent it is no SENEC)."""


async def read_capped(response: aiohttp.ClientResponse, limit: int = MAX_ANSWER_BYTES) -> bytes:
    """Return the body; raise :class:`SenecProtocolError` as soon as it passes ``limit``.

    A declared length past the limit is refused without reading a byte; an undeclared one
    (chunked) is read in chunks and refused at the first chunk past the limit, so at most
    ``limit`` plus one chunk is ever held.
    """
    declared = response.content_length
    if declared is not None and declared > limit:
        raise SenecProtocolError(
            f"answer of {declared} bytes, more than {limit}"
        ) from TooLargeError()
    body = bytearray()
    async for chunk in response.content.iter_chunked(_CHUNK):
        body += chunk
        if len(body) > limit:
            raise SenecProtocolError(f"answer longer than {limit} bytes") from TooLargeError()
    return bytes(body)
