"""scripts/setup takes the Debian mirror from the machine's apt sources, never its own.

Machines that must use a local mirror or proxy name it in their apt sources; the private
apt configuration that fetches Python from Debian's packages must use the same one.
These tests run the script's own lookup (`scripts/setup --debian-mirror`) on sample apt
configurations in the forms apt reads: deb822 `.sources` files and one-line `.list` files.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETUP = ROOT / "scripts" / "setup"

BOOKWORM = 'ID=debian\nVERSION_CODENAME=bookworm\nPRETTY_NAME="Debian GNU/Linux 12"\n'

# A machine's deb822 sources: a vendor repository first, the security archive, a stanza
# that is switched off, then the main archive through a local mirror, with an inline key
# whose text must not be read as fields.
DEB822 = """\
Types: deb
URIs: https://deb.nodesource.com/node_20.x
Suites: nodistro
Components: main

Types: deb
URIs: http://mirror.lan/debian-security
Suites: bookworm-security
Components: main

Types: deb
Enabled: no
URIs: http://switched-off.lan/debian
Suites: bookworm
Components: main

# the main archive, through the local mirror
Types: deb-src deb
URIs: http://mirror.lan:3142/debian/ http://second.lan/debian
Suites: bookworm bookworm-updates
Components: main contrib
Signed-By:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 URIs: http://not-a-field.lan/debian
 -----END PGP PUBLIC KEY BLOCK-----
"""

ONE_LINE = """\
# deb http://commented-out.lan/debian bookworm main
deb-src http://sources-only.lan/debian bookworm main
deb [arch=amd64 signed-by=/usr/share/keyrings/v.gpg] https://vendor.lan/apt cloud-sdk-bookworm main
deb http://security.lan/debian-security bookworm-security main
deb [ arch=amd64 ] https://proxy.lan/debian bookworm main non-free-firmware
"""


def find_mirror(
    tmp_path: Path, files: dict[str, str], os_release: str = BOOKWORM, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run `scripts/setup --debian-mirror` on an apt configuration made of `files`."""
    apt = tmp_path / "apt"
    (apt / "sources.list.d").mkdir(parents=True)
    for name, text in files.items():
        (apt / name).write_text(text, encoding="utf-8")
    release = tmp_path / "os-release"
    release.write_text(os_release, encoding="utf-8")
    environment = {key: value for key, value in os.environ.items() if key != "SENEC_DEBIAN_MIRROR"}
    environment |= {"SENEC_APT_ETC": str(apt), "SENEC_OS_RELEASE": str(release), **env}
    return subprocess.run(
        ["bash", str(SETUP), "--debian-mirror"],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=30,
    )


def test_the_main_archive_of_a_deb822_file(tmp_path: Path) -> None:
    result = find_mirror(tmp_path, {"sources.list.d/debian.sources": DEB822})
    assert result.returncode == 0, result.stderr
    assert result.stdout == "http://mirror.lan:3142/debian\n"


def test_the_main_archive_of_a_one_line_file(tmp_path: Path) -> None:
    result = find_mirror(tmp_path, {"sources.list": ONE_LINE})
    assert result.returncode == 0, result.stderr
    assert result.stdout == "https://proxy.lan/debian\n"


def test_a_list_file_in_the_parts_folder(tmp_path: Path) -> None:
    result = find_mirror(
        tmp_path,
        {
            "sources.list": "# moved to sources.list.d\n",
            "sources.list.d/mirror.list": "deb http://parts.lan/debian stable main\n",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "http://parts.lan/debian\n"


@pytest.mark.parametrize("suite", ["sid", "unstable", "testing"])
def test_a_machine_on_a_moving_suite(tmp_path: Path, suite: str) -> None:
    result = find_mirror(
        tmp_path,
        {"sources.list": f"deb http://moving.lan/debian {suite} main\n"},
        os_release="ID=debian\nVERSION_CODENAME=forky\n",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "http://moving.lan/debian\n"


def test_no_debian_mirror_is_a_clear_error(tmp_path: Path) -> None:
    result = find_mirror(
        tmp_path,
        {
            "sources.list": "deb http://security.lan/debian-security bookworm-security main\n",
            "sources.list.d/node.sources": DEB822.split("\n\n", 1)[0] + "\n",
        },
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert "no Debian mirror in the apt sources" in result.stderr
    assert str(tmp_path / "apt") in result.stderr


def test_an_explicit_mirror_wins(tmp_path: Path) -> None:
    result = find_mirror(
        tmp_path,
        {"sources.list": ONE_LINE},
        SENEC_DEBIAN_MIRROR="http://chosen.lan/debian",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "http://chosen.lan/debian\n"


def test_no_mirror_address_is_written_into_the_scripts() -> None:
    # Only example hosts in comments; no apt source line with an address of its own.
    for script in sorted(path for path in (ROOT / "scripts").iterdir() if path.is_file()):
        text = script.read_text(encoding="utf-8")
        assert "deb.debian.org" not in text, script.name
        assert not re.search(r"deb\s+https?://", text), script.name
