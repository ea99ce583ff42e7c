"""Which pages a built site has, and what is checked on each of them in the browser."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page, Request, Response

# A URL no site has, to reach the 404 page from two levels down, where root-relative slips show.
MISSING_PAGE = "no-such-page/at-all/"
BLOCKING_IMPACTS = ("serious", "critical")

# Lazy images would only load when scrolled to: load them all, then report those that do not decode.
BROKEN_IMAGES_JS = """async () => {
  const images = Array.from(document.images);
  for (const image of images) image.loading = "eager";
  await Promise.all(images.map((image) => image.decode().catch(() => null)));
  return images.filter((image) => !(image.complete && image.naturalWidth > 0))
               .map((image) => image.getAttribute("src"));
}"""

# WCAG 1.4.11 asks 3:1 for graphics a reader must make out. An image's silhouette (the outermost opaque
# pixel of each row and column) is compared with the background it sits on, so a navy badge on the dark
# page is caught while an image with a light fill and a dark outline passes on a light page.
LOW_CONTRAST_IMAGES_JS = """() => {
  const luminance = ([r, g, b]) => {
    const lin = (c) => (c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const rgba = getComputedStyle(node).backgroundColor.match(/[\\d.]+/g).map(Number);
      if (rgba.length < 4 || rgba[3] > 0.5) return rgba.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const silhouette = (image) => {
    const canvas = document.createElement("canvas");
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    const {data, width, height} = context.getImageData(0, 0, canvas.width, canvas.height);
    const opaque = (x, y) => data[(y * width + x) * 4 + 3] > 200;
    const edge = [];
    const scan = (count, length, at) => {
      for (let i = 0; i < count; i++) {
        const hits = [];
        for (let j = 0; j < length; j++) if (opaque(...at(i, j))) hits.push(at(i, j));
        if (hits.length) edge.push(hits[0], hits[hits.length - 1]);
      }
    };
    scan(height, width, (y, x) => [x, y]);
    scan(width, height, (x, y) => [x, y]);
    return edge.map(([x, y]) => luminance(Array.from(data.slice((y * width + x) * 4, (y * width + x) * 4 + 3))));
  };
  const problems = [];
  for (const image of document.querySelectorAll("article img")) {
    if (!image.naturalWidth) continue;
    const edge = silhouette(image).sort((a, b) => a - b);
    if (!edge.length) continue;
    const median = edge[Math.floor(edge.length / 2)];
    const behind = luminance(background(image));
    const ratio = (Math.max(median, behind) + 0.05) / (Math.min(median, behind) + 0.05);
    if (ratio < 3) problems.push(`${image.getAttribute("src")} ${ratio.toFixed(2)}:1`);
  }
  return problems;
}"""

# Phones first: nothing a reader has to scroll sideways to see or that is cut off, and no word split
# across two lines. A word is a run of letters and digits; a line break at a hyphen or slash is allowed,
# and very long runs (a URL written out) may break. Visually hidden text (clip-path) is not laid out.
LAYOUT_JS = """() => {
  const problems = [];
  // The layout viewport's width: under phone emulation innerWidth grows with a page that is too wide.
  const width = document.documentElement.clientWidth;
  const name = (element) => element.tagName.toLowerCase()
    + (element.className ? "." + String(element.className).trim().split(/\\s+/).join(".") : "");
  const said = (element) => `${name(element)} "${element.textContent.trim().slice(0, 40)}"`;
  for (const table of document.querySelectorAll("article table")) {
    const box = table.getBoundingClientRect();
    if (box.width > width || box.right > width + 1) {
      problems.push(`table wider than the viewport: ${name(table)} ${Math.round(box.width)}px`);
    }
  }
  const clips = (overflow) => ["auto", "scroll", "hidden", "clip"].includes(overflow);
  for (const element of document.querySelectorAll("article *, .md-header__topic, .md-header__topic *")) {
    const style = getComputedStyle(element);
    if (style.display === "none" || style.visibility === "hidden" || style.clipPath !== "none") continue;
    if (clips(style.overflowX) && element.scrollWidth > element.clientWidth + 1) {
      problems.push(`cut off or scrolled sideways: ${said(element)}`);
    } else if (clips(style.overflowY) && element.scrollHeight > element.clientHeight + 1) {
      problems.push(`cut off at the bottom: ${said(element)}`);
    }
  }
  const hidden = new Map();
  const isHidden = (element) => {
    if (!element || element === document.body) return false;
    if (!hidden.has(element)) {
      const style = getComputedStyle(element);
      const unseen = style.clipPath !== "none" || style.display === "none" || style.visibility === "hidden";
      hidden.set(element, unseen || isHidden(element.parentElement));
    }
    return hidden.get(element);
  };
  const range = document.createRange();
  for (const root of document.querySelectorAll("article, .md-header__topic")) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (isHidden(node.parentElement)) continue;
      for (const match of node.data.matchAll(/[\\p{L}\\p{N}]{2,30}/gu)) {
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top));
        if (new Set(lines).size > 1) {
          problems.push(`word broken across lines: "${match[0]}" in ${name(node.parentElement)}`);
        }
      }
    }
  }
  return problems;
}"""

# How far the page reaches beyond the screen sideways, against the layout viewport (clientWidth), which
# stays the screen's width under phone emulation where innerWidth grows with an overflowing page.
PAGE_OVERFLOW_JS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"

AXE_JS = """async (impacts) => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter((v) => impacts.includes(v.impact))
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}"""


@dataclass(frozen=True)
class SitePage:
    """One page of the built site: the URL path below the site root and the status a reader gets."""

    path: str
    status: int
    source: str

    @property
    def slug(self) -> str:
        return self.source.removesuffix(".html").removesuffix("index").strip("/").replace("/", "-") or "home"


def discover_pages(site: Path) -> list[SitePage]:
    """Every HTML page of the built site; 404.html is reached through a URL that does not exist."""
    pages = []
    for html in sorted(site.rglob("*.html")):
        source = html.relative_to(site).as_posix()
        if source == "404.html":
            pages.append(SitePage(MISSING_PAGE, 404, source))
        elif html.name == "index.html":
            pages.append(SitePage(source.removesuffix("index.html"), 200, source))
        else:
            pages.append(SitePage(source, 200, source))
    return pages


@dataclass
class PageWatch:
    """What one page did while it loaded: console errors, failed or refused requests."""

    origin: str
    third_party: list[str]
    problems: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)

    def take(self, document_url: str) -> list[str]:
        """The problems seen since the last call; the page's own expected 404 is not one of them."""
        found = [p for p in self.problems if p != f"HTTP 404 for {document_url}"]
        found += [f"request to a third party: {url}" for url in self.third_party]
        self.problems.clear()
        self.third_party.clear()
        return found

    def _on_console(self, message: ConsoleMessage) -> None:
        # Chromium logs every failed load as a console error too; those are reported as requests below.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console error: {message.text}")

    def _on_request_failed(self, request: Request) -> None:
        # An error status is reported once, by _on_response; refused third-party requests by `take`.
        answered = request.response()
        if request.url.startswith(self.origin + "/") and (answered is None or answered.status < 400):
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status} for {response.url}")


def inspect_page(page: Page, url: str, site_page: SitePage, mode: str, axe: Path) -> list[str]:
    """Load one page and return everything a reader or an assistive tool would trip over (the page
    watch adds what it saw of the page's requests and console)."""
    problems = load_and_check(page, url, site_page, mode)
    overflow = page.evaluate(PAGE_OVERFLOW_JS)
    if overflow > 1:
        problems.append(f"the page scrolls sideways by {overflow}px at {page.viewport_size}")
    problems += page.evaluate(LAYOUT_JS)
    page.add_script_tag(path=str(axe))
    problems += [f"axe: {violation}" for violation in page.evaluate(AXE_JS, list(BLOCKING_IMPACTS))]
    return problems


def load_and_check(page: Page, url: str, site_page: SitePage, mode: str) -> list[str]:
    """Load one page as a reader does and check what does not depend on the window's width: its HTTP
    status, that every image decodes and stands out from its background, and the colour scheme."""
    response = page.goto(url, wait_until="load")
    # The page's own late requests (the search worker loads a language's stemmer after `load`) finish
    # here, so that their failures are this page's, not cut short by the next page and blamed on it.
    page.wait_for_load_state("networkidle")
    problems = []
    if response is None or response.status != site_page.status:
        problems.append(f"HTTP {response.status if response else 'no response'}, expected {site_page.status}")
    problems += [f"image does not decode: {src}" for src in page.evaluate(BROKEN_IMAGES_JS)]
    problems += [f"image outline below 3:1 against its background: {p}" for p in page.evaluate(LOW_CONTRAST_IMAGES_JS)]
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    expected_scheme = "slate" if mode == "dark" else "default"
    if scheme != expected_scheme:
        problems.append(f"colour scheme {scheme!r}, expected {expected_scheme!r}")
    return problems
