"""Tests proving the FTP stand-in serves, refuses and logs as documented."""

from __future__ import annotations

import ftplib
import io
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from standins.client import TIMEOUT
from standins.ftp_standin import FtpStandin


@pytest.fixture
def ftp_server(tmp_path: Path) -> Iterator[FtpStandin]:
    """FTP stand-in serving a small tree."""
    (tmp_path / "pub").mkdir()
    (tmp_path / "pub" / "report.pdf").write_bytes(b"%PDF-1.4 ftp stand-in\n")
    (tmp_path / "readme.txt").write_bytes(b"hello over ftp\n")
    with FtpStandin(tmp_path) as server:
        yield server


def _ftp_login(server: FtpStandin) -> ftplib.FTP:
    ftp = ftplib.FTP()
    ftp.connect(server.host, server.port, timeout=TIMEOUT)
    ftp.login()
    return ftp


def test_ftp_download_present_file(ftp_server: FtpStandin) -> None:
    """An anonymous client downloads exact bytes and the RETR is logged."""
    ftp = _ftp_login(ftp_server)
    buffer = io.BytesIO()
    ftp.retrbinary("RETR pub/report.pdf", buffer.write)
    assert ftp.size("readme.txt") == len(b"hello over ftp\n")
    ftp.cwd("pub")
    assert "report.pdf" in ftp.nlst()
    ftp.quit()
    assert buffer.getvalue() == b"%PDF-1.4 ftp stand-in\n"
    assert ftp_server.retrieved() == ["pub/report.pdf"]
    assert ("SIZE", "readme.txt") in ftp_server.requests
    assert ("CWD", "pub") in ftp_server.requests


def test_ftp_missing_file_is_550(ftp_server: FtpStandin) -> None:
    """A missing file yields a permanent 550 error."""
    ftp = _ftp_login(ftp_server)
    with pytest.raises(ftplib.error_perm, match=r"^550"):
        ftp.retrbinary("RETR nope.pdf", io.BytesIO().write)
    ftp.quit()
    assert ftp_server.retrieved() == ["nope.pdf"]


def test_ftp_is_read_only(ftp_server: FtpStandin) -> None:
    """Uploads are refused."""
    ftp = _ftp_login(ftp_server)
    with pytest.raises(ftplib.error_perm):
        ftp.storbinary("STOR new.txt", io.BytesIO(b"x"))
    ftp.quit()


def test_ftp_urllib_and_url(ftp_server: FtpStandin) -> None:
    """url() yields an ftp:// URL that urllib can download."""
    assert ftp_server.url("readme.txt") == f"ftp://127.0.0.1:{ftp_server.port}/readme.txt"
    with urllib.request.urlopen(ftp_server.url("readme.txt"), timeout=TIMEOUT) as response:
        assert response.read() == b"hello over ftp\n"
