"""Body checks: headings, relative links and images, unsafe targets, run-in steps, raw HTML."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpsite.checks.bodyparser import markdown_parser
from helpsite.findings import Finding
from helpsite.validation import Validator

FRONT_MATTER = "---\ntitle: T\nauthor: a\nms.author: b\nms.topic: article\n---\n"
BODY_LINE = 7  # the file line of the body's first line under FRONT_MATTER


def check(
    tmp_path: Path, body: str, *, name: str = "article.md", files: tuple[str, ...] = (),
    front_matter: str = FRONT_MATTER,
) -> list[Finding]:
    """Findings for one article written under ``tmp_path`` (the source root)."""
    for extra in files:
        target = tmp_path / extra
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"x")
    article = tmp_path / name
    article.parent.mkdir(parents=True, exist_ok=True)
    article.write_text(front_matter + body, encoding="utf-8")
    return Validator(root=tmp_path).check_file(article, name).findings


def places(findings: list[Finding]) -> list[tuple[str, int, int]]:
    return [(f.code.code, f.line, f.column) for f in findings]


def codes(findings: list[Finding]) -> list[tuple[str, int]]:
    return [(f.code.code, f.line) for f in findings]


# -- headings


def test_clean_article_has_no_findings(tmp_path: Path) -> None:
    body = "# Title\n\nText.\n\n## Part\n\n### Detail\n\n## Next\n"
    assert check(tmp_path, body) == []


def test_missing_h1(tmp_path: Path) -> None:
    assert codes(check(tmp_path, "Text only.\n\n## Part\n")) == [("body.h1-missing", BODY_LINE)]


def test_second_h1_is_reported_at_its_line(tmp_path: Path) -> None:
    found = check(tmp_path, "# One\n\ntext\n\nTwo\n===\n")
    assert codes(found) == [("body.h1-multiple", BODY_LINE + 4)]
    assert f"line {BODY_LINE}" in found[0].message


def test_heading_levels_do_not_skip(tmp_path: Path) -> None:
    body = "# T\n\n## A\n\n#### Deep\n\n## B\n\n### C\n\n## D\n"
    found = check(tmp_path, body)
    assert codes(found) == [("body.heading-skip", BODY_LINE + 4)]
    assert "H4 'Deep' follows an H2" in found[0].message


def test_h1_then_h3_skips(tmp_path: Path) -> None:
    assert codes(check(tmp_path, "# T\n\n### C\n")) == [("body.heading-skip", BODY_LINE + 2)]


def test_headings_inside_a_note_are_not_outline(tmp_path: Path) -> None:
    body = "# T\n\n```{note}\n# Not an H1\n```\n"
    assert check(tmp_path, body) == []


def test_include_needs_no_front_matter_and_no_h1(tmp_path: Path) -> None:
    found = check(tmp_path, "## Week\n\n[x](/AlchemyInsights/a)\n", name="includes/part.md",
                  front_matter="")
    assert found == []


def test_article_without_front_matter(tmp_path: Path) -> None:
    found = check(tmp_path, "# T\n", front_matter="")
    assert codes(found) == [("fm.missing", 1)]


def test_landing_page_needs_a_title_only(tmp_path: Path) -> None:
    found = check(tmp_path, "# Billing\n", name="billing/index.md",
                  front_matter="---\ntitle: Billing\n---\n")
    assert found == []


# -- relative links and images


def test_existing_relative_targets(tmp_path: Path) -> None:
    body = (
        "# T\n\n[a](other.md) [b](other.md#part) [c](sub/page.md?view=1) "
        "![d](media/pic.png) [e](<media/with space.png>) [f](media/with%20space.png)\n"
    )
    files = ("other.md", "sub/page.md", "media/pic.png", "media/with space.png")
    assert check(tmp_path, body, files=files) == []


def test_relative_target_from_a_subfolder(tmp_path: Path) -> None:
    body = "# T\n\n![p](../media/pic.png) [s](../other.md)\n"
    assert check(tmp_path, body, name="billing/a.md", files=("media/pic.png", "other.md")) == []


def test_missing_target_with_line_and_column(tmp_path: Path) -> None:
    body = "# T\n\nSee [the guide](guide.md) now.\n"
    found = check(tmp_path, body)
    assert places(found) == [("link.target-missing", BODY_LINE + 2, 17)]
    assert "'guide.md'" in found[0].message


def test_case_mismatch_of_a_file(tmp_path: Path) -> None:
    body = "# T\n\n![scroll](media/16353_mouse_over.gif)\n"
    found = check(tmp_path, body, files=("media/16353_Mouse_over.gif",))
    assert codes(found) == [("link.case-mismatch", BODY_LINE + 2)]
    assert "'media/16353_Mouse_over.gif'" in found[0].message


def test_case_mismatch_of_a_folder(tmp_path: Path) -> None:
    found = check(tmp_path, "# T\n\n[x](Media/pic.png)\n", files=("media/pic.png",))
    assert codes(found) == [("link.case-mismatch", BODY_LINE + 2)]


@pytest.mark.parametrize("target", ["../outside.md", "../../etc/passwd", "a/../../x.md"])
def test_links_leaving_the_tree(tmp_path: Path, target: str) -> None:
    root = tmp_path / "src"
    root.mkdir()
    (tmp_path / "outside.md").write_text("x")
    found = check(root, f"# T\n\n[x]({target})\n", files=("a/keep",))
    assert codes(found) == [("link.outside-tree", BODY_LINE + 2)]


def test_symlink_out_of_the_tree(tmp_path: Path) -> None:
    root = tmp_path / "src"
    root.mkdir()
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "key.png").write_text("x")
    os.symlink(tmp_path / "secret", root / "media")
    found = check(root, "# T\n\n![k](media/key.png)\n")
    assert codes(found) == [("link.outside-tree", BODY_LINE + 2)]


@pytest.mark.parametrize("target", [
    "/azure/billing/billing-how-to", "/AlchemyInsights/expired-subscription", "#part",
    "https://docs.microsoft.com/azure", "mailto:someone@contoso.com", "ms-settings:windowsupdate",
    "//cdn.contoso.com/x.png",
])
def test_non_file_targets_are_not_looked_up(tmp_path: Path, target: str) -> None:
    assert check(tmp_path, f"# T\n\n[x]({target})\n") == []


# -- unsafe targets and empty link text


@pytest.mark.parametrize("markdown", [
    "[x](javascript:alert(1))", "[x](JavaScript:alert(1))", "[x](vbscript:msgbox)",
    "[x](data:text/html;base64,PHNjcmlwdD4=)", "![x](data:image/svg+xml;base64,PHN2Zz4=)",
])
def test_unsafe_schemes_are_errors(tmp_path: Path, markdown: str) -> None:
    found = check(tmp_path, f"# T\n\n{markdown}\n")
    assert [(f.code.code, f.severity.value) for f in found] == [("link.unsafe-scheme", "error")]


def test_raster_data_image_is_allowed(tmp_path: Path) -> None:
    assert check(tmp_path, "# T\n\n![dot](data:image/png;base64,iVBORw0KGgo=)\n") == []


@pytest.mark.parametrize("markdown,expected", [
    ("[](https://aka.ms/x)", 1), ("[ ](https://aka.ms/x)", 1), ("[**x**](https://aka.ms/x)", 0),
    ("[![icon](media/pic.png)](https://aka.ms/x)", 0), ("<https://aka.ms/x>", 0),
    ("[`code`](https://aka.ms/x)", 0),
])
def test_empty_link_text(tmp_path: Path, markdown: str, expected: int) -> None:
    found = check(tmp_path, f"# T\n\nText {markdown} more\n", files=("media/pic.png",))
    assert codes(found) == [("link.empty-text", BODY_LINE + 2)] * expected
    if expected:
        assert found[0].column == 6


def test_link_with_neither_text_nor_target(tmp_path: Path) -> None:
    found = check(tmp_path, "# T\n\nMore []() here\n")
    assert sorted(codes(found)) == [("link.empty-text", 9), ("link.target-missing", 9)]


def test_links_inside_a_note_are_checked(tmp_path: Path) -> None:
    body = "# T\n\n```{note}\n:class: tip\nSee [x](missing.md).\n```\n"
    assert codes(check(tmp_path, body)) == [("link.target-missing", BODY_LINE + 4)]


def test_links_in_code_are_not_links(tmp_path: Path) -> None:
    body = "# T\n\n`[x](javascript:a)` and\n\n```\n[y](missing.md) <script>\n```\n"
    assert check(tmp_path, body) == []


# -- run-in step numbers


SEED_LIKE = """\
# T

1. Sign in. Search for **Billing**
2. Select the subscription. Select **Payment methods**
3. Select + to add a card. Enter the card details in 4. If you want this card to be active, \
select the box. Select **Next** 5. If you **want another card**, select it.
6. Select **Make active**

1. Sign in.
2. Select **Payment methods**. A form appears. 3. Update the card details. Select **Save**.
4. To **remove** a card, select the box next to it. 5. Select **Delete**
"""


def test_run_in_steps_of_the_seed_shape(tmp_path: Path) -> None:
    found = check(tmp_path, SEED_LIKE)
    assert places(found) == [
        ("step.run-in", BODY_LINE + 4, 54), ("step.run-in", BODY_LINE + 4, 125),
        ("step.run-in", BODY_LINE + 8, 48), ("step.run-in", BODY_LINE + 9, 53),
    ]
    assert "('…the card details in 4. If you want…')" in found[0].message


def test_a_date_inside_a_step_is_not_a_step(tmp_path: Path) -> None:
    body = ("# T\n\n1. Melden Sie sich an.\n2. Die Rechnung kommt am 3. Juni. "
            "Wählen Sie **Weiter** 3. Klicken Sie auf **Speichern**.\n")
    found = check(tmp_path, body)
    assert places(found) == [("step.run-in", BODY_LINE + 3, 57)]  # "3. Klicken", not the date


def test_step_run_in_without_space(tmp_path: Path) -> None:
    body = ("# T\n\n1. Sign in.\n2. Select Billing.\n"
            "3. Enter the details 4.To make it active, select.\n")
    assert codes(check(tmp_path, body)) == [("step.run-in", BODY_LINE + 4)]


def test_steps_written_in_one_paragraph(tmp_path: Path) -> None:
    body = "# T\n\nDo this: 1. Sign in 2. Select **Exchange** 3. Review the purchase.\n"
    assert codes(check(tmp_path, body)) == [("step.run-in", BODY_LINE + 2)] * 3


def test_step_at_line_start_without_space(tmp_path: Path) -> None:
    body = "# T\n\n1. One\n2. Two\n3. Three\n\n```\nsetup.exe\n```\n\n4.Run the tool again.\n"
    found = check(tmp_path, body)
    assert places(found) == [("step.run-in", BODY_LINE + 10, 1)]
    assert "'4. Run'" in found[0].message


@pytest.mark.parametrize("prose", [
    "It runs on Windows 10. The app starts.",
    "Use Microsoft Edge version 80. See the policies.",
    "Ab dem 1. Juli 2021 werden wir das ändern, am 2. August nicht.",
    "Der Fälligkeitstag 29., 30. oder 31. fällt weg.",
    "As described in step 4. Then select **Save**.",
    "Internet Explorer 10 of Internet Explorer 11. De knop werkt niet.",
    "**1. Check your licenses**",
    "It needs 1.5 GB and version 4.0 or 16.0.1. Then restart.",
    "It costs $ 80. There is no refund.",
    "Kies Abonnement 1 en Abonnement 2. Houd rekening met de kosten.",
    "See page 42. These sections matter.",
    "Published on 04.05.2021. Read it.",
])
def test_numbers_in_prose_are_not_steps(tmp_path: Path, prose: str) -> None:
    assert check(tmp_path, f"# T\n\n{prose}\n") == []


@pytest.mark.parametrize("prose", [
    "Upgrade to Windows 10. Then sign in.",
    "In stap 2. Selecteer daarna Overige opties.",
])
def test_numbers_in_a_list_item_that_do_not_continue_the_count(
    tmp_path: Path, prose: str
) -> None:
    body = f"# T\n\n1. Sign in.\n2. Check it. {prose}\n"
    assert check(tmp_path, body) == []


# -- raw HTML


@pytest.mark.parametrize("html", [
    '<a name="change-payment"></a>', "<br>", "<BR/>", '<img src="media/pic.png" alt="p">',
    "<img src='data:image/png;base64,iVBORw0KGgo=' />", "<!-- a comment -->",
])
def test_allowed_html(tmp_path: Path, html: str) -> None:
    assert check(tmp_path, f"# T\n\nText {html} text\n", files=("media/pic.png",)) == []


@pytest.mark.parametrize("html,column", [
    ("<script>alert(1)</script>", 6), ('<img src="media/pic.png" onerror="alert(1)">', 6),
    ('<a href="javascript:alert(1)">x</a>', 6), ('<iframe src="https://x"></iframe>', 6),
    ('<a href=" JAVASCRIPT:x">y</a>', 6), ('<a href="java&#9;script:alert(1)">x</a>', 6),
    ('<span style="x:expression(alert(1))">s</span>', 6),
])
def test_unsafe_inline_html(tmp_path: Path, html: str, column: int) -> None:
    found = check(tmp_path, f"# T\n\nText {html} text\n", files=("media/pic.png",))
    assert [(f.code.code, f.line, f.column, f.severity.value) for f in found] == [
        ("html.unsafe", BODY_LINE + 2, column, "error")
    ]


def test_unsafe_html_block(tmp_path: Path) -> None:
    body = '# T\n\n<div>\n<p onclick="steal()">Hi</p>\n</div>\n'
    found = check(tmp_path, body)
    assert codes(found) == [("html.disallowed", BODY_LINE + 2), ("html.unsafe", BODY_LINE + 3)]


@pytest.mark.parametrize("html,fragment", [
    ("<span>x</span>", "not in the allowlist"),
    ('<a href="https://contoso.com">x</a>', "write a Markdown link"),
    ("<mailboxname>", "not an HTML element"),
    ("<Group Name>", "not an HTML element"),
])
def test_disallowed_html_is_a_warning(tmp_path: Path, html: str, fragment: str) -> None:
    found = check(tmp_path, f"# T\n\nSet {html} now\n")
    assert [(f.code.code, f.severity.value) for f in found] == [("html.disallowed", "warning")]
    assert fragment in found[0].message


def test_two_identical_tags_on_a_line_get_their_own_columns(tmp_path: Path) -> None:
    found = check(tmp_path, "# T\n\nSet <appId> and <appId>\n")
    assert [f.column for f in found] == [5, 17]


def test_missing_image_in_html(tmp_path: Path) -> None:
    found = check(tmp_path, '# T\n\n<img src="media/Pic.png">\n', files=("media/pic.png",))
    assert codes(found) == [("link.case-mismatch", BODY_LINE + 2)]


# -- the parser


def test_parser_is_built_once_and_sees_unsafe_links() -> None:
    assert markdown_parser() is markdown_parser()
    tokens = markdown_parser().parseInline("[x](javascript:alert(1))")[0].children or []
    assert [t.type for t in tokens][:1] == ["link_open"]


def test_check_article_of_an_article_read_by_the_caller(tmp_path: Path) -> None:
    from helpsite.article import read_article
    from helpsite.validation import check_article

    expected = check(tmp_path, "# T\n\n[x](missing.md)\n")
    article = read_article(tmp_path / "article.md", "article.md")
    assert check_article(article, root=tmp_path) == expected
    assert codes(expected) == [("link.target-missing", BODY_LINE + 2)]
