"""The import end to end on small trees: alignment mismatches, metadata, re-import."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import polib
import pytest
from helpsite.commands import main
from helpsite.importers.inputs import read_markdown_trees, read_sxs_folder
from helpsite.importers.pipeline import ImportReport, run_import

FRONT = "---\ntitle: {title}\nms.date: 01/02/2024\n{extra}---\n"
NL_META = ("ms.translationtype: HT\nms.contentlocale: nl-NL\nms.lasthandoff: 03/04/2024\n"
           "ms.openlocfilehash: 0123456789abcdef0123456789abcdef01234567\n"
           'ms.locfileid: "1234"\n')


def write(folder: Path, name: str, title: str, body: str, extra: str = "") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FRONT.format(title=title, extra=extra) + body, encoding="utf-8")
    return path


def import_markdown(tmp_path: Path, locale: str = "nl-NL", **kwargs: object) -> ImportReport:
    data = read_markdown_trees(tmp_path / "en", tmp_path / "nl")
    return run_import(data, locale=locale, out=tmp_path / "out", **kwargs)  # type: ignore[arg-type]


def catalog(tmp_path: Path, docname: str, locale: str = "nl-NL") -> polib.POFile:
    return polib.pofile(str(tmp_path / "out" / "locales" / locale / "LC_MESSAGES"
                            / f"{docname}.po"))


def translations(po: polib.POFile) -> dict[str, str]:
    return {e.msgid: e.msgstr for e in po if not e.obsolete}


def codes(report: ImportReport) -> list[str]:
    return [f.code.code for f in report.findings]


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


SIGN_IN_EN = """# Sign in

Follow these steps to sign in to [Contoso Cloud](https://contoso.example/cloud):

- Open the Contoso Cloud app on your device.
- Select **Sign in** in the top corner of the window.
- Enter the password of your work account and press Enter.

Contact [support](https://contoso.example/support) if signing in fails.
"""


def test_list_merged_into_paragraph_is_reported_and_left_untranslated(tmp_path: Path) -> None:
    write(tmp_path / "en", "sign-in.md", "Sign in", SIGN_IN_EN)
    write(tmp_path / "nl", "sign-in.md", "Aanmelden", """# Aanmelden

Volg deze stappen om u aan te melden bij [Contoso Cloud](https://contoso.example/cloud): open de Contoso Cloud-app op uw apparaat, selecteer **Aanmelden** in de bovenhoek van het venster en voer het wachtwoord van uw werkaccount in.

Neem contact op met [ondersteuning](https://contoso.example/support) als het aanmelden mislukt.
""", NL_META)  # noqa: E501
    report = import_markdown(tmp_path)
    found = [f for f in report.findings if f.code.code == "import.structure-mismatch"]
    assert len(found) == 1
    # Both line numbers: the source article's (list at 9-11) and the translation's (line 12).
    assert found[0].line == 12 and found[0].path.endswith("nl/sign-in.md")
    assert "sign-in.md:9-11" in found[0].message or "sign-in.md:7-11" in found[0].message
    assert "translation line 12" in found[0].message
    got = translations(catalog(tmp_path, "sign-in"))
    assert got["Sign in"] == "Aanmelden"
    assert got["Contact [support](https://contoso.example/support) if signing in fails."] == (
        "Neem contact op met [ondersteuning](https://contoso.example/support) als het "
        "aanmelden mislukt.")
    untranslated = [msgid for msgid, msgstr in got.items() if not msgstr]
    assert "Open the Contoso Cloud app on your device." in untranslated
    assert any(m.startswith("Follow these steps") for m in untranslated)  # merged paragraph
    assert report.totals["mismatches"] == 1


THREE_EN = """# Billing

Open the [billing page](https://contoso.example/billing) to see your invoices.

Change the payment method on the [payment page](https://contoso.example/pay).

Download a copy of an invoice from the [invoice list](https://contoso.example/invoices).
"""


def test_block_missing_in_translation(tmp_path: Path) -> None:
    write(tmp_path / "en", "billing.md", "Billing", THREE_EN)
    write(tmp_path / "nl", "billing.md", "Facturering", """# Facturering

Open de [factureringspagina](https://contoso.example/billing) om uw facturen te bekijken.

Download een kopie van een factuur uit de [factuurlijst](https://contoso.example/invoices).
""")
    report = import_markdown(tmp_path)
    missing = [f for f in report.findings if f.code.code == "import.block-missing"]
    assert len(missing) == 1
    assert "billing.md:9," in missing[0].message  # source line of the missing paragraph
    assert "translation line 7 (near)" in missing[0].message and missing[0].line == 7
    got = translations(catalog(tmp_path, "billing"))
    changed = "Change the payment method on the [payment page](https://contoso.example/pay)."
    assert got[changed] == ""
    assert got["Download a copy of an invoice from the [invoice list]"
               "(https://contoso.example/invoices)."].startswith("Download een kopie")
    assert got["Open the [billing page](https://contoso.example/billing) to see your "
               "invoices."].startswith("Open de [factureringspagina]")


def test_block_added_in_translation(tmp_path: Path) -> None:
    write(tmp_path / "en", "billing.md", "Billing", THREE_EN)
    write(tmp_path / "nl", "billing.md", "Facturering", """# Facturering

Open de [factureringspagina](https://contoso.example/billing) om uw facturen te bekijken.

Let op: facturen van vóór 2020 staan in het [archief](https://contoso.example/archive).

Wijzig de betaalmethode op de [betaalpagina](https://contoso.example/pay).

Download een kopie van een factuur uit de [factuurlijst](https://contoso.example/invoices).
""")
    report = import_markdown(tmp_path)
    added = [f for f in report.findings if f.code.code == "import.block-added"]
    assert len(added) == 1 and added[0].line == 9
    assert "billing.md:7 (near)" in added[0].message and "translation line 9)" in added[0].message
    got = translations(catalog(tmp_path, "billing"))
    assert all(got.values())  # every source message has its real translation
    assert "archief" not in " ".join(got.values())


def test_per_locale_metadata_goes_to_the_po_header(tmp_path: Path) -> None:
    write(tmp_path / "en", "a.md", "Sign in", "# Sign in\n\nText.\n")
    write(tmp_path / "nl", "a.md", "Aanmelden bij Contoso", "# Aanmelden\n\nTekst.\n",
          NL_META + "description: Alleen in het Nederlands.\n")
    report = import_markdown(tmp_path)
    header = catalog(tmp_path, "a").metadata
    assert header["X-Meta-ms.translationtype"] == "HT"
    assert header["X-Meta-ms.contentlocale"] == "nl-NL"
    assert header["X-Meta-ms.lasthandoff"] == "03/04/2024"
    assert header["X-Meta-ms.locfileid"] == "1234"
    assert header["X-Meta-ms.openlocfilehash"] == "0123456789abcdef0123456789abcdef01234567"
    # The localized title is not the H1's translation: kept, not lost.
    assert header["X-Meta-title"] == "Aanmelden bij Contoso"
    assert header["X-Meta-description"] == "Alleen in het Nederlands."
    assert header["Language"] == "nl_NL"
    assert "import.translation-only-field" in codes(report)
    source = (tmp_path / "out" / "source" / "a.md").read_text(encoding="utf-8")
    assert "ms.translationtype" not in source and "Nederlands" not in source


def test_reimport_is_byte_identical(tmp_path: Path) -> None:
    write(tmp_path / "en", "sign-in.md", "Sign in", SIGN_IN_EN)
    write(tmp_path / "nl", "sign-in.md", "Aanmelden", SIGN_IN_EN.replace("Sign in", "Aanmelden"))
    (tmp_path / "en" / "media").mkdir()
    (tmp_path / "en" / "media" / "shot.png").write_bytes(b"\x89PNG en")
    first = import_markdown(tmp_path)
    before = snapshot(tmp_path / "out")
    assert first.written and "source/media/shot.png" in before
    second = import_markdown(tmp_path)
    assert second.written == []
    assert snapshot(tmp_path / "out") == before


def test_edit_in_po_is_kept_and_reported(tmp_path: Path) -> None:
    write(tmp_path / "en", "a.md", "Sign in", "# Sign in\n\nOpen the app.\n\nSelect Save.\n")
    write(tmp_path / "nl", "a.md", "Aanmelden", "# Aanmelden\n\nOpen de app.\n\nKies Opslaan.\n")
    import_markdown(tmp_path)
    po_path = tmp_path / "out" / "locales" / "nl-NL" / "LC_MESSAGES" / "a.po"
    po = polib.pofile(str(po_path))
    po.find("Open the app.").msgstr = "Start de app."
    po.save()
    # The translated tree changes too: the other message takes the new import.
    write(tmp_path / "nl", "a.md", "Aanmelden",
          "# Aanmelden\n\nOpen de toepassing.\n\nSelecteer Opslaan.\n")
    report = import_markdown(tmp_path)
    conflicts = [f for f in report.findings if f.code.code == "import.edit-conflict"]
    assert len(conflicts) == 1 and conflicts[0].path == str(po_path)
    assert "Open the app." in conflicts[0].message
    got = translations(catalog(tmp_path, "a"))
    assert got["Open the app."] == "Start de app."  # the edit survives
    assert got["Select Save."] == "Selecteer Opslaan."  # unedited: updated by the import
    # Reported again on the next import, still kept: the edit is never lost.
    again = import_markdown(tmp_path)
    assert codes(again).count("import.edit-conflict") == 1
    assert translations(catalog(tmp_path, "a"))["Open the app."] == "Start de app."


def test_second_locale_with_different_source(tmp_path: Path) -> None:
    write(tmp_path / "en", "a.md", "Sign in", "# Sign in\n\nOpen the app.\n\nSelect Save.\n")
    write(tmp_path / "nl", "a.md", "Aanmelden", "# Aanmelden\n\nOpen de app.\n\nKies Opslaan.\n")
    import_markdown(tmp_path)
    kept = (tmp_path / "out" / "source" / "a.md").read_bytes()
    de_en, de = tmp_path / "de-en", tmp_path / "de"
    write(de_en, "a.md", "Sign in", "# Sign in\n\nOpen the app.\n\nSelect **Save** now.\n")
    write(de, "a.md", "Anmelden", "# Anmelden\n\nÖffnen Sie die App.\n\nWählen Sie jetzt "
          "**Speichern**.\n")
    report = run_import(read_markdown_trees(de_en, de), locale="de-DE", out=tmp_path / "out")
    assert "import.source-differs" in codes(report)
    assert (tmp_path / "out" / "source" / "a.md").read_bytes() == kept
    got = translations(catalog(tmp_path, "a", "de-DE"))
    assert got == {"Sign in": "Anmelden", "Open the app.": "Öffnen Sie die App.",
                   "Select Save.": ""}  # no wrong translation for the changed sentence


def test_unreadable_input_stops_before_writing(tmp_path: Path) -> None:
    write(tmp_path / "en", "a.md", "Sign in", "# Sign in\n\nText.\n")
    write(tmp_path / "en", "b.md", "Other", "# Other\n\nText.\n")
    write(tmp_path / "nl", "a.md", "Aanmelden", "# Aanmelden\n\nTekst.\n")
    (tmp_path / "nl" / "b.md").write_text("---\ntitle: [unclosed\n---\n# X\n", encoding="utf-8")
    report = import_markdown(tmp_path)
    assert report.stopped and "yaml.syntax" in codes(report)
    assert not (tmp_path / "out").exists()
    skipped = import_markdown(tmp_path, skip_invalid=True)
    assert skipped.skipped == ["b"] and (tmp_path / "out" / "source" / "a.md").exists()


def test_broken_state_file_stops(tmp_path: Path) -> None:
    write(tmp_path / "en", "a.md", "Sign in", "# Sign in\n\nText.\n")
    write(tmp_path / "nl", "a.md", "Aanmelden", "# Aanmelden\n\nTekst.\n")
    state = tmp_path / "out" / ".helpsite-import" / "nl-NL.json"
    state.parent.mkdir(parents=True)
    state.write_text("{not json", encoding="utf-8")
    report = import_markdown(tmp_path)
    assert report.stopped and "import.state" in codes(report)
    assert not (tmp_path / "out" / "source").exists()


def test_sxs_folder_media_and_includes(tmp_path: Path) -> None:
    sxs = tmp_path / "sxs"
    body = ('# <a name="x"></a><span data-ttu-id="1-1">Titel</span><span class="sxs-lookup">'
            '<span data-stu-id="1-1">Title</span></span>\n\n![Schermafbeelding](media/a.png)\n')
    write(sxs, "a.md", "Titel", body, NL_META)
    (sxs / "includes").mkdir()
    (sxs / "includes" / "part.md").write_text("Text\n", encoding="utf-8")
    (sxs / "media").mkdir()
    (sxs / "media" / "a.png").write_bytes(b"nl image")
    (sxs / "docfx.json").write_text("{}", encoding="utf-8")
    data = read_sxs_folder(sxs)
    assert data.ignored == ["docfx.json"]
    report = run_import(data, locale="nl-NL", out=tmp_path / "out")
    assert "import.include-skipped" in codes(report)
    assert (tmp_path / "out" / "source" / "media" / "a.png").read_bytes() == b"nl image"
    got = translations(catalog(tmp_path, "a"))
    # The H1 message (with or without its anchor, depending on the Sphinx setup).
    heading = next(msgid for msgid in got if msgid.endswith("Title"))
    assert got[heading] == heading.replace("Title", "Titel")
    assert got["Schermafbeelding"] == "Schermafbeelding"  # image alt: the sxs has no English
    # A second locale whose image differs keeps its own beside the first one.
    (sxs / "media" / "a.png").write_bytes(b"de image")
    write(sxs, "a.md", "Titel", body.replace("Titel", "Titel"),
          NL_META.replace("nl-NL", "de-DE"))
    report = run_import(read_sxs_folder(sxs), locale="de-DE", out=tmp_path / "out")
    assert (tmp_path / "out" / "source" / "media" / "a.de-DE.png").read_bytes() == b"de image"
    assert "import.media-localized" in codes(report)


def test_cli_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "en", "a.md", "Sign in", "# Sign in\n\nText.\n")
    write(tmp_path / "nl", "a.md", "Aanmelden", "# Aanmelden\n\nTekst.\n")
    status = main(["import", "markdown", "--source", str(tmp_path / "en"), "--translated",
                   str(tmp_path / "nl"), "--locale", "nl_nl", "--out", str(tmp_path / "out"),
                   "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 0
    assert report["locale"] == "nl-NL" and report["articles"] == 1
    assert report["messages"] == 2 and report["translated"] == 2 and report["mismatches"] == 0


def test_cli_refuses_locale_without_region(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["import", "sxs", ".", "--locale", "nl", "--out", "x"])
    assert exit_info.value.code == 2
    assert "language-region" in capsys.readouterr().err


def test_translation_keeps_hard_breaks_and_literal_backslashes(tmp_path: Path) -> None:
    write(tmp_path / "en", "a.md", "Keys", "# Keys\n\nOpen HKLM\\Office\\ \nthen Setup.  \nDone.\n")
    write(tmp_path / "nl", "a.md", "Sleutels",
          "# Sleutels\n\nOpen HKLM\\Office\\ \ndan Setup.  \nKlaar.\n")
    import_markdown(tmp_path)
    got = translations(catalog(tmp_path, "a"))
    msgid = next(m for m in got if m.startswith("Open HKLM"))
    # Lines are joined as in Sphinx's msgid, but the hard break survives, and so does the
    # literal backslash before a space.
    assert got[msgid] == "Open HKLM\\Office\\  dan Setup.  \nKlaar."
