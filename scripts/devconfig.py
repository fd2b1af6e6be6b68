"""Prepare a Home Assistant configuration directory for developing SENEC.Home.

    .venv-hass/bin/python scripts/devconfig.py CONFIG_DIR [--port 8123] [--host 127.0.0.1]

- links `CONFIG_DIR/custom_components/senec_home` to this repository's integration;
- makes Home Assistant listen on HOST:PORT.

Home Assistant 2026.11 keeps its HTTP settings in `.storage/http`, not in configuration.yaml:
an `http:` block there is imported once, as a trial that is reverted (and Home Assistant
restarted) unless it is confirmed in the UI within five minutes. So the address is written
where Home Assistant keeps it, checked by Home Assistant's own schema, before it starts. Other
HTTP settings stored there are kept. Run it with the Python of `.venv-hass`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
INTEGRATION = ROOT / "custom_components" / "senec_home"
META_KEYS = ("created_at", "error", "error_message")


def link_integration(config_dir: Path) -> None:
    """Link the integration into `config_dir/custom_components` (relative symlink)."""
    custom = config_dir / "custom_components"
    custom.mkdir(parents=True, exist_ok=True)
    link = custom / INTEGRATION.name
    target = os.path.relpath(INTEGRATION, custom)
    if link.is_symlink() and os.readlink(link) == target:
        return
    if link.is_symlink() or link.is_file():
        link.unlink()
    elif link.exists():
        sys.exit(f"devconfig: {link} is a real folder; move it away first")
    link.symlink_to(target, target_is_directory=True)


def set_address(config_dir: Path, host: str, port: int) -> None:
    """Store host and port as Home Assistant's confirmed ("stable") HTTP settings."""
    from homeassistant.components.http import config as http_config  # noqa: PLC0415

    path = config_dir / ".storage" / http_config.STORAGE_KEY
    document: dict[str, Any]
    if path.exists():
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("version") != http_config.STORAGE_VERSION:
            print(
                f"devconfig: {path} has storage version {document.get('version')}, not "
                f"{http_config.STORAGE_VERSION}; left alone (set the address in the UI)",
                file=sys.stderr,
            )
            return
    else:
        document = {
            "version": http_config.STORAGE_VERSION,
            "minor_version": http_config.STORAGE_MINOR_VERSION,
            "key": http_config.STORAGE_KEY,
            "data": {"stable": {}, "pending": None, "yaml_migration_done": True},
        }
    data = document["data"]
    stored = {k: v for k, v in data.get("stable", {}).items() if k not in META_KEYS}
    stable = http_config.HTTP_STORAGE_SCHEMA({**stored, "server_host": [host], "server_port": port})
    if stable == http_config.HTTP_STORAGE_SCHEMA(stored) and path.exists():
        return
    data["stable"] = {
        **stable,
        "created_at": datetime.now(UTC).isoformat(),
        "error": None,
        "error_message": None,
    }
    # Without an http: block in configuration.yaml there is nothing to import.
    data["yaml_migration_done"] = True
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    path.chmod(0o600)


def main() -> None:
    """Parse the command line and prepare the directory."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("config_dir", type=Path, help="Home Assistant configuration directory")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8123, help="HTTP port")
    args = parser.parse_args()
    link_integration(args.config_dir)
    set_address(args.config_dir, args.host, args.port)


if __name__ == "__main__":
    main()
