"""How one http check reads a response head: interim answers, heads split over reads, garbage, early close.

Each case is a loopback server that writes exactly the given bytes, in the given pieces, then closes.
"""

from __future__ import annotations

import asyncio

import pytest

from compliance.links.classify import LinkClass, classify
from compliance.links.http_check import USER_AGENT, HttpChecker
from compliance.links.settings import RawResult


def check_against(
    pieces: list[bytes], path: str = "/page", requests: list[bytes] | None = None, checker: HttpChecker | None = None
) -> RawResult:
    """Check `path` on a server that answers with `pieces`, a pause between each; requests seen go to `requests`."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await reader.readuntil(b"\r\n\r\n")
        if requests is not None:
            requests.append(request)
        for piece in pieces:
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(0.01)
        writer.close()

    async def run() -> RawResult:
        server = await asyncio.start_server(answer, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            return await (checker or HttpChecker(timeout=5)).check(f"http://127.0.0.1:{port}{path}")

    return asyncio.run(run())


def test_interim_answers_are_skipped() -> None:
    raw = check_against([b"HTTP/1.1 100 Continue\r\n\r\n", b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"])
    assert (raw.valid, raw.result) == (False, "404 Not Found")


def test_a_head_split_over_many_reads_is_read_whole() -> None:
    head = b"HTTP/1.1 429 Too Many Requests\r\nRETRY-After: 7\r\nContent-Length: 0\r\n\r\n"
    raw = check_against([head[n : n + 3] for n in range(0, len(head), 3)])
    assert raw.result == "429 Too Many Requests"
    assert raw.hops[-1].retry_after == "7"
    assert classify(raw).kind is LinkClass.TRANSIENT


def test_a_redirect_is_followed_by_its_location_header() -> None:
    raw = check_against([b"HTTP/1.1 308 Permanent Redirect\r\nlocation: http://127.0.0.1:9/gone\r\n\r\n"])
    assert [hop.status for hop in raw.hops][:1] == [308]
    assert raw.hops[0].location == "http://127.0.0.1:9/gone"
    assert raw.final_url == "http://127.0.0.1:9/gone"


@pytest.mark.parametrize(
    "pieces",
    [
        pytest.param([b"SSH-2.0-OpenSSH_9.2\r\n\r\n"], id="not-http"),
        pytest.param([b"HTTP/1.1 200 OK\r\nContent-"], id="closed-mid-head"),
        pytest.param([], id="closed-without-a-word"),
    ],
)
def test_a_bad_or_missing_answer_is_a_broken_connection(pieces: list[bytes]) -> None:
    raw = check_against(pieces)
    assert not raw.valid
    assert raw.result.startswith("ConnectionError: connection reset"), raw.result
    assert classify(raw).kind is not LinkClass.OK


def test_the_request_is_one_plain_get_that_asks_to_close() -> None:
    requests: list[bytes] = []
    raw = check_against([b"HTTP/1.0 200 OK\r\n\r\n"], "/a/b?q=1&r=%20", requests)
    assert raw.result == "200 OK"
    lines = requests[0].decode("ascii").split("\r\n")
    assert lines[0] == "GET /a/b?q=1&r=%20 HTTP/1.1"
    assert lines[1].startswith("Host: 127.0.0.1:")
    assert lines[2:] == [f"User-Agent: {USER_AGENT}", "Accept: */*", "Connection: close", "", ""]


def test_the_user_agent_can_be_chosen_and_is_never_a_second_header() -> None:
    requests: list[bytes] = []
    browser_like = "Mozilla/5.0 (compatible; docs-check)"
    check_against([b"HTTP/1.0 200 OK\r\n\r\n"], requests=requests, checker=HttpChecker(5, user_agent=browser_like))
    assert f"\r\nUser-Agent: {browser_like}\r\n" in requests[0].decode("ascii")
    for smuggled in ("a\r\nCookie: x=1", "caf\u00e9", " padded", ""):
        with pytest.raises(ValueError, match="printable ASCII on one line"):
            HttpChecker(5, user_agent=smuggled)


@pytest.mark.parametrize("path", ["/a b", "/caf\u00e9", "/del\x7f"])
def test_a_target_a_server_could_misread_is_an_invalid_url_never_sent(path: str) -> None:
    requests: list[bytes] = []
    raw = check_against([b"HTTP/1.1 200 OK\r\n\r\n"], path, requests)
    assert raw.result.startswith("InvalidURL: illegal characters in the request target"), raw.result
    assert classify(raw).kind is LinkClass.BROKEN
    assert requests == []
