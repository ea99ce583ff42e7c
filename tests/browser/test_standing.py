"""Every status a reader sees carries the date it rests on (or "no date stated") beside it, as compliance.json says:
in Chromium, on the home cards and summary, the claims index, the matrix, each claim's facts and the footer of the
shipped guide and the example organisation, and in the example's Atom feed and on the print cover."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from compliance.pdf.document import print_document
from conftest import date_words, site_labels

from .conftest import DESKTOP, open_context
from .siteserver import SiteServer

SITES = {"guide": ("site_server", "data"), "example": ("example_server", "examples/harborledger/data")}
ATOM = "{http://www.w3.org/2005/Atom}"

# Each place a claim's status is shown: its text as rendered, and what keeps it from being read with its date:
# either missing, hidden, covered or tiny, the date not on the badge's line just after it nor directly below it,
# or either outside the card or cell that holds the claim.
STANDING_JS = r"""(statusLabel) => {
  const found = [];
  const idOf = (a) => (a && new URL(a.href).pathname.match(/\/claims\/([^/]+)\/$/) || [])[1] || null;
  const seen = (el, what, problems) => {
    const first = el && Array.from(el.getClientRects()).find((r) => r.width > 1 && r.height > 7);
    const style = el && getComputedStyle(el);
    if (!first || !el.checkVisibility({opacityProperty: true, visibilityProperty: true})
        || style.clipPath !== "none" || parseFloat(style.fontSize) < 9) {
      return void problems.push(`${what} missing, hidden or tiny: ${el?.outerHTML.slice(0, 80)}`);
    }
    const hit = document.elementFromPoint(first.left + first.width / 2, first.top + first.height / 2);
    if (!hit || !el.contains(hit)) problems.push(`${what} covered by ${hit ? hit.outerHTML.slice(0, 60) : "nothing"}`);
    return first;
  };
  const inside = (a, b) => a.left > b.left - 2 && a.right < b.right + 2 && a.top > b.top - 2 && a.bottom < b.bottom + 2;
  const add = (surface, id, holder, frame) => {
    const problems = [], standing = holder && holder.querySelector(".compliance-standing");
    if (!holder) return void found.push({surface, id, text: null, problems: ["no status shown"]});
    holder.scrollIntoView({block: "center", inline: "nearest"});
    const [badgeEl, basisEl] = [".compliance-status", ".compliance-basis"].map((s) => standing?.querySelector(s));
    const badge = standing && seen(badgeEl, "badge", problems), basis = standing && seen(basisEl, "date", problems);
    if (!standing) seen(holder.querySelector(".compliance-unstated"), "'not stated'", problems);
    if (badge && basis) {
      const b = badgeEl.getBoundingClientRect(), box = frame.getBoundingClientRect();
      const sameLine = basis.top < b.bottom && basis.bottom > b.top;
      const gap = sameLine ? basis.left - b.right : basis.top - b.bottom;
      const under = basis.left < b.right && basis.right > b.left;
      if (sameLine ? gap < 0 || gap > 48 : !under || gap < -1 || gap > b.height) {
        problems.push(`date ${Math.round(gap)}px from its badge, ${sameLine ? "on its line" : "below it"}`);
      }
      if (!inside(b, box) || !inside(basisEl.getBoundingClientRect(), box)) problems.push(`outside its ${surface}`);
    }
    const datetime = basisEl?.querySelector("time")?.getAttribute("datetime") ?? null;
    const href = basisEl?.querySelector("a")?.getAttribute("href") ?? null;
    found.push({surface, id, text: holder.innerText, problems, datetime, href});
  };
  for (const card of document.querySelectorAll(".compliance-card")) {
    const title = card.querySelector(".compliance-card__title a");
    add("card", idOf(title), card.querySelector(".compliance-card__status"), card);
  }
  for (const table of document.querySelectorAll("table.compliance-overview, table.compliance-matrix")) {
    if (!Array.from(table.tHead.rows[0].cells).some((th) => th.textContent.trim() === statusLabel)) continue;
    for (const row of table.tBodies[0].rows) {
      const cell = Array.from(row.cells).find((c) => c.dataset.label === statusLabel);
      add(table.matches(".compliance-matrix") ? "matrix" : "index", idOf(row.querySelector("th a")), cell, cell);
    }
  }
  for (const block of document.querySelectorAll(".compliance-claim[id^='claim-']")) {
    const terms = Array.from(block.querySelectorAll("dl.compliance-facts > dt"));
    const dd = terms.find((dt) => dt.textContent.trim() === statusLabel)?.nextElementSibling;
    add("facts", block.id.slice(6), dd, dd);
  }
  return found;
}"""


def squash(text: str | None) -> str:
    return " ".join((text or "").split())


@dataclass(frozen=True)
class Standing:
    """A served site with its labels, the claims its compliance.json exports and the guide's review date."""

    server: SiteServer
    site: Path  # the served site's folder
    labels: dict[str, Any]
    claims: list[dict[str, Any]]
    reviewed: str | None

    def words(self, text: str) -> str:
        """A YYYY, YYYY-MM or YYYY-MM-DD date in the labels' month names and order."""
        return date_words(self.labels, text)

    def expected(self, claim: dict[str, Any], surface: str = "") -> str:
        """The status word · the date it rests on; a card adds the kind, and says "Status: " before "Not stated"."""
        facts, basis, kind = self.labels["facts"], claim.get("status_rests_on"), self.labels["kinds"][claim["kind"]]
        if not claim.get("status"):
            return f"{facts['status']}: {facts['not_stated']} {kind}" if surface == "card" else facts["not_stated"]
        rests = facts["no_date"] if basis is None else f"{facts[basis['fact']]} {self.words(basis['date'])}"
        standing = f"{self.labels['statuses'][claim['status']]} · {rests}"
        return f"{standing} {kind}" if surface == "card" else standing

    def summary(self) -> list[str]:
        """The home summary's items: claims per status, those resting on no date apart, then the review date."""
        facts, items = self.labels["facts"], []
        for status, word in self.labels["statuses"].items():
            stated = [claim for claim in self.claims if claim.get("status") == status]
            undated = sum(claim["status_rests_on"] is None for claim in stated)
            if stated:
                items.append(f"{len(stated)} {word}" + (f" ({facts['no_date']}: {undated})" if undated else ""))
        return [*items, self.reviewed_line()]

    def reviewed_line(self) -> str:
        facts = self.labels["facts"]
        return f"{facts['last_reviewed']} {self.words(self.reviewed) if self.reviewed else facts['not_stated']}"


def load_standing(server: SiteServer, data_dir: str) -> Standing:
    assert server.site is not None
    data = server.site.parent / data_dir
    labels = site_labels(data)
    reviewed = yaml.safe_load((data / "guide.yml").read_text(encoding="utf-8"))["guide"].get("last_reviewed")
    claims = json.loads((server.site / "compliance.json").read_text(encoding="utf-8"))["claims"]
    assert claims, "compliance.json exports no claims"
    return Standing(server, server.site, labels, claims, str(reviewed) if reviewed else None)


@pytest.fixture(scope="module", params=sorted(SITES))
def standing(request: pytest.FixtureRequest) -> Standing:
    fixture, data_dir = SITES[request.param]
    return load_standing(request.getfixturevalue(fixture), data_dir)


@pytest.mark.parametrize("mode", ["desktop", "mobile"])
def test_every_status_is_shown_with_the_date_it_rests_on(browser, standing: Standing, mode: str) -> None:
    everyone = [claim["id"] for claim in standing.claims]
    by_id = {claim["id"]: claim for claim in standing.claims}
    stated = everyone if any(claim.get("status") for claim in standing.claims) else []  # else no status column
    wanted = {"": {"card": everyone}, "claims/": {"index": stated}, "matrix/": {"matrix": stated}}
    wanted |= {f"claims/{claim_id}/": {"facts": [claim_id]} for claim_id in everyone}
    problems: list[str] = []
    third_party: list[str] = []
    context = open_context(browser, mode, standing.server, third_party)
    try:
        page = context.new_page()
        for path, surfaces in wanted.items():
            page.goto(standing.server.url + path, wait_until="load")
            shown = page.evaluate(STANDING_JS, standing.labels["facts"]["status"])
            for surface, ids in surfaces.items():
                listed = [item["id"] for item in shown if item["surface"] == surface]
                if listed != ids:
                    problems.append(f"/{path} {surface}: claims {listed}, compliance.json has {ids}")
            for item in (item for item in shown if item["id"] in by_id):  # other ids: in the lists above
                where, claim = f"/{path} {item['surface']} {item['id']}", by_id[item["id"]]
                want = standing.expected(claim, item["surface"])
                if squash(item["text"]) != want:
                    problems.append(f"{where}: reads {squash(item['text'])!r}, compliance.json says {want!r}")
                basis = claim.get("status_rests_on") or {}
                if (item["datetime"], item["href"]) != (basis.get("date"), basis.get("source")):
                    problems.append(f"{where}: <time>/link {item['datetime']}/{item['href']}, basis {basis}")
                problems += [f"{where}: {problem}" for problem in item["problems"]]
            summary = page.locator(".compliance-summary:visible .compliance-summary__item:visible")
            items = [squash(text) for text in summary.all_inner_texts()]
            if not path and items != standing.summary():
                problems.append(f"home summary reads {items}, expected {standing.summary()}")
            footer = squash(page.locator(".md-copyright").inner_text())
            if standing.reviewed_line() not in footer:
                problems.append(f"/{path} footer: no {standing.reviewed_line()!r} in {footer!r}")
        assert not problems, "\n".join(problems)
        assert third_party == []
    finally:
        context.close()


def test_the_feed_names_each_related_claim_with_its_status_and_date(example_server: SiteServer) -> None:
    standing = load_standing(example_server, SITES["example"][1])
    by_id = {claim["id"]: claim for claim in standing.claims}
    links = [link for link in ET.parse(standing.site / "feed.xml").iter(f"{ATOM}link") if link.get("rel") == "related"]
    assert links, "the example's feed relates no update to a claim"
    for link in links:
        claim = by_id[re.fullmatch(r".*/claims/([^/]+)/", link.get("href", ""))[1]]  # type: ignore[index]
        assert link.get("title") == f"{claim['title']}: {standing.expected(claim)}", link.get("href")


def test_the_print_cover_holds_the_summary_and_the_date_of_the_copy(browser, standing: Standing, tmp_path) -> None:
    printed = tmp_path / "print.html"
    printed.write_text(print_document(standing.site, date(2026, 1, 2)), encoding="utf-8")
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.emulate_media(media="print")
        page.goto(printed.as_uri(), wait_until="load")
        cover = page.locator("#cover")
        items = [squash(text) for text in cover.locator(".compliance-summary__item").all_inner_texts()]
        assert items == standing.summary()
        text = squash(cover.inner_text())
        words = standing.labels["pages"]
        assert f"{words['printed']} 2026-01-02 ({words['printed_note']})." in text, text
        assert not re.search(r"\bBuilt\b", text), f"the cover dates the build: {text}"
    finally:
        context.close()
