"""Typed errors of the SENEC client: callers react to the kind, never to message text."""


class SenecError(Exception):
    """Base class of every error the client raises."""


class SenecConnectionError(SenecError):
    """The appliance could not be reached (refused, reset, DNS, TLS handshake)."""


class SenecTimeoutError(SenecConnectionError):
    """The appliance did not answer within the total timeout (it hangs now and then)."""


class SenecProtocolError(SenecError):
    """The appliance answered, but not usably: HTTP error status, empty, truncated or non-JSON.

    The appliance produces these transiently; the next request usually succeeds.
    """


class SenecNotSenecError(SenecError):
    """Something answered at that address, but it is not a SENEC appliance."""


class SenecWriteError(SenecError):
    """The appliance answered a write, but did not echo the value written.

    The command did not take; the appliance's state is whatever the next poll reports.
    """
