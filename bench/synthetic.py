"""Synthetic compliance data at any size, shaped like the shipped guide, for the build benchmarks.

`write_data(folder, Shape)` writes a complete, valid `data/` folder: claims of the four kinds in
turn (alignment, regulation, certification, attestation) with scopes, evidence, access channels,
images, dates, and prose full of mentions and links, the way the guide's four claims are written.
`Shape.scaled(k)` is k times the guide's data (4 claims, 2 providers, 1 offering, 8 standards,
2 bodies, 6 controls, 5 sections). The text is written directly (not through a YAML dumper) so
that generating 100,000 claims takes a second, and every value stays in the form an editor writes.
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import sys
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEADER = "# yaml-language-server: $schema=schema/compliance.schema.json\n"
IMAGES = ("images/iso-27001-badge.svg", "images/soc2-badge.svg")


@dataclass(frozen=True)
class Shape:
    """How many of each entry the data holds."""

    claims: int
    providers: int
    offerings: int
    standards: int
    bodies: int
    measures: int
    sections: int

    @classmethod
    def scaled(cls, factor: int) -> Shape:
        """`factor` times the guide's data."""
        return cls(4 * factor, 2 * factor, factor, 8 * factor, 2 * factor, 6 * factor, 5 * factor)

    @classmethod
    def with_claims(cls, claims: int) -> Shape:
        """`claims` claims among a large organisation's other entries (ten times the guide's)."""
        return replace(cls.scaled(10), claims=claims)


def write_data(folder: Path, shape: Shape) -> None:
    """Write every data file of `shape` into `folder` (created), and the tool's English labels."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "labels" / "en.yml", folder / "labels.yml")  # the tool's labels, whole, as data
    (folder / "organisation.yml").write_text(_organisation(shape), encoding="utf-8")
    (folder / "standards.yml").write_text(_standards(shape), encoding="utf-8")
    (folder / "hosting.yml").write_text(_hosting(shape), encoding="utf-8")
    (folder / "controls.yml").write_text(_controls(shape), encoding="utf-8")
    (folder / "contacts.yml").write_text(_contacts(), encoding="utf-8")
    (folder / "guide.yml").write_text(_guide(shape), encoding="utf-8")
    with (folder / "claims.yml").open("w", encoding="utf-8") as out:
        out.write(HEADER + "claims:\n")
        for i in range(shape.claims):
            out.write(_claim(i, shape))


def write_project(dest: Path, shape: Shape) -> Path:
    """A buildable copy of the project (mkdocs.yml, docs, overrides, hooks) with synthetic data."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in ("docs", "overrides", "hooks", "catalogue", "labels"):
        shutil.copytree(REPO / part, dest / part, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
    # Byte-compiled as `pip install` compiles the packages the other variants import: where
    # PYTHONDONTWRITEBYTECODE is set (this machine, some CI images) every build would otherwise
    # compile the hooks' modules from source again, a cost no editor's second build pays.
    compileall.compile_dir(dest / "hooks", quiet=2)
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    write_data(dest / "data", shape)
    return dest


def _organisation(shape: Shape) -> str:
    offerings = "".join(f"    - id: offering-{i}\n      name: Offering {i}\n" for i in range(shape.offerings))
    return f"{HEADER}organisation:\n  name: Example Cloud\n  service: Example Cloud Database\n  offerings:\n{offerings}"


def _contacts() -> str:
    """Whom readers can reach, as the guide's contacts.yml and the example organisation's write them."""
    return (
        f"{HEADER}contacts:\n"
        "  intro: Report a vulnerability to the security team; we answer within two working days.\n"
        "  security:\n    label: Security team\n    url: mailto:security@example.org\n"
        "  privacy:\n    label: Data protection officer\n    url: mailto:privacy@example.org\n"
        "  sales:\n    label: Contact our sales team\n    url: https://www.example.org/contact-sales\n"
        "  disclosure_policy: https://www.example.org/security/disclosure-policy\n"
    )


def _standards(shape: Shape) -> str:
    bodies = "".join(
        f"  - id: body-{i}\n    name: Standards Body {i}\n    abbreviation: SB{i}\n    url: https://body{i}.example.org/\n"
        for i in range(shape.bodies)
    )
    standards = "".join(
        f"  - id: std-{i}\n    name: Standard {i}\n    body: body-{i % shape.bodies}\n" for i in range(shape.standards)
    )
    return f"{HEADER}bodies:\n{bodies}\nstandards:\n{standards}"


def _hosting(shape: Shape) -> str:
    providers = "".join(
        f"    - id: provider-{i}\n      name: Provider {i}\n      company: Company {i}\n"
        for i in range(shape.providers)
    )
    return f"{HEADER}hosting:\n  providers:\n{providers}"


def _controls(shape: Shape) -> str:
    """The hosting partners' measures, as one area of controls."""
    measures = "".join(
        f"        - text: >-\n            Measure {i}: compliance with [[standard:std-{i % shape.standards}]] at "
        f"[[provider:provider-{i % shape.providers}]]\n"
        if i % 2 == 0
        else f"        - text: Physical security measure number {i}\n"
        for i in range(shape.measures)
    )
    return (
        f"{HEADER}controls:\n  areas:\n    - id: hosting\n      title: Hosting security\n      intro: >-\n"
        f"        Your data is protected by the measures of our hosting partners, including:\n"
        f"      controls:\n{measures}"
    )


def _guide(shape: Shape) -> str:
    per_section = -(-shape.claims // shape.sections) if shape.claims else 0
    sections = []
    for s in range(shape.sections):
        ids = [f"claim-{i}" for i in range(s * per_section, min(shape.claims, (s + 1) * per_section))]
        text = f"    - title: Section {s}\n"
        if s % 5 == 1:
            text += (
                "      prose: >-\n        The [[organisation.service]] is hosted on "
                f"[[provider:provider-{s % shape.providers}.company]] ([[provider:provider-{s % shape.providers}]]).\n"
                "      controls: [hosting]\n"
            )
        if ids:
            text += f"      claims: [{', '.join(ids)}]\n"
        sections.append(text)
    return (
        f"{HEADER}guide:\n  title: Example Cloud Security Compliance\n"
        "  description: Certifications, standards and regulations of the Example Cloud database.\n"
        "  icon:\n    src: images/guide-icon.svg\n    alt: Security compliance guide icon\n"
        "    width: 48\n    height: 48\n"
        "  intro: >-\n    [[organisation]] states what it is certified for, and where. See the"
        " [compliance overview](https://trust.example.com/overview/).\n"
        f"  sections:\n{''.join(sections)}"
    )


def _claim(i: int, shape: Shape) -> str:
    """One claim; the four kinds rotate, each written like the guide's claim of that kind."""
    std = f"std-{i % shape.standards}"
    other = f"std-{(i + 1) % shape.standards}"
    provider = f"provider-{i % shape.providers}"
    offering = f"offering-{i % shape.offerings}"
    body = f"body-{(i % shape.standards) % shape.bodies}"
    head = f"  - id: claim-{i}\n"
    dates = "    issued: 2025-03-01\n    valid_until: 2069-01-15\n    last_reviewed: 2026-09-01\n"
    kind = i % 4
    if kind == 0:
        return (
            f"{head}    kind: alignment\n    title: Built on Standard {i}\n    status: current\n"
            f"    standards:\n      - standard: {std}\n      - standard: {other}\n"
            "    prose: >-\n      [[organisation]] provides a trustworthy and secure cloud database platform,\n"
            f"      built on [[claim:claim-{i}.standards]].\n\n"
        )
    if kind == 1:
        return (
            f"{head}    kind: regulation\n    title: Regulation {i}\n    status: current\n"
            f"    standards:\n      - standard: {std}\n"
            f"    scope:\n      offerings: [{offering}]\n      providers: [{provider}]\n"
            "      conditions: [on dedicated hardware]\n"
            "    agreements:\n      - name: Business Associate Agreement (BAA)\n"
            "        url: https://trust.example.com/baa/\n"
            f"    prose: >-\n      [[offering:{offering}]], when hosted on [[provider:{provider}.company]]\n"
            f"      [[provider:{provider}]], meets the required controls of the\n"
            f"      [regulation](https://law.example.org/regulation-{i}) and its safeguards.\n\n"
        )
    if kind == 2:
        return (
            f"{head}    kind: certification\n    title: Certification {i}\n    status: current\n"
            f'    standards:\n      - standard: {std}\n        edition: "2022"\n'
            "    auditor: a third-party security firm\n"
            "    evidence:\n      - title: Certificate of Registration\n        kind: certificate\n"
            f"        url: ftp://ftp.example.com/certificates/claim-{i}.pdf\n"
            f"        mirror: https://trust.example.com/certificates/claim-{i}.pdf\n"
            f"    access:\n      level: public\n{dates}"
            f"    image:\n      src: {IMAGES[0]}\n      alt: Certification badge {i}\n"
            "      width: 120\n      height: 120\n"
            f"    prose: |\n      [[organisation]] is certified under [[body:{body}]] ([[body:{body}.abbreviation]])\n"
            f"      [[standard:{std}]], which defines the best practices for information security management.\n\n"
            f"      [[organisation]] is audited and meets every requirement: [[claim:claim-{i}.evidence]].\n\n"
        )
    return (
        f"{head}    kind: attestation\n    title: Attestation {i}\n    status: current\n"
        f"    standards:\n      - standard: {std}\n    report_type: Type 2\n"
        "    access:\n      level: on_request\n      channels:\n        - label: the customer portal\n"
        "        - label: contact our sales team\n          url: https://trust.example.com/contact/\n"
        "        - label: Email the trust team\n          url: mailto:trust@example.com\n"
        f"{dates}"
        f"    image:\n      src: {IMAGES[1]}\n      alt: Attestation badge {i}\n      width: 130\n      height: 118\n"
        "      link: https://www.example.org/soc\n"
        f"    prose: |\n      Reports evaluate operational controls against criteria set by [[body:{body}]].\n"
        f"      They cover providers such as [[provider:{provider}]]; see [[claim:claim-{(i + 1) % shape.claims}]].\n\n"
        f"      Customers may request reports from [[claim:claim-{i}.access.channels|or]].\n\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the data folder to write")
    parser.add_argument("--scale", type=int, default=1, help="times the guide's data (default 1)")
    parser.add_argument("--claims", type=int, help="this many claims, the rest in the guide's proportions")
    arguments = parser.parse_args(argv)
    shape = Shape.with_claims(arguments.claims) if arguments.claims else Shape.scaled(arguments.scale)
    write_data(arguments.folder, shape)
    print(f"wrote {shape} to {arguments.folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
