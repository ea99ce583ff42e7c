"""Threaded HTTPS stand-in for external websites, bound to loopback, with a throw-away CA."""

from __future__ import annotations

import ssl
import tempfile
from pathlib import Path
from typing import Any

import trustme

from standins.base import SocketServerStandin, StandinHandler, StandinHTTPServer, check_loopback

# Long enough for a loaded CI machine, short enough that a stuck client cannot hold up a test.
_HANDSHAKE_TIMEOUT = 5.0


def make_certificates(directory: Path, host: str, *more_hosts: str) -> tuple[Path, Path, Path]:
    """A throw-away CA (trustme) and its certificate for IP `host` (and `more_hosts`); return (ca, cert, key) files."""
    directory.mkdir(parents=True, exist_ok=True)
    authority = trustme.CA(organization_name="compliance-docs test CA")
    issued = authority.issue_cert(*(check_loopback(name) for name in (host, *more_hosts)))
    ca_file, cert, key = directory / "ca.pem", directory / "server.pem", directory / "server.key"
    authority.cert_pem.write_to_path(str(ca_file))
    issued.cert_chain_pems[0].write_to_path(str(cert))
    issued.private_key_pem.write_to_path(str(key))
    return ca_file, cert, key


class _TlsServer(StandinHTTPServer):
    """HTTP server that speaks TLS on each accepted connection."""

    # Do not wait for handler threads on close: a client stuck in a handshake must not slow teardown.
    block_on_close = False
    standin: TlsStandin
    context: ssl.SSLContext

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        # The handshake runs here, in the per-connection thread, not in accept(): a client that
        # never finishes it (or speaks plain HTTP) then cannot stall the other connections.
        request.settimeout(_HANDSHAKE_TIMEOUT)
        try:
            tls = self.context.wrap_socket(request, server_side=True, do_handshake_on_connect=False)
        except OSError:
            self.shutdown_request(request)
            return
        try:
            tls.do_handshake()
        except OSError:  # ssl.SSLError included: an untrusting or plain-HTTP client is expected
            tls.close()
            return
        super().process_request_thread(tls, client_address)


class _Handler(StandinHandler):
    """Answers every path with 200 text/html."""

    server: _TlsServer
    timeout = _HANDSHAKE_TIMEOUT

    # Only requests that got past the TLS handshake reach a handler, so only they are logged.
    def _answer(self, send_body: bool) -> None:
        self._reply(200, send_body, body=b"<html><body><p>tls stand-in 200</p></body></html>\n")


class TlsStandin(SocketServerStandin):
    """Local HTTPS server whose every path answers 200, signed by a CA made for it at start."""

    scheme = "https"
    _kind = "tls"

    def __init__(self, host: str = "127.0.0.1", *, cert_dir: Path | None = None) -> None:
        super().__init__(host)
        self._cert_dir = cert_dir
        self._temporary: tempfile.TemporaryDirectory[str] | None = None
        self._ca_file: Path | None = None

    def _make_server(self) -> _TlsServer:
        """Make a CA and a server certificate, then bind a TLS server to an ephemeral port."""
        directory = self._cert_dir
        if directory is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="tls-standin-")
            directory = Path(self._temporary.name)
        self._ca_file, cert, key = make_certificates(directory, self.host)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server = _TlsServer((self.host, 0), _Handler)
        server.standin, server.context = self, context
        return server

    def stop(self) -> None:
        """Stop serving, close the socket, join the thread and remove a temporary certificate folder."""
        super().stop()
        # Outside the running check: a start that failed after making the folder must still clean it up.
        if self._temporary is not None:
            self._temporary.cleanup()
            self._temporary = None
            self._ca_file = None

    @property
    def ca_file(self) -> str:
        """Path of the PEM CA certificate a client must trust (a str, as `--ca-bundle` takes)."""
        if self._ca_file is None:
            raise RuntimeError("TlsStandin is not running: no CA yet")
        return str(self._ca_file)


__all__: list[str] = ["TlsStandin", "make_certificates"]
