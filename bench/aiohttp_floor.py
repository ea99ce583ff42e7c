"""The platform floor of the link benchmark: the least a CPython + aiohttp checker can spend.

It does only what every checker must: start the interpreter, import aiohttp, find the links in
the pages (a regular expression, not an HTML parser), GET each one with the politeness it is
given (requests in flight per host, seconds between request starts to one host), read each body
and count the answers of 400 and above or that failed. No cache, no redirects, no report, no
classification, no retries. `links_bench.py` runs it beside the real checkers, in the same runs, so
that a target no CPython + aiohttp program can reach shows as such.

    python bench/aiohttp_floor.py --per-host 10 --interval 0.05 --output out.json page.html ...
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
from collections import defaultdict
from pathlib import Path

import aiohttp

HREF = re.compile(r'href="(https?://[^"]+)"')


async def check(urls: list[str], per_host: int, interval: float) -> int:
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        by_host[url.split("/")[2]].append(url)
    # A request's timeout starts once it may be sent: thousands queued for one host would otherwise
    # spend their 30 s waiting for a connection (aiohttp counts the pool's wait in `total`).
    slots = {host: asyncio.Semaphore(per_host) for host in by_host}
    broken = 0
    connector = aiohttp.TCPConnector(limit=0, limit_per_host=per_host)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:

        async def one(url: str) -> None:
            nonlocal broken
            async with slots[url.split("/")[2]]:
                try:
                    async with session.get(url, allow_redirects=False) as response:
                        await response.read()
                        broken += response.status >= 400
                except (aiohttp.ClientError, OSError, TimeoutError):
                    broken += 1

        async def host(queue: list[str]) -> None:
            started = []
            for number, url in enumerate(queue):
                if number:
                    await asyncio.sleep(interval)
                started.append(asyncio.create_task(one(url)))
            await asyncio.gather(*started)

        await asyncio.gather(*(host(queue) for queue in by_host.values()))
    return broken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-host", type=int, default=10)
    parser.add_argument("--interval", type=float, default=0.05)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("pages", nargs="*", type=Path)
    arguments = parser.parse_args()
    urls = [url for page in arguments.pages for url in HREF.findall(page.read_text(encoding="utf-8"))]
    broken = asyncio.run(check(urls, arguments.per_host, arguments.interval))
    arguments.output.write_text(json.dumps({"checked": len(urls), "broken": broken}), encoding="utf-8")


if __name__ == "__main__":
    main()
