"""Look at the docs site as a reader would: build it, serve it locally, and screenshot pages with
headless Chromium (Debian: ``apt-get install chromium``).

    .venv/bin/python scripts/screenshot.py [--out screenshots] [--widths 1400 400] [PAGE ...]

PAGE is a path in the site (default: the rules index, a rule page, a procedure page, a decision
table and the article); each is shot at every width, as PAGE-WIDTH.png.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = (
    "rules/",
    "rules/kb105-001/",
    "packs/kb105/procedures/kb105-p1/",
    "packs/kb105/tables/expected-challenges/",
    "articles/kb-105-do-not-run-riva-twice/",
)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--virtual-time-budget=5000",
)


def find_chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("screenshot: Chromium not found (Debian: apt-get install chromium)")


def build(site_dir: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site_dir)],
        cwd=ROOT,
        check=True,
    )


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def screenshot(chromium: str, url: str, target: Path, size: str) -> None:
    with tempfile.TemporaryDirectory(prefix="kb-lint-chromium-") as profile:
        subprocess.run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={size}",
                f"--screenshot={target}",
                url,
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", default=list(DEFAULT_PAGES), metavar="PAGE")
    parser.add_argument("--out", type=Path, default=Path("screenshots"), help="folder for PNGs")
    parser.add_argument("--widths", nargs="+", type=int, default=[1400, 400], metavar="PX")
    parser.add_argument("--height", type=int, default=2400, help="window height in pixels")
    args = parser.parse_args()
    chromium = find_chromium()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kb-lint-site-") as tmp:
        site = Path(tmp) / "site"
        build(site)
        handler = functools.partial(QuietHandler, directory=str(site))
        with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
            threading.Thread(target=server.serve_forever, daemon=True).start()
            base = f"http://127.0.0.1:{server.server_address[1]}/"
            for page in args.pages:
                name = page.strip("/").replace("/", "-") or "index"
                for width in args.widths:
                    target = (args.out / f"{name}-{width}.png").resolve()
                    size = f"{width},{args.height}"
                    screenshot(chromium, base + page.lstrip("/"), target, size)
                    print(target)
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
