"""Understand what a user types as the appliance's address.

Users paste all sorts: ``192.168.1.50``, ``https://192.168.1.50/``, ``senec.local:8443``,
``http://senec/lala.cgi``. This turns them into a host (with port, if any) and the scheme the
user named, or raises ``ValueError`` for something that cannot be an address.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Final
from urllib.parse import urlsplit

_LABEL: Final = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
SCHEMES: Final = ("https", "http")


def _valid_hostname(name: str) -> bool:
    """Tell whether ``name`` is a syntactically valid IP address or DNS name."""
    try:
        ipaddress.ip_address(name)
    except ValueError:
        pass
    else:
        return True
    if len(name) > 253 or name.replace(".", "").isdigit():
        return False
    return all(_LABEL.match(label) for label in name.rstrip(".").split("."))


def parse_host(text: str) -> tuple[str, str | None]:
    """Return ``(host[:port], scheme or None)`` for a typed or pasted address."""
    text = text.strip()
    if not text:
        raise ValueError("empty host")
    if "://" not in text and text.count(":") > 1 and not text.startswith("["):
        text = f"[{text}]"  # a bare IPv6 address
    url = urlsplit(text if "://" in text else f"//{text}")
    if url.scheme and url.scheme.lower() not in SCHEMES:
        raise ValueError(f"unsupported scheme {url.scheme!r}")
    try:
        hostname, port = url.hostname, url.port
    except ValueError as err:  # a port that is not a number or out of range
        raise ValueError(str(err)) from err
    if not hostname or not _valid_hostname(hostname) or url.username or url.password:
        raise ValueError(f"not a host: {text!r}")
    host = f"[{hostname}]" if ":" in hostname else hostname
    if port is not None:
        host = f"{host}:{port}"
    return host, (url.scheme.lower() or None)


def host_is_ip(host: str) -> bool:
    """Tell whether a stored ``host[:port]`` names an IP address rather than a DNS name.

    Discovery follows an appliance to a new IP address only where the owner typed an IP
    address: a host name keeps resolving to the appliance by itself.
    """
    try:
        hostname = urlsplit(f"//{host}").hostname
    except ValueError:
        return False
    if not hostname:
        return False
    try:
        ipaddress.ip_address(hostname)
    except ValueError:
        return False
    return True
