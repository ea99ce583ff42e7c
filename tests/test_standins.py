"""Tests proving what every stand-in shares (standins/base.py): loopback only, a stop that frees the port."""

from __future__ import annotations

import ftplib
import http.client
from pathlib import Path

import pytest

from standins.ftp_standin import FtpStandin
from standins.http_standin import HttpStandin


def test_stop_releases_port() -> None:
    """After stop() the port no longer accepts connections."""
    server = HttpStandin().start()
    port = server.port
    server.stop()
    server.stop()  # idempotent
    with pytest.raises(ConnectionRefusedError):
        http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/ok")


@pytest.mark.parametrize("host", ["0.0.0.0", "10.0.0.1", "example.com", "::1"])
def test_non_loopback_host_rejected(host: str, tmp_path: Path) -> None:
    """Both stand-ins refuse anything outside 127.0.0.0/8."""
    with pytest.raises(ValueError):
        HttpStandin(host=host)
    with pytest.raises(ValueError):
        FtpStandin(tmp_path, host=host)


def test_ftp_stop_closes_port(tmp_path: Path) -> None:
    """stop() closes the listener and is idempotent."""
    server = FtpStandin(tmp_path).start()
    port = server.port
    server.stop()
    server.stop()
    with pytest.raises(ConnectionRefusedError):
        ftplib.FTP().connect("127.0.0.1", port, timeout=1)
