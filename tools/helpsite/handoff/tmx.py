"""The translation memory as TMX 1.4b, the exchange format CAT tools read and write.

helpsite itself rebuilds the memory from the catalogs on demand (docs/handoff.md has the
measurement); a TMX file is for other tools: a vendor's Trados or memoQ, Weblate's
translation memory import. Each unit keeps its origin and context as ``<prop>`` elements,
so a file written and read back gives the same memory.

Reading uses the standard library's expat parser, which expands no external entities and
refuses entity expansion attacks (expat >= 2.4.1); a file that does not parse raises
:class:`TmxError` with the line.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from helpsite import __version__
from helpsite.files import write_atomic
from helpsite.handoff.memory import TranslationMemory, Unit

SOURCE_LANGUAGE = "en-US"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ORIGIN, _CONTEXT = "x-helpsite-origin", "x-helpsite-context"


class TmxError(ValueError):
    """A TMX file that cannot be read; the message names the file and line."""


def _tu(unit: Unit, locale: str) -> ET.Element:
    tu = ET.Element("tu")
    ET.SubElement(tu, "prop", type=_ORIGIN).text = unit.origin
    if unit.context is not None:
        ET.SubElement(tu, "prop", type=_CONTEXT).text = unit.context
    for language, text in ((SOURCE_LANGUAGE, unit.source), (locale, unit.target)):
        tuv = ET.SubElement(tu, "tuv", {_XML_LANG: language})
        ET.SubElement(tuv, "seg").text = text
    return tu


def tmx_bytes(memory: TranslationMemory) -> bytes:
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(root, "header", {
        "creationtool": "helpsite", "creationtoolversion": __version__,
        "segtype": "paragraph", "o-tmf": "helpsite-po", "adminlang": "en-US",
        "srclang": SOURCE_LANGUAGE, "datatype": "plaintext"})
    body = ET.SubElement(root, "body")
    body.extend(_tu(unit, memory.locale) for unit in memory.units())
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_tmx(memory: TranslationMemory, path: Path) -> None:
    """Write ``memory`` to ``path`` atomically."""
    write_atomic(path, tmx_bytes(memory))


def _unit(tu: ET.Element, locale: str) -> Unit | None:
    props = {p.get("type"): p.text or "" for p in tu.findall("prop")}
    segs: dict[str, str] = {}
    for tuv in tu.findall("tuv"):
        seg = tuv.find("seg")
        language = (tuv.get(_XML_LANG) or tuv.get("lang") or "").lower()
        segs[language] = "".join(seg.itertext()) if seg is not None else ""
    source = segs.get(SOURCE_LANGUAGE.lower()) or segs.get("en")
    target = segs.get(locale.lower()) or segs.get(locale.split("-")[0].lower())
    if source is None or target is None:
        return None
    return Unit(source, target, props.get(_ORIGIN, "tmx"), props.get(_CONTEXT))


def read_tmx(path: Path, locale: str) -> TranslationMemory:
    """The memory of ``locale`` in a TMX file (units of other languages are left out)."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        raise TmxError(f"{path}:{error.position[0]}: not a readable TMX file: {error}") \
            from error
    if root.tag != "tmx":
        raise TmxError(f"{path}:1: the root element is <{root.tag}>, not <tmx>")
    memory = TranslationMemory(locale)
    for tu in root.iter("tu"):
        unit = _unit(tu, locale)
        if unit is not None:
            memory.add_unit(unit)
    return memory
