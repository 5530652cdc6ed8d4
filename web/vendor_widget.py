#!/usr/bin/env python3
"""Copies the widget's browser bundle into web/vendor/, without its web-font import.

Run once at install time (`make install`, after `npm ci --prefix web`). The bundle's CSS pulls
the Inter font from Google Fonts; the page uses a system font instead, so that it loads nothing
from other hosts.
"""

import re
from pathlib import Path

WEB_DIR = Path(__file__).resolve().parent
BUNDLE = WEB_DIR / "node_modules" / "rasa-webchat" / "lib" / "index.js"
VENDORED = WEB_DIR / "vendor" / "rasa-webchat.js"
FONT_IMPORT = re.compile(rb"@import url\(https?://fonts\.googleapis\.com/[^)]*\);")


def main() -> None:
    bundle, removed = FONT_IMPORT.subn(b"", BUNDLE.read_bytes())
    if not removed:
        raise SystemExit(f"{BUNDLE}: no Google Fonts import found; check the widget version")
    VENDORED.parent.mkdir(exist_ok=True)
    VENDORED.write_bytes(bundle)
    print(f"{VENDORED.relative_to(WEB_DIR.parent)}: widget bundle without its web-font import")


if __name__ == "__main__":
    main()
