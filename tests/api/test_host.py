"""What users type as the address is understood, or refused with ValueError."""

from __future__ import annotations

import pytest

from custom_components.senec_home.api import parse_host


@pytest.mark.parametrize(
    ("text", "host", "scheme"),
    [
        ("192.168.1.50", "192.168.1.50", None),
        ("  192.168.1.50  ", "192.168.1.50", None),
        ("https://192.168.1.50/", "192.168.1.50", "https"),
        ("HTTP://192.168.1.50/lala.cgi", "192.168.1.50", "http"),
        ("192.168.1.50:8443", "192.168.1.50:8443", None),
        ("https://senec.local:8443/index.html", "senec.local:8443", "https"),
        ("senec", "senec", None),
        ("Senec-Home.fritz.box", "senec-home.fritz.box", None),
        ("fe80::1", "[fe80::1]", None),
        ("[fe80::1]:443", "[fe80::1]:443", None),
        ("https://[2001:db8::5]/", "[2001:db8::5]", "https"),
    ],
)
def test_understands_typed_and_pasted_addresses(text: str, host: str, scheme: str | None) -> None:
    assert parse_host(text) == (host, scheme)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "ftp://192.168.1.50",
        "192.168.1.50:99999",
        "192.168.1.50:port",
        "user:pw@192.168.1.50",
        "not a host",
        "-bad-.local",
        "256.1.1.1",
        "http://",
        "a" * 64 + ".local",
    ],
)
def test_refuses_what_cannot_be_an_address(text: str) -> None:
    with pytest.raises(ValueError):
        parse_host(text)
