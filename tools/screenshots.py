"""Screenshots of a built site's home page at desktop and phone sizes, light and dark (`make screenshots`).

    python tools/screenshots.py --site site --output screenshots

The site is served from 127.0.0.1 for the browser; every request elsewhere is refused, as readers'
browsers would find nothing there either (the site loads nothing from third parties).
"""

from __future__ import annotations

import argparse
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

from compliance.pdf.guide import CHROMIUM, CHROMIUM_ARGS

# name: (viewport, colour scheme, device pixel ratio)
SHOTS = {
    "home-desktop": ({"width": 1280, "height": 900}, "light", 1),
    "home-desktop-dark": ({"width": 1280, "height": 900}, "dark", 1),
    "home-phone": ({"width": 390, "height": 844}, "light", 2),
}


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def take(site: Path, output: Path, page_path: str = "", full_page: bool = False) -> list[Path]:
    """Write one PNG per entry of SHOTS for the page at `page_path` below the site root."""
    from playwright.sync_api import sync_playwright

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{httpd.server_port}"
    output.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, (viewport, scheme, scale) in SHOTS.items():
                context = browser.new_context(
                    viewport=viewport, color_scheme=scheme, device_scale_factor=scale, is_mobile=scale > 1
                )
                context.route(
                    "**/*",
                    lambda route: (
                        route.continue_()
                        if route.request.url.startswith(origin + "/")
                        else route.abort("blockedbyclient")
                    ),
                )
                page = context.new_page()
                page.goto(f"{origin}/{page_path}", wait_until="load")
                path = output / f"{name}.png"
                page.screenshot(path=str(path), full_page=full_page)
                written.append(path)
                context.close()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site)")
    parser.add_argument("--output", type=Path, default=Path("screenshots"), help="folder (default: screenshots)")
    parser.add_argument("--page", default="", help="page below the site root (default: the home page)")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not the first screen")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"error: {args.site}: no index.html; build the site first (make site)", file=sys.stderr)
        return 1
    for path in take(args.site, args.output, args.page, args.full_page):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
