"""pyftpdlib-based FTP stand-in serving a directory anonymously and read-only."""

from __future__ import annotations

import logging
import threading
import warnings
from pathlib import Path
from typing import Any, Self

from standins.base import POLL_SECONDS, Standin

# pyftpdlib is built on asyncore/asynchat, deprecated in 3.11; the warning is not actionable here.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.handlers import FTPHandler
    from pyftpdlib.ioloop import IOLoop
    from pyftpdlib.servers import FTPServer

# Commands worth asserting on; login chatter (USER/PASS/TYPE/PASV) is noise for tests.
_LOGGED_COMMANDS = frozenset({"RETR", "SIZE", "CWD", "LIST", "NLST", "MLSD", "MLST"})


def _quiet_pyftpdlib() -> None:
    logger = logging.getLogger("pyftpdlib")
    logger.setLevel(logging.WARNING)
    # Without any handler pyftpdlib installs its own stderr logging on first loop start.
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())


class FtpStandin(Standin):
    """Anonymous read-only FTP server over ``root_dir`` on an ephemeral loopback port."""

    scheme = "ftp"
    _kind = "ftp"

    def __init__(self, root_dir: Path | str, host: str = "127.0.0.1", reply_550: str = "") -> None:
        super().__init__(host)
        self.root_dir = Path(root_dir)
        # A reply of the test's own sent instead of each of pyftpdlib's 550s (a hostile multi-line one).
        self.reply_550 = reply_550
        if not self.root_dir.is_dir():
            raise ValueError(f"FTP root must be an existing directory: {self.root_dir}")
        self._stopping = threading.Event()
        self._server: FTPServer | None = None

    def start(self) -> Self:
        """Bind an ephemeral port and serve from a background thread."""
        if self._server is not None:
            return self
        _quiet_pyftpdlib()
        authorizer = DummyAuthorizer()
        authorizer.add_anonymous(str(self.root_dir.resolve()), perm="elr")
        standin = self

        class _Handler(FTPHandler):
            def pre_process_command(self, line: str, cmd: str, arg: str) -> Any:
                if cmd in _LOGGED_COMMANDS:
                    standin._record(cmd, arg)
                return super().pre_process_command(line, cmd, arg)

            def respond(self, resp: str, logfun: Any = logging.debug) -> None:
                if standin.reply_550 and resp.startswith("550"):
                    resp = standin.reply_550
                super().respond(resp, logfun)

        _Handler.authorizer = authorizer
        _Handler.banner = "stand-in FTP ready"
        # A private IOLoop keeps this server independent of any other pyftpdlib user in the process.
        self._server = FTPServer((self.host, 0), _Handler, ioloop=IOLoop())
        self.port = self._server.address[1]
        self._stopping.clear()
        self._start_thread(self._serve)
        return self

    def _serve(self) -> None:
        server = self._server
        assert server is not None
        try:
            while not self._stopping.is_set():
                server.serve_forever(timeout=POLL_SECONDS, blocking=False, handle_exit=False)
        finally:
            # pyftpdlib's IOLoop is not thread-safe, so it must be closed by the thread that runs it.
            server.close_all()

    def stop(self) -> None:
        """Stop serving, disconnect clients and join the thread."""
        if self._server is None:
            return
        self._stopping.set()
        self._join_thread()
        self._server = None

    def retrieved(self) -> list[str]:
        """Arguments of every RETR command, i.e. the files clients asked to download."""
        return [arg for cmd, arg in self.requests if cmd == "RETR"]


__all__: list[str] = ["FtpStandin"]
