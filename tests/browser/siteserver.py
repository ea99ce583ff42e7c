"""A built site served on 127.0.0.1 under a sub-path, the way a static host serves it."""

from __future__ import annotations

import io
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit


class SiteServer:
    """Serve `site` at http://127.0.0.1:PORT{mount}; the port is known before the site is built.

    Anything outside the mount is a bare 404, so a root-absolute asset path shows up as a failed request.
    A missing page inside the mount gets the site's own 404.html with status 404, as static hosts do.
    """

    def __init__(self, mount: str = "/docs/") -> None:
        self.mount = mount
        self.site: Path | None = None
        # Sent with every response, as a static host sends what its _headers file says (empty: none).
        self.response_headers: dict[str, str] = {}
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_port}"

    @property
    def url(self) -> str:
        """The site's root URL, with the mount's trailing slash."""
        return self.origin + self.mount

    def serve(self, site: Path) -> None:
        self.site = site
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def _handler_class(self) -> type[SimpleHTTPRequestHandler]:
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def translate_path(self, path: str) -> str:
                relative = unquote(urlsplit(path).path)[len(server.mount) :]
                return str(server.site / relative) if server.site else ""

            def send_head(self):  # type: ignore[no-untyped-def]
                path = urlsplit(self.path).path
                target = Path(self.translate_path(self.path)).resolve()
                outside = server.site is None or not target.is_relative_to(server.site.resolve())
                if outside or not path.startswith(server.mount):
                    self.send_error(HTTPStatus.NOT_FOUND)
                    return None
                missing = not target.exists() or (target.is_dir() and not (target / "index.html").exists())
                if missing and (server.site / "404.html").exists():
                    return self._send_not_found_page(server.site / "404.html")
                return super().send_head()

            def _send_not_found_page(self, page: Path):  # type: ignore[no-untyped-def]
                body = page.read_bytes()
                self.send_response(HTTPStatus.NOT_FOUND)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                return io.BytesIO(body)

            def end_headers(self) -> None:
                for name, value in server.response_headers.items():
                    self.send_header(name, value)
                super().end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
