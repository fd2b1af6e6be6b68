"""The session cookie of NPU image 2411 and later, which a client must fetch and send back."""

from __future__ import annotations

import secrets

COOKIE_NAME = "senec-homev3-gui"
MAX_AGE_S = 3600


class Sessions:
    """Issued session tokens and when (in simulated time) each was issued."""

    def __init__(self) -> None:
        self._issued: dict[str, float] = {}

    def issue(self, now: float) -> str:
        """Create a token at simulated time `now`; expired ones are forgotten on the way."""
        self._issued = {t: at for t, at in self._issued.items() if now - at < MAX_AGE_S}
        token = secrets.token_hex(16)
        self._issued[token] = now
        return token

    def valid(self, token: str | None, now: float) -> bool:
        """Return whether `token` was issued and is younger than its Max-Age in simulated time."""
        if token is None or token not in self._issued:
            return False
        return now - self._issued[token] < MAX_AGE_S

    def forget(self) -> None:
        """Drop every token, as the appliance does on a reboot."""
        self._issued.clear()

    def __len__(self) -> int:
        """Return how many tokens are held."""
        return len(self._issued)

    @staticmethod
    def set_cookie_header(token: str) -> str:
        """Return the `Set-Cookie` value, with the attributes the real appliance sends."""
        return (
            f"{COOKIE_NAME}={token}; Secure; HttpOnly; Max-Age={MAX_AGE_S}; SameSite=Strict; Path=/"
        )
