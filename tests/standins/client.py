"""The client side of the stand-ins' own tests: one raw request, and how long a client waits."""

from __future__ import annotations

import http.client

from standins.http_standin import HttpStandin

TIMEOUT = 5.0


def request(server: HttpStandin, path: str, method: str = "GET") -> http.client.HTTPResponse:
    """Issue one raw request without following redirects."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=TIMEOUT)
    conn.request(method, path, headers={"Connection": "close"})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response
