"""A simulated SENEC.Home appliance: the `lala.cgi` endpoint over a physically consistent house.

Not shipped to users: it lets the integration be tried without hardware and lets tests run
against real sockets. From the command line: `python -m senec_simulator --help`. In tests:

    async with Simulator(profile="v3-npu2411", seed=1, start=when) as sim:
        ...  # talk to sim.url, trusting sim.certificate_pem
        sim.advance(3600)  # the manual clock moves only when told
        sim.set_fault(Fault.HTTP_504, count=1)
        assert sim.truth.soc <= 100
"""

from .faults import Fault
from .house import Truth
from .installation import Energies
from .profiles import Profile
from .server import Simulator
from .wallbox import Wallbox

__all__ = ["Energies", "Fault", "Profile", "Simulator", "Truth", "Wallbox"]
