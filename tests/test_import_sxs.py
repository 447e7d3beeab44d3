"""Side-by-side files: splitting span pairs, the source article's front matter."""

from __future__ import annotations

import yaml
from helpsite.article import parse_article
from helpsite.importers.meta import edit_front_matter, first_h1, strip_anchor, yaml_scalar
from helpsite.importers.sxs import source_article, split_sxs


def pair(span_id: str, translated: str, source: str) -> str:
    return (f'<span data-ttu-id="{span_id}">{translated}</span><span class="sxs-lookup">'
            f'<span data-stu-id="{span_id}">{source}</span></span>')


SXS = f"""---
title: Wachtwoord wijzigen in Contoso
ms.author: writer
ms.date: 04/21/2024
ms.custom:
- "7001001"
ms.openlocfilehash: 5879c5996a28e8e9e61c696c51e7c590d1245ba1
ms.sourcegitcommit: edb9be61ff8c4df2a600f70952f6fa731c2093a9
ms.translationtype: MT
ms.contentlocale: nl-NL
ms.lasthandoff: 06/04/2024
ms.locfileid: "52774246"
description: Zo wijzigt u uw wachtwoord.
---
# <a name="change-your-password"></a>{pair("a-101", "Uw wachtwoord wijzigen", "Change your password")}

{pair("a-102", "Open de app.", "Open the app.")} {pair("a-103", "Selecteer <span>Profiel</span>.", "Select <span>Profile</span>.")}
"""  # noqa: E501


def test_split_keeps_line_structure_and_both_languages() -> None:
    split = split_sxs(SXS, "x.md")
    assert split.pairs == 3
    assert split.findings == []
    assert "Change your password" in split.source and "Uw wachtwoord" not in split.source
    assert "Open the app. Select <span>Profile</span>." in split.source
    assert "Open de app. Selecteer <span>Profiel</span>." in split.translated
    assert split.source.count("\n") == split.translated.count("\n") == SXS.count("\n")


def test_unpaired_span_is_an_error_with_its_line() -> None:
    broken = SXS + '\n<span data-ttu-id="a-200">Alleen vertaald</span>\n'
    split = split_sxs(broken, "x.md")
    assert [f.code.code for f in split.findings] == ["import.sxs-unpaired"]
    assert split.findings[0].line == broken.count("\n")


def test_pair_with_different_ids_is_not_split() -> None:
    mixed = ('<span data-ttu-id="a-1">Een</span><span class="sxs-lookup">'
             '<span data-stu-id="a-2">One</span></span>')
    assert split_sxs(mixed, "x.md").findings[0].code.code == "import.sxs-unpaired"


def test_source_article_front_matter() -> None:
    source, findings = source_article(split_sxs(SXS, "x.md").source, "x.md")
    assert findings == [] and source is not None
    article = parse_article(source, None, "x.md")  # type: ignore[arg-type]
    data = article.metadata
    assert data["title"] == "Change your password"  # from the H1's source sentence
    for key in ("ms.translationtype", "ms.contentlocale", "ms.lasthandoff",
                "ms.openlocfilehash", "ms.locfileid", "ms.sourcegitcommit", "description"):
        assert key not in data
    assert data["ms.custom"] == ["7001001"] and data["ms.date"] == "04/21/2024"
    # The H1 keeps its DocFX anchor; the rest of the front matter keeps its lines.
    assert '# <a name="change-your-password"></a>Change your password' in source
    assert 'ms.custom:\n- "7001001"\n' in source


def test_source_article_without_h1_is_an_error() -> None:
    text = "---\ntitle: x\n---\nNo heading here.\n"
    source, findings = source_article(text, "x.md")
    assert source is None and findings[0].code.code == "import.no-h1"


def test_source_article_with_broken_yaml_reports_the_yaml_error() -> None:
    source, findings = source_article("---\ntitle: a: b: [\n---\n# T\n", "x.md")
    assert source is None and findings[0].code.code == "yaml.syntax"


def test_edit_front_matter_quotes_only_when_needed() -> None:
    text = "---\ntitle: Old\nkeep: 1\ndrop: x\n---\nbody\n"
    edited = edit_front_matter(text, {"drop"}, {"title": "Error: #404 isn't found"})
    assert yaml.safe_load(edited.split("---")[1]) == {"title": "Error: #404 isn't found",
                                                      "keep": 1}
    assert edited.endswith("---\nbody\n")
    assert yaml_scalar("Plain title") == "Plain title"


def test_h1_helpers() -> None:
    assert first_h1("```\n# not a heading\n```\n# Real <b>one</b>\n") == ("Real <b>one</b>", 3)
    assert strip_anchor('<a name="x-y"></a>Title') == "Title"
