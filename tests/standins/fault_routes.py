"""The scripted faults of tests/test_links_correctness.py: what a 'public' site and an 'internal' one answer.

The public site is 127.0.0.1, reached by names the checker resolves through its override
(`public.example`, `bücher.example`); the internal one is 127.0.0.2, which no redirect may reach.
"""

from __future__ import annotations

import gzip
import time

from standins.fault_standin import FaultHandler, FaultStandin, Route, answer, raw

PAGE = b'<html><body><h1 id="present">x</h1><a name="named"></a><p id="caf\xc3\xa9">c</p></body></html>'
RESOLVE = (("public.example", "127.0.0.1"), ("b\u00fccher.example", "127.0.0.1"), ("internal.example", "127.0.0.2"))
# A 429 whose head arrives three bytes at a time, with its header name in odd case.
SPLIT_HEAD = b"HTTP/1.1 429 Too Many Requests\r\nRETRY-After: 7\r\nContent-Length: 0\r\n\r\n"


def redirect(status: int, location: str, headers: dict[str, str] | None = None) -> Route:
    return answer(status, "Redirect", {"Location": location, **(headers or {})})


def endless_headers(handler: FaultHandler) -> None:
    handler.send_response_only(200)
    for number in range(10_000_000):  # ~1 GB if the client never stops reading
        handler.send_header(f"X-Filler-{number}", "a" * 90)
        handler.flush_headers()


def interim(then: Route) -> Route:
    """A '100 Continue' nobody asked for, then the real answer."""

    def route(handler: FaultHandler) -> None:
        handler.send_response_only(100)
        handler.end_headers()
        then(handler)

    return route


_LOGGED_IN = answer(200, "OK", {"Content-Type": "text/html"}, PAGE)
_LOG_IN = answer(302, "Found", {"Location": "/cookie", "Set-Cookie": "seen=1; Path=/"})


def cookie_gate(handler: FaultHandler) -> None:
    """A login step: no cookie, set one and redirect to itself; with it, the page."""
    (_LOGGED_IN if "seen=1" in handler.headers.get("Cookie", "") else _LOG_IN)(handler)


def slow_redirect(target: str, seconds: float) -> Route:
    then = answer(302, "Found", {"Location": target})

    def route(handler: FaultHandler) -> None:
        time.sleep(seconds)
        then(handler)

    return route


def public_routes(public: FaultStandin, internal: FaultStandin) -> dict[str, Route]:
    inner = internal.port
    html = {"Content-Type": "text/html; charset=utf-8"}
    big = b"<html><body>" + b"<p>filler</p>" * 400 + b'<p id="late">x</p></body></html>'
    routes: dict[str, Route] = {
        "/ok": answer(200, "OK", html, PAGE),
        "/page.html": answer(200, "OK", html, PAGE),
        "/big.html": answer(200, "OK", html, big),
        "/doc.pdf": answer(200, "OK", {"Content-Type": "application/pdf"}, b"%PDF-1.4\n"),
        "/gzip.html": answer(200, "OK", {**html, "Content-Encoding": "gzip"}, gzip.compress(PAGE)),
        "/a%20b": answer(200, "OK", html, PAGE),
        "/caf%C3%A9": answer(200, "OK", html, PAGE),
        "/caf%C3%A9%20ok": answer(200, "OK", html, PAGE),
        "/forbidden": answer(403, "Forbidden"),
        "/missing": answer(404, "Not Found"),
        "/utf8-location": redirect(302, "/caf\u00e9 ok"),
        "/relative": redirect(302, "ok"),
        "/protocol-relative": redirect(302, f"//public.example:{public.port}/ok"),
        "/cookie": cookie_gate,
        "/loop": redirect(302, "/loop"),
        "/no-location": answer(302, "Found"),
        "/moved": redirect(301, "/ok"),
        "/temporary": redirect(307, "/ok"),
        "/see-other": redirect(303, "/ok"),
        "/to-self-host": redirect(302, f"http://public.example:{public.port}/ok"),
        "/to-internal": redirect(302, f"http://127.0.0.2:{inner}/secret"),
        "/to-internal-name": redirect(302, f"http://internal.example:{inner}/secret"),
        "/to-hex": redirect(302, f"http://0x7f000002:{inner}/secret"),
        "/to-decimal": redirect(302, f"http://2130706434:{inner}/secret"),
        "/to-octal": redirect(302, f"http://0177.0.0.2:{inner}/secret"),
        "/to-mapped": redirect(302, f"http://[::ffff:127.0.0.2]:{inner}/secret"),
        "/to-metadata": redirect(302, "http://169.254.169.254/latest/meta-data/"),
        "/to-private": redirect(302, "http://10.0.0.1/admin"),
        "/to-home-router": redirect(302, "http://192.168.1.1/"),
        "/to-unspecified": redirect(302, f"http://0.0.0.0:{inner}/secret"),
        "/to-gopher": redirect(302, "gopher://public.example:70/"),
        "/to-file": redirect(302, "file:///etc/passwd"),
        "/to-ftp": redirect(302, "ftp://public.example/x"),
        "/endless": endless_headers,
        "/long-line": answer(200, "OK", {"X-Long": "a" * 20_000}),
        "/garbage": raw(b"SSH-2.0-OpenSSH_9.2\r\n\r\n"),
        "/silent-close": raw(),
        "/mid-head": raw(b"HTTP/1.1 200 OK\r\nContent-"),
        "/split": raw(*(SPLIT_HEAD[n : n + 3] for n in range(0, len(SPLIT_HEAD), 3)), close=False),
        "/interim": interim(answer(404, "Not Found")),
        "/retry-superscript": answer(429, "Too Many Requests", {"Retry-After": "\u00b2"}),
        "/retry-huge": answer(429, "Too Many Requests", {"Retry-After": "999999999999"}),
        "/retry-date": answer(503, "Service Unavailable", {"Retry-After": "Wed, 21 Oct 2015 07:28:10 GMT"}),
        "/retry-garbage": answer(429, "Too Many Requests", {"Retry-After": "soon"}),
        "/retry-long": answer(429, "Too Many Requests", {"Retry-After": "30"}),
        "/echo": answer(200, "OK"),
    }
    for number in range(12):
        routes[f"/chain/{number}"] = redirect(302, f"/chain/{number + 1}")
        routes[f"/slow/{number}"] = slow_redirect(f"/slow/{number + 1}", 0.3)
    return routes
