"""Build senec_home.zip for a release: the integration, its manifest at the release's version.

    python3 scripts/package.py TAG [OUTDIR]

TAG is the release's git tag (``0.1.0`` or ``v0.1.0``). It must be the CHANGELOG's newest
heading: a release whose changes the CHANGELOG does not list is refused. HACS downloads the
zip (hacs.json: ``zip_release``, ``filename``) and unpacks it into
``custom_components/senec_home``, so the integration's files sit at the zip's root. The zip
is the same for the same files and tag (fixed file times and order).

Standard library only: it runs with the runner's own python3.
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INTEGRATION = ROOT / "custom_components" / "senec_home"
FILENAME = "senec_home.zip"
VERSION = re.compile(r"^\d+\.\d+\.\d+((a|b|rc)\d+)?$")
HEADING = re.compile(r"^## (\S+)", re.MULTILINE)
# 1980-01-01, the earliest time a zip file can hold: the same zip for the same files.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def newest_version(changelog: Path) -> str:
    """Return the CHANGELOG's newest (first) ``## VERSION`` heading."""
    match = HEADING.search(changelog.read_text(encoding="utf-8"))
    if match is None:
        raise SystemExit(f"{changelog} has no '## VERSION' heading")
    return match.group(1)


def build(tag: str, out: Path) -> Path:
    """Write the zip for ``tag`` into ``out`` and return its path."""
    version = tag.removeprefix("v")
    if not VERSION.match(version):
        raise SystemExit(f"{tag!r} is no release version like 0.1.0 or v0.1.0")
    newest = newest_version(ROOT / "CHANGELOG.md")
    if newest != version:
        raise SystemExit(
            f"the CHANGELOG's newest heading is {newest!r}, the release is {version!r}:"
            " release the version the CHANGELOG describes"
        )
    manifest = json.loads((INTEGRATION / "manifest.json").read_text(encoding="utf-8"))
    manifest["version"] = version
    out.mkdir(parents=True, exist_ok=True)
    target = out / FILENAME
    files = sorted(
        path
        for path in INTEGRATION.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            name = path.relative_to(INTEGRATION).as_posix()
            data = (
                (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
                if name == "manifest.json"
                else path.read_bytes()
            )
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return target


def main(argv: list[str]) -> int:
    """Run the command line."""
    if len(argv) not in (1, 2):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    target = build(argv[0], Path(argv[1]) if len(argv) == 2 else ROOT / "dist")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
