"""The trust-center content beside the claims: subprocessors, contacts, documents, FAQ, controls, updates.

Each is optional: an organisation that leaves one out gets no page, navigation entry or heading for it.
The entries use the value types and access levels of the claims' model, so they follow its changes.
"""

from __future__ import annotations

from datetime import date

from ..errors import Problem, format_path
from ..load.yamlload import SourceMap
from .dates import DateValue
from .entries import Access, Channel, ClaimRef
from .language import Prose, Wording
from .values import URL, Entry, Id, LanguageTag, Text


class Subprocessor(Entry):
    """A company that processes customers' data on the organisation's behalf."""

    id: Id
    name: Text
    purpose: Wording
    locations: list[Text] = []
    url: URL | None = None
    since: DateValue | None = None


class Subprocessors(Entry):
    intro: Prose | None = None
    last_updated: DateValue | None = None
    processors: list[Subprocessor] = []


class SecurityTxt(Entry):
    """What /.well-known/security.txt states beyond the contacts (RFC 9116)."""

    expires: DateValue
    languages: list[LanguageTag] = []


class Contacts(Entry):
    """Whom readers reach, each as a label and an address; `security` with a URL makes security.txt."""

    intro: Prose | None = None
    security: Channel | None = None
    privacy: Channel | None = None
    sales: Channel | None = None
    disclosure_policy: URL | None = None
    security_txt: SecurityTxt | None = None


class LibraryDocument(Entry):
    """A policy, report or whitepaper, and how a reader gets it."""

    title: Wording
    kind: Text | None = None
    url: URL | None = None
    access: Access
    claims: list[ClaimRef] = []


class Documents(Entry):
    intro: Prose | None = None
    last_updated: DateValue | None = None
    library: list[LibraryDocument] = []


class Question(Entry):
    question: Wording
    answer: Prose


class Faq(Entry):
    intro: Prose | None = None
    questions: list[Question] = []


class Control(Entry):
    text: Prose


class ControlArea(Entry):
    """Security controls of one area, named as the organisation groups them; with none, it is not shown."""

    id: Id
    title: Wording
    intro: Prose | None = None
    controls: list[Control] = []


class Controls(Entry):
    intro: Prose | None = None
    last_updated: DateValue | None = None
    areas: list[ControlArea] = []


class Update(Entry):
    """Dated news, optionally about some claims ("SOC 2 Type 2 report renewed"); `id` keeps its feed
    entry's id when updates of its date are reordered (without one, its place among them does)."""

    id: Id | None = None
    date: DateValue
    title: Wording
    prose: Prose | None = None
    claims: list[ClaimRef] = []


# Where security.txt's Expires is written: the build fails once it passes, `make review` lists it ahead.
SECURITY_TXT_EXPIRES = ("contacts", "security_txt", "expires")


def security_txt_due(contacts: Contacts | None, today: date, *, expires_within: int) -> str | None:
    """Why security.txt (under the document's `contacts`) needs the editor within `expires_within` days
    (its Expires), or None.

    Early rather than late, as for claims: the date counts from the first day it can mean.
    """
    if contacts is None or contacts.security_txt is None:
        return None
    expires = contacts.security_txt.expires
    if (expires.first - today).days > expires_within:
        return None
    return f"{'expired' if expires.last <= today else 'expires'} on {expires}"


def trust_problems(
    contacts: Contacts | None, updates: list[Update], sources: SourceMap, today: date | None
) -> list[Problem]:
    """The document's `updates`' ids (each names one feed entry), and security.txt's own rules (under its
    `contacts`): https or mailto addresses, and an Expires date still ahead of `today`."""
    problems = _update_id_problems(updates, sources)
    if contacts is None or contacts.security_txt is None:
        return problems

    def add(path: tuple[str | int, ...], message: str, where: tuple[str | int, ...] | None = None) -> None:
        problems.append(Problem(sources.value(where or path), message, format_path(path)))

    security = contacts.security
    if security is None or security.url is None:
        add(("contacts", "security_txt"), "security.txt needs a security contact with a mailto: or https:// url")
    elif not str(security.url).startswith(("mailto:", "https://")):
        add(("contacts", "security", "url"), "security.txt accepts only a mailto: or https:// contact")
    if contacts.disclosure_policy and not str(contacts.disclosure_policy).startswith("https://"):
        add(("contacts", "disclosure_policy"), "security.txt accepts only an https:// policy")
    expires = contacts.security_txt.expires.last
    if today is not None and expires <= today:
        add(
            SECURITY_TXT_EXPIRES,
            f"security.txt expires on {expires.isoformat()}, which is not after today ({today.isoformat()}); "
            "set a later date once the contacts are checked",
        )
    elif today is not None and expires >= (year_on := _a_year_after(today)):
        # RFC 9116 2.5.5: "less than a year into the future", so that stale contacts age out.
        add(
            SECURITY_TXT_EXPIRES,
            f"security.txt would expire on {expires.isoformat()}, a year or more after today "
            f"({today.isoformat()}); RFC 9116 asks for less than a year, so give a date before {year_on.isoformat()}",
        )
    return problems


def _update_id_problems(updates: list[Update], sources: SourceMap) -> list[Problem]:
    """An update's feed id ends in its `id`, or in its place among its date's updates (1, 2, ...):
    an id used twice on one date, or one of digits only, would give two entries one id."""
    problems, seen = [], set()
    for i, update in enumerate(updates):
        if update.id is None:
            continue
        path = ("updates", i, "id")
        if update.id.isdigit():
            message = f"update id '{update.id}' is a number, which could be another update's place; use a word"
        elif (update.date.first, update.id) in seen:
            message = f"update id '{update.id}' is used twice on {update.date.first.isoformat()}"
        else:
            seen.add((update.date.first, update.id))
            continue
        problems.append(Problem(sources.value(path), message, format_path(path)))
    return problems


def _a_year_after(day: date) -> date:
    """The same day a year later (28 February after a 29 February)."""
    return day.replace(year=day.year + 1, day=28) if (day.month, day.day) == (2, 29) else day.replace(year=day.year + 1)
