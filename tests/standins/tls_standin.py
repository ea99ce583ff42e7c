"""Threaded HTTPS stand-in for external websites, bound to loopback, with a throw-away CA."""

from __future__ import annotations

import secrets
import shutil
import ssl
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from standins.base import SocketServerStandin, StandinHandler, StandinHTTPServer, check_loopback

# Long enough for a loaded CI machine, short enough that a stuck client cannot hold up a test.
_HANDSHAKE_TIMEOUT = 5.0

# Our own config file, so the system's openssl.cnf (missing, or adding clashing extensions) never matters.
# The extensions satisfy strict X.509 checking (VERIFY_X509_STRICT, default in newer Pythons), not just OpenSSL's.
_OPENSSL_CONFIG = """\
[req]
distinguished_name = dn
prompt = no

[dn]
CN = placeholder

[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = {names}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
"""


def make_certificates(directory: Path, host: str, *more_hosts: str) -> tuple[Path, Path, Path]:
    """Create a CA and a server certificate for IP `host` (and `more_hosts`) with `openssl`; return (ca, cert, key)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("the TLS stand-in needs the openssl command line tool")
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "openssl.cnf"
    names = ", ".join(f"IP:{check_loopback(name)}" for name in (host, *more_hosts))
    config.write_text(_OPENSSL_CONFIG.format(names=names), encoding="ascii")
    ca_key, ca_file = directory / "ca.key", directory / "ca.pem"
    key, csr, cert = directory / "server.key", directory / "server.csr", directory / "server.pem"
    # P-256 keys generate in milliseconds, where RSA would make every fixture noticeably slower.
    new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    ca_request = ["req", "-x509", "-config", config, "-extensions", "ca_ext", *new_key, "-sha256", "-days", "2"]
    server_request = ["req", "-new", "-config", config, *new_key]
    # A random serial: two runs' certificates must never look like one certificate to a client.
    signing = ["x509", "-req", "-CA", ca_file, "-CAkey", ca_key, "-sha256", "-days", "2"]
    signing += ["-set_serial", f"0x{secrets.token_hex(16)}", "-extfile", config, "-extensions", "server_ext"]
    commands = [
        [openssl, *ca_request, "-keyout", ca_key, "-out", ca_file, "-subj", "/CN=compliance-docs test CA"],
        [openssl, *server_request, "-keyout", key, "-out", csr, "-subj", f"/CN={host}"],
        [openssl, *signing, "-in", csr, "-out", cert],
    ]
    for command in commands:
        result = subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=30)
        if result.returncode != 0:
            raise RuntimeError(f"openssl failed ({' '.join(map(str, command[:3]))}): {result.stderr.strip()}")
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
