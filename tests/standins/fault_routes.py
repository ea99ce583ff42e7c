"""The scripted faults of tests/test_links_correctness.py: what a 'public' site and an 'internal' one answer.

The public site is 127.0.0.1, reached by names the checker resolves through its override
(`public.example`, `bücher.example`); the internal one is 127.0.0.2, which no redirect may reach.
"""

from __future__ import annotations

import asyncio
import gzip

from standins.fault_standin import FaultStandin, Request, Route, answer, response

PAGE = b'<html><body><h1 id="present">x</h1><a name="named"></a><p id="caf\xc3\xa9">c</p></body></html>'
RESOLVE = (("public.example", "127.0.0.1"), ("b\u00fccher.example", "127.0.0.1"), ("internal.example", "127.0.0.2"))


def redirect(status: int, location: str, headers: dict[str, str] | None = None) -> Route:
    return answer(status, "Redirect", {"Location": location, **(headers or {})})


def pieces(*parts: bytes, close: bool = True) -> Route:
    async def route(_request: Request, writer: asyncio.StreamWriter) -> None:
        for part in parts:
            writer.write(part)
            await writer.drain()
            await asyncio.sleep(0.005)
        if close:
            writer.close()

    return route


async def endless_headers(_request: Request, writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\n")
    for number in range(10_000_000):  # ~1 GB if the client never stops reading
        writer.write(b"X-Filler-%d: %s\r\n" % (number, b"a" * 90))
        await writer.drain()


async def cookie_gate(request: Request, writer: asyncio.StreamWriter) -> None:
    """A login step: no cookie, set one and redirect to itself; with it, the page."""
    if "seen=1" in request.headers.get("cookie", ""):
        writer.write(response(200, "OK", {"Content-Type": "text/html"}, PAGE))
    else:
        writer.write(response(302, "Found", {"Location": "/cookie", "Set-Cookie": "seen=1; Path=/"}))
    await writer.drain()


def slow_redirect(target: str, seconds: float) -> Route:
    async def route(_request: Request, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(seconds)
        writer.write(response(302, "Found", {"Location": target}))
        await writer.drain()

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
        "/long-line": pieces(b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 20_000 + b"\r\n\r\n"),
        "/garbage": pieces(b"SSH-2.0-OpenSSH_9.2\r\n\r\n"),
        "/silent-close": pieces(),
        "/mid-head": pieces(b"HTTP/1.1 200 OK\r\nContent-"),
        "/interim": pieces(b"HTTP/1.1 100 Continue\r\n\r\n", response(404, "Not Found"), close=False),
        "/retry-superscript": answer(429, "Too Many Requests", {"Retry-After": "\u00b2"}),
        "/retry-huge": answer(429, "Too Many Requests", {"Retry-After": "999999999999"}),
        "/retry-date": answer(503, "Service Unavailable", {"Retry-After": "Wed, 21 Oct 2015 07:28:10 GMT"}),
        "/retry-garbage": answer(429, "Too Many Requests", {"Retry-After": "soon"}),
        "/retry-long": answer(429, "Too Many Requests", {"Retry-After": "30"}),
        "/echo": answer(200, "OK"),
    }
    head = response(429, "Too Many Requests", {"RETRY-After": "7"})
    routes["/split"] = pieces(*(head[n : n + 3] for n in range(0, len(head), 3)), close=False)
    for number in range(12):
        routes[f"/chain/{number}"] = redirect(302, f"/chain/{number + 1}")
        routes[f"/slow/{number}"] = slow_redirect(f"/slow/{number + 1}", 0.3)
    return routes
