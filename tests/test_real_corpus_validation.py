"""Validation over the real corpus (../shared): no crash, the known defects, hand-checked files.

The corpus README lists the defects of this data; the tests below find each one by file and
line, and cross-check the counts against an independent reading of the files (plain
``yaml.safe_load`` and directory listings), so a check that silently stops firing fails.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from helpsite.commands import main
from helpsite.findings import Finding
from helpsite.validation import ValidationReport, Validator, default_jobs, validate_paths

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

LOCALES = ("nl-NL", "de-DE")


@pytest.fixture(scope="module")
def reports(corpus: Path) -> dict[str, ValidationReport]:
    return {locale: validate_paths([corpus / "alchemy" / locale], jobs=default_jobs())
            for locale in LOCALES}


def relative(finding: Finding, corpus: Path, locale: str) -> str:
    return os.path.relpath(finding.path, corpus / "alchemy" / locale)


def located(report: ValidationReport, corpus: Path, locale: str) -> set[tuple[str, str, int]]:
    return {(f.code.code, relative(f, corpus, locale), f.line) for f in report.findings}


# Two tests of each locale read every article's front matter this way (8 s a pass): once.
@functools.cache
def raw_front_matter(path: Path) -> dict[str, object]:
    """An independent reading of a file's front matter (no helpsite code involved); the
    same dictionary each time it is asked for (tests only read it)."""
    text = path.read_text(encoding="utf-8-sig")
    if not text.startswith("---"):
        return {}
    return yaml.safe_load(text.split("---", 2)[1]) or {}


def articles(corpus: Path, locale: str) -> list[Path]:
    root = corpus / "alchemy" / locale
    return [p for p in root.rglob("*.md") if "media" not in p.relative_to(root).parts]


# -- the whole corpus


@pytest.mark.parametrize("locale", LOCALES)
def test_whole_locale_is_checked_without_crashing(
    locale: str, reports: dict[str, ValidationReport], corpus: Path
) -> None:
    report = reports[locale]
    assert report.files_checked == len(articles(corpus, locale)) > 2900
    assert {f.code.group for f in report.findings} <= {"file", "meta", "link", "step", "html",
                                                       "corpus"}
    # Every article has front matter that loads and an H1; the include has neither and is
    # not flagged for it.
    assert not [f for f in report.findings if f.code.group in ("yaml", "fm", "body")]
    assert not [f for f in report.findings if "/includes/" in f.path]


@pytest.mark.parametrize("locale", LOCALES)
def test_misspelled_keys(locale: str, reports: dict[str, ValidationReport], corpus: Path) -> None:
    found = {(file, line): f.message for f in reports[locale].findings
             if f.code.code == "meta.misspelled-key"
             for file, line in [(relative(f, corpus, locale), f.line)]}
    expected = {
        ("sharepoint-publishing-infrastructure.md", 11): "ms-custom",
        ("not-receiving-email-in-outlook-com.md", 12): "ms,.custom",
        ("create-and-use-a-shared-mailbox.md", 11): "ms.common",
        ("find-and-activate-my-product-key.md", 6): "ms.reviwer",
        ("find-status-of-your-microsoft-365-ticket.md", 12): "munlocking-an-account s.custom",
        ("import-export-outlook-email-contacts-calendar-items.md", 12):
            "munlocking-an-account s.custom",
        ("outlook-crash-troubleshooting-steps.md", 12): "munlocking-an-account s.custom",
        ("use-sara-to-diagnose-resolve-outlook-authentication-issues.md", 12):
            "munlocking-an-account s.custom",
    }
    assert set(found) == set(expected)
    for place, key in expected.items():
        meant = "ms.reviewer" if key == "ms.reviwer" else "ms.custom"
        assert found[place].startswith(f"{key}: unknown key, did you mean '{meant}'?")


@pytest.mark.parametrize("locale", LOCALES)
def test_help_id_shapes_match_an_independent_reading(
    locale: str, reports: dict[str, ValidationReport], corpus: Path
) -> None:
    root = corpus / "alchemy" / locale
    shaped = {relative(f, corpus, locale): f.message for f in reports[locale].findings
              if f.code.code == "meta.custom-shape"}
    odd: dict[str, object] = {}
    for path in articles(corpus, locale):
        matter = raw_front_matter(path)
        if "ms.custom" not in matter:
            continue
        value = matter["ms.custom"]
        regular = isinstance(value, list) and value and all(
            isinstance(i, str) and "/" not in i and "," not in i for i in value
        )
        if not regular:
            odd[os.path.relpath(path, root)] = value
    assert set(shaped) == set(odd)
    kinds = {type(v).__name__ for v in odd.values()}
    assert kinds == {"int", "str", "list"}  # bare numbers, '' and 'a,b', 'a/b' items
    assert "bare number (8000006)" in shaped["change-profile-name-in-outlook-com.md"]
    assert "has no help IDs" in shaped["screen-sharing-with-teams.md"]
    assert "holding 2 IDs ('665,2578')" in shaped["too-much-phish-or-spam.md"]
    assert "'9004197/7378' holds 2 IDs" in shaped["gmail-contacts-and-calendar-advisor.md"]


@pytest.mark.parametrize("locale", LOCALES)
def test_run_in_steps_of_the_seed_article(
    locale: str, reports: dict[str, ValidationReport], corpus: Path
) -> None:
    steps = sorted((f.line, f.message.split(" ", 2)[1]) for f in reports[locale].findings
                   if f.code.code == "step.run-in"
                   and f.path.endswith("azure-subscription-payment-change.md"))
    assert steps == [(30, "4"), (30, "5"), (36, "3"), (37, "5")]


@pytest.mark.parametrize("locale", LOCALES)
def test_all_run_in_steps_of_the_corpus(
    locale: str, reports: dict[str, ValidationReport], corpus: Path
) -> None:
    """Every step.run-in in the corpus, checked by reading each paragraph: no prose."""
    found = sorted((relative(f, corpus, locale), f.line) for f in reports[locale].findings
                   if f.code.code == "step.run-in")
    expected = [
        ("azure-subscription-payment-change.md", 30), ("azure-subscription-payment-change.md", 30),
        ("azure-subscription-payment-change.md", 36), ("azure-subscription-payment-change.md", 37),
        ("billing-for-reserved-instance-purchase.md", 48),
        ("billing-for-reserved-instance-purchase.md", 48),
        ("billing-for-reserved-instance-purchase.md", 49),
    ]
    if locale == "de-DE":  # '4.Führen Sie ...' after a code block ended the list
        expected.append(("using-the-office-deployment-tool.md", 36))
    assert found == sorted(expected)


@pytest.mark.parametrize("locale,column", [("nl-NL", 57), ("de-DE", 39)])
def test_case_mismatched_image(
    locale: str, column: int, reports: dict[str, ValidationReport], corpus: Path
) -> None:
    found = [f for f in reports[locale].findings if f.code.code == "link.case-mismatch"]
    assert [(relative(f, corpus, locale), f.line, f.column) for f in found] == [
        ("cannot-see-the-scroll-bar.md", 26, column)
    ]
    assert "'media/16353_Mouse_over_inbox_scrollbar-225x292.gif'" in found[0].message


_ODD_NAME = re.compile(r"[\s\u2010-\u2015\u200b-\u200f\u2060\ufeff]")


@pytest.mark.parametrize("locale", LOCALES)
def test_odd_file_names_match_the_directory_listing(
    locale: str, reports: dict[str, ValidationReport], corpus: Path
) -> None:
    root = corpus / "alchemy" / locale
    flagged = {relative(f, corpus, locale) for f in reports[locale].findings
               if f.code.code == "file.name"}
    odd = {os.path.relpath(p, root) for p in articles(corpus, locale) if _ODD_NAME.search(p.name)}
    assert flagged == odd
    names = "".join(flagged)
    assert " " in names and "\u2013" in names and "\u200b" in names
    assert len(odd) >= 10


@pytest.mark.parametrize("locale", LOCALES)
def test_shared_help_ids_are_one_finding_each(
    locale: str, reports: dict[str, ValidationReport], corpus: Path
) -> None:
    shared = [f for f in reports[locale].findings if f.code.code == "corpus.help-id-shared"]
    ids = [f.message.split()[2] for f in shared]
    assert len(ids) == len(set(ids)) > 100
    by_id = dict(zip(ids, shared, strict=True))
    # An independent count for the seed's help ID, which other payment articles reuse.
    users = sorted(os.path.relpath(p, corpus / "alchemy" / locale)
                   for p in articles(corpus, locale)
                   if "9003546" in map(str, _as_list(raw_front_matter(p).get("ms.custom"))))
    assert "azure-subscription-payment-change.md" in users and len(users) > 1
    finding = by_id["9003546"]
    assert relative(finding, corpus, locale) == users[0]
    assert f"is used by {len(users)} articles" in finding.message
    assert ", ".join(users) in finding.message


def _as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("locale", LOCALES)
def test_empty_link_texts(locale: str, reports: dict[str, ValidationReport], corpus: Path) -> None:
    empty = [f for f in reports[locale].findings if f.code.code == "link.empty-text"]
    raw = 0
    for path in articles(corpus, locale):
        body = path.read_text(encoding="utf-8").split("---", 2)[-1]
        raw += len(re.findall(r"(?<!!)\[\s*\]\(", body))
    assert len(empty) == raw > 10


# -- articles checked by hand, finding by finding (code, line, column)

HAND_CHECKED: dict[tuple[str, str], list[tuple[str, int, int]]] = {
    # Steps 4 and 5 run into step 3; step 3 into step 2; step 5 into step 4 (the seed).
    ("nl-NL", "azure-subscription-payment-change.md"): [
        ("step.run-in", 30, 179), ("step.run-in", 30, 546), ("step.run-in", 36, 152),
        ("step.run-in", 37, 124),
    ],
    # '1.Meld', '... **Exchange** 2.Selecteer', '3.De': a list typed without spaces.
    ("nl-NL", "billing-for-reserved-instance-purchase.md"): [
        ("step.run-in", 48, 1), ("step.run-in", 48, 198), ("step.run-in", 49, 1),
    ],
    # The image is media/16353_Mouse_over_... on disk.
    ("nl-NL", "cannot-see-the-scroll-bar.md"): [("link.case-mismatch", 26, 57)],
    ("de-DE", "cannot-see-the-scroll-bar.md"): [("link.case-mismatch", 26, 39)],
    ("nl-NL", "find-status-of-your-microsoft-365-ticket.md"): [("meta.misspelled-key", 12, 1)],
    ("nl-NL", "not-receiving-email-in-outlook-com.md"): [("meta.misspelled-key", 12, 1)],
    ("nl-NL", "sharepoint-publishing-infrastructure.md"): [("meta.misspelled-key", 11, 1)],
    ("nl-NL", "create-and-use-a-shared-mailbox.md"): [("meta.misspelled-key", 11, 1)],
    # ms.reviwer; the tag commerce_purchase in ms.custom is accepted.
    ("nl-NL", "find-and-activate-my-product-key.md"): [("meta.misspelled-key", 6, 1)],
    # ms.custom: 665,2578 and an empty ms.assetid.
    ("nl-NL", "too-much-phish-or-spam.md"): [("meta.custom-shape", 12, 1), ("meta.empty", 13, 1)],
    # IDs joined by '/', and 'Als u uw e-mail nog [](...) niet hebt gemigreerd'.
    ("nl-NL", "gmail-contacts-and-calendar-advisor.md"): [
        ("meta.custom-shape", 12, 1), ("link.empty-text", 28, 21),
    ],
    # A trailing '[]()' after the last sentence.
    ("nl-NL", "use-breakout-rooms.md"): [
        ("link.empty-text", 29, 313), ("link.target-missing", 29, 316),
    ],
    ("nl-NL", "activation-troubleshooting.md"): [
        ("link.empty-text", 26, 48), ("link.empty-text", 30, 45),
    ],
    # PowerShell placeholders '<email address>' read as HTML tags: hidden on the page.
    ("nl-NL", "multiple-objects-have-the-same-email-address-as-identity.md"): [
        ("html.disallowed", 28, 30), ("html.disallowed", 30, 12), ("html.disallowed", 32, 13),
        ("html.disallowed", 34, 18), ("html.disallowed", 36, 11), ("html.disallowed", 38, 19),
        ("html.disallowed", 40, 15),
    ],
    # ms.custom: '' while the help IDs sit in ms.assetid.
    ("nl-NL", "screen-sharing-with-teams.md"): [
        ("meta.custom-shape", 9, 1), ("meta.type", 10, 1),
    ],
    # 'Windows 11.' many times, no step; one '[](...)'.
    ("nl-NL", "windows-11-FAQ.md"): [("link.empty-text", 60, 177)],
    # '**1. De juiste licenties ...**' paragraphs are bold labels, not run-in steps.
    ("nl-NL", "set-up-advanced-ediscovery.md"): [],
    ("nl-NL", "change-profile-name-in-outlook-com.md"): [("meta.custom-shape", 13, 1)],
    ("nl-NL", "deploy-o365-remotely-to-rds.md"): [
        ("meta.empty", 6, 1), ("link.empty-text", 44, 226),
    ],
    ("nl-NL", "cant-access-user data-teams.md"): [("file.name", 1, 1)],
    ("nl-NL", "alerts-missing-from-alerts-tab.md"): [
        ("meta.date-format", 6, 1), ("link.empty-text", 35, 21),
    ],
    # '<tenant>', '<sitename>' placeholders and a '<span>' around 'https:'.
    ("nl-NL", "workflow-email-not-being-sent.md"): [
        ("html.disallowed", 27, 177), ("html.disallowed", 27, 210), ("html.disallowed", 34, 161),
    ],
    # '4.Führen Sie ...' after a code block: not numbered.
    ("de-DE", "using-the-office-deployment-tool.md"): [("step.run-in", 36, 1)],
    # German dates and ordinals ('den 29., 30. oder 31.', 'der 1. des ... Monats'): no steps.
    ("de-DE", "account-disabled-rule.md"): [],
}


@pytest.mark.parametrize("locale,name", list(HAND_CHECKED))
def test_hand_checked_article(locale: str, name: str, corpus: Path) -> None:
    root = corpus / "alchemy" / locale
    result = Validator(root=root).check_file(root / name, name)
    assert sorted((f.code.code, f.line, f.column) for f in result.findings) == sorted(
        HAND_CHECKED[(locale, name)]
    )


def test_at_least_twenty_articles_are_hand_checked() -> None:
    assert len(HAND_CHECKED) >= 20


# -- the seed


def test_seed_gives_exactly_the_run_in_steps(
    seed_article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["validate", str(seed_article)])
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert status == 0  # warnings only
    assert [line.split(": ", 2)[:2] for line in lines] == [
        [f"{seed_article}:30:179", "warning step.run-in"],
        [f"{seed_article}:30:546", "warning step.run-in"],
        [f"{seed_article}:36:152", "warning step.run-in"],
        [f"{seed_article}:37:124", "warning step.run-in"],
    ]
    assert "('…ard of betaalpas in 4. Als u deze…')" in lines[0]
    assert "('…ecteer **Volgende** 5. Als u **een…')" in lines[1]
    assert err.strip() == "1 file checked: 0 error(s), 4 warning(s)"


def test_invisible_characters_are_named(corpus: Path) -> None:
    root = corpus / "alchemy" / "nl-NL"
    name = next(p.name for p in root.glob("restore-an-office-365-group-using-eac*.md"))
    assert any(unicodedata.category(c) == "Cf" for c in name)
    result = Validator(root=root).check_file(root / name, name)
    assert [(f.code.code, f.line) for f in result.findings] == [("file.name", 1)]
    assert "7 x an invisible character (U+200B zero width space)" in result.findings[0].message
