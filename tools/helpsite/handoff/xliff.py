"""XLIFF 2.0 and 1.2, written and read with lxml: the exchange format of translation tools.

A handoff package (:mod:`helpsite.handoff.package`) is a :class:`Package`: one
:class:`PackageFile` per article (``original`` is its docname), one :class:`Unit` per
message. This module only maps that model to and from XML; what goes into a package and
how a returned one is merged is :mod:`helpsite.handoff.package`'s business.

What goes where (both versions are read by translate-toolkit, which Weblate and Pootle use):

============================  ==================================  ===============================
                              XLIFF 2.0                           XLIFF 1.2
============================  ==================================  ===============================
state                         ``<segment state>`` initial /       ``<target state>`` needs-* /
                              translated                          translated
context and notes             ``<notes><note category>``          ``<note from>`` and
                                                                  ``<context-group>``
TM matches                    ``<mtc:matches>`` (Matches module)  ``<alt-trans>``
helpsite's own record         ``<mda:metadata>`` (Metadata        ``<context-group
(base translation, msgctxt)   module)                             purpose="x-helpsite">``
handoff date                  file-level ``<mda:meta>``           ``<file date>``
============================  ==================================  ===============================

Reading is strict: a file that is not well-formed XML, not XLIFF 2.0 or 1.2, or lacks a
required attribute raises :class:`XliffError` with the line, and nothing is merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
MTC = "urn:oasis:names:tc:xliff:matches:2.0"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
HELPSITE_CATEGORY = "helpsite"  # the mda:metaGroup / context-group of helpsite's record
VERSIONS = ("2.0", "1.2")

# A segment's state in each version, by whether the translation is confirmed.
_CONFIRMED_2 = {"translated", "reviewed", "final"}
_CONFIRMED_12 = {"translated", "signed-off", "final"}


class XliffError(ValueError):
    """A package that cannot be read; ``line`` is where (1 when unknown)."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = max(line or 1, 1)


@dataclass
class Alternative:
    """A translation-memory match offered beside a unit (score 0-100)."""

    source: str
    target: str
    similarity: float
    origin: str = ""


@dataclass
class Unit:
    """One message: its source, its translation so far, and what helps to translate it.

    ``confirmed`` is True when the translation is final (not fuzzy); ``record`` is
    helpsite's own data (base translation digest, msgctxt, why the unit is in the batch),
    which tools carry along unchanged; ``line`` is where a read unit sits in the file."""

    id: str
    source: str
    target: str = ""
    confirmed: bool = False
    notes: list[tuple[str, str]] = field(default_factory=list)  # (category, text)
    alternatives: list[Alternative] = field(default_factory=list)
    record: dict[str, str] = field(default_factory=dict)
    line: int = 0


@dataclass
class PackageFile:
    original: str  # the article's docname, account/reset-password
    units: list[Unit] = field(default_factory=list)


@dataclass
class Package:
    source_language: str
    target_language: str
    date: str = ""  # ISO date the batch went to the translators
    files: list[PackageFile] = field(default_factory=list)

    @property
    def units(self) -> list[tuple[str, Unit]]:
        return [(f.original, u) for f in self.files for u in f.units]


# ------------------------------------------------------------------------------ writing


def _sub(parent: etree._Element, tag: str, text: str | None = None,
         **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _text_element(parent: etree._Element, tag: str, text: str, **attributes: str
                  ) -> etree._Element:
    """A <source>/<target>: whitespace preserved, as PO keeps it."""
    element = _sub(parent, tag, text, **attributes)
    element.set(XML_SPACE, "preserve")
    return element


def _unit_2(parent: etree._Element, unit: Unit) -> None:
    element = _sub(parent, f"{{{XLIFF2}}}unit", id=unit.id)
    if unit.alternatives:
        matches = _sub(element, f"{{{MTC}}}matches")
        for alternative in unit.alternatives:
            match = _sub(matches, f"{{{MTC}}}match", ref="#s1", type="tm",
                         similarity=f"{alternative.similarity:.1f}",
                         origin=alternative.origin or "translation memory")
            _text_element(match, f"{{{XLIFF2}}}source", alternative.source)
            _text_element(match, f"{{{XLIFF2}}}target", alternative.target)
    if unit.record:
        metadata = _sub(element, f"{{{MDA}}}metadata")
        group = _sub(metadata, f"{{{MDA}}}metaGroup", category=HELPSITE_CATEGORY)
        for key, value in unit.record.items():
            _sub(group, f"{{{MDA}}}meta", value, type=key)
    if unit.notes:
        notes = _sub(element, f"{{{XLIFF2}}}notes")
        for category, text in unit.notes:
            _sub(notes, f"{{{XLIFF2}}}note", text, category=category)
    state = "translated" if unit.confirmed and unit.target else "initial"
    segment = _sub(element, f"{{{XLIFF2}}}segment", id="s1", state=state)
    _text_element(segment, f"{{{XLIFF2}}}source", unit.source)
    if unit.target:
        _text_element(segment, f"{{{XLIFF2}}}target", unit.target)


def _file_record_2(element: etree._Element, package: Package) -> None:
    if not package.date:
        return
    metadata = _sub(element, f"{{{MDA}}}metadata")
    group = _sub(metadata, f"{{{MDA}}}metaGroup", category=HELPSITE_CATEGORY)
    _sub(group, f"{{{MDA}}}meta", package.date, type="handoff-date")


def write_xliff2(package: Package) -> bytes:
    root = etree.Element(f"{{{XLIFF2}}}xliff", nsmap={None: XLIFF2, "mtc": MTC, "mda": MDA})
    root.set("version", "2.0")
    root.set("srcLang", package.source_language)
    root.set("trgLang", package.target_language)
    for number, package_file in enumerate(package.files, 1):
        element = _sub(root, f"{{{XLIFF2}}}file", id=f"f{number}",
                       original=package_file.original)
        _file_record_2(element, package)
        for unit in package_file.units:
            _unit_2(element, unit)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _unit_12(parent: etree._Element, unit: Unit, package: Package) -> None:
    element = _sub(parent, f"{{{XLIFF12}}}trans-unit", id=unit.id)
    element.set(XML_SPACE, "preserve")
    if unit.confirmed and unit.target:
        element.set("approved", "yes")  # translate-toolkit (Weblate) reads others as fuzzy
    _text_element(element, f"{{{XLIFF12}}}source", unit.source)
    if unit.target or not unit.confirmed:
        state = ("translated" if unit.confirmed else
                 "needs-review-translation" if unit.target else "needs-translation")
        target = _text_element(element, f"{{{XLIFF12}}}target", unit.target, state=state)
        target.set(XML_LANG, package.target_language)
    for category, text in unit.notes:
        _sub(element, f"{{{XLIFF12}}}note", text, from_=category)
    if unit.record:
        # the schema wants context-group names unique in a <file>: one per unit
        group = _sub(element, f"{{{XLIFF12}}}context-group",
                     name=f"{HELPSITE_CATEGORY}-{unit.id}", purpose="x-helpsite")
        for key, value in unit.record.items():
            _sub(group, f"{{{XLIFF12}}}context", value, **{"context-type": f"x-{key}"})
    for alternative in unit.alternatives:
        alt = _sub(element, f"{{{XLIFF12}}}alt-trans", origin=alternative.origin or "tm")
        alt.set("match-quality", f"{alternative.similarity:.0f}%")
        _text_element(alt, f"{{{XLIFF12}}}source", alternative.source)
        target = _text_element(alt, f"{{{XLIFF12}}}target", alternative.target)
        target.set(XML_LANG, package.target_language)


def write_xliff12(package: Package) -> bytes:
    root = etree.Element(f"{{{XLIFF12}}}xliff", nsmap={None: XLIFF12})
    root.set("version", "1.2")
    for package_file in package.files:
        element = _sub(root, f"{{{XLIFF12}}}file", original=package_file.original,
                       datatype="plaintext")
        element.set("source-language", package.source_language)
        element.set("target-language", package.target_language)
        if package.date:
            element.set("date", f"{package.date}T00:00:00Z")
        body = _sub(element, f"{{{XLIFF12}}}body")
        for unit in package_file.units:
            _unit_12(body, unit, package)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_xliff(package: Package, version: str = "2.0") -> bytes:
    """The XLIFF bytes of ``package`` in ``version`` ("2.0" or "1.2")."""
    if version not in VERSIONS:
        raise ValueError(f"XLIFF version {version!r}: helpsite writes {' and '.join(VERSIONS)}")
    return write_xliff2(package) if version == "2.0" else write_xliff12(package)


# ------------------------------------------------------------------------------ reading


def _required(element: etree._Element, name: str) -> str:
    value = element.get(name)
    if value is None or not value.strip():
        tag = etree.QName(element).localname
        raise XliffError(f"<{tag}> has no {name} attribute", element.sourceline or 1)
    return value


def _inner_text(element: etree._Element | None) -> str:
    """The text of a <source>/<target>; inline elements (which helpsite never writes) are
    refused rather than dropped, so no part of a translation is lost unnoticed."""
    if element is None:
        return ""
    if len(element):
        child = etree.QName(element[0]).localname
        raise XliffError(f"<{etree.QName(element).localname}> holds inline markup <{child}>: "
                         "helpsite packages carry Markdown as plain text; export the "
                         "translation without converting it to XLIFF inline codes",
                         element[0].sourceline or 1)
    return element.text or ""


def _record_2(unit: etree._Element) -> dict[str, str]:
    record = {}
    path = f"{{{MDA}}}metadata/{{{MDA}}}metaGroup[@category='{HELPSITE_CATEGORY}']/{{{MDA}}}meta"
    for meta in unit.iterfind(path):
        record[meta.get("type", "")] = meta.text or ""
    return record


def _read_unit_2(element: etree._Element) -> Unit:
    unit_id = _required(element, "id")
    segments = element.findall(f"{{{XLIFF2}}}segment")
    if len(segments) != 1:
        raise XliffError(f"unit {unit_id} has {len(segments)} segments: helpsite writes one "
                         "per unit; join the segments again before returning the file",
                         element.sourceline or 1)
    segment = segments[0]
    target = _inner_text(segment.find(f"{{{XLIFF2}}}target"))
    state = segment.get("state", "initial")
    notes = [(n.get("category", ""), n.text or "")
             for n in element.iterfind(f"{{{XLIFF2}}}notes/{{{XLIFF2}}}note")]
    return Unit(unit_id, _inner_text(segment.find(f"{{{XLIFF2}}}source")), target,
                confirmed=bool(target) and state in _CONFIRMED_2, notes=notes,
                record=_record_2(element), line=element.sourceline or 1)


def _file_date_2(element: etree._Element) -> str:
    path = (f"{{{MDA}}}metadata/{{{MDA}}}metaGroup[@category='{HELPSITE_CATEGORY}']/"
            f"{{{MDA}}}meta[@type='handoff-date']")
    meta = element.find(path)
    return (meta.text or "") if meta is not None else ""


def _read_2(root: etree._Element) -> Package:
    package = Package(_required(root, "srcLang"), _required(root, "trgLang"))
    for element in root.iterfind(f"{{{XLIFF2}}}file"):
        package_file = PackageFile(_required(element, "original"))
        package.date = package.date or _file_date_2(element)
        for unit in element.iter(f"{{{XLIFF2}}}unit"):  # units inside <group> too
            package_file.units.append(_read_unit_2(unit))
        package.files.append(package_file)
    return package


def _read_unit_12(element: etree._Element) -> Unit:
    unit_id = _required(element, "id")
    target_element = element.find(f"{{{XLIFF12}}}target")
    target = _inner_text(target_element)
    state = target_element.get("state") if target_element is not None else None
    approved = element.get("approved") == "yes"
    confirmed = bool(target) and (approved or state is None or state in _CONFIRMED_12)
    notes = [(n.get("from", ""), n.text or "") for n in element.iterfind(f"{{{XLIFF12}}}note")]
    record = {}
    for context in element.iterfind(
            f"{{{XLIFF12}}}context-group[@purpose='x-helpsite']/{{{XLIFF12}}}context"):
        record[context.get("context-type", "").removeprefix("x-")] = context.text or ""
    return Unit(unit_id, _inner_text(element.find(f"{{{XLIFF12}}}source")), target,
                confirmed=confirmed, notes=notes, record=record, line=element.sourceline or 1)


def _read_12(root: etree._Element) -> Package:
    files = root.findall(f"{{{XLIFF12}}}file")
    if not files:
        raise XliffError("the XLIFF 1.2 file has no <file> element", root.sourceline or 1)
    package = Package(_required(files[0], "source-language"),
                      files[0].get("target-language") or "")
    for element in files:
        package.target_language = package.target_language or element.get("target-language", "")
        package.date = package.date or (element.get("date") or "")[:10]
        package_file = PackageFile(_required(element, "original"))
        for unit in element.iter(f"{{{XLIFF12}}}trans-unit"):
            package_file.units.append(_read_unit_12(unit))
        package.files.append(package_file)
    if not package.target_language:
        raise XliffError("no <file> says its target-language", files[0].sourceline or 1)
    return package


def read_xliff(data: bytes) -> tuple[Package, str]:
    """The package in XLIFF ``data`` and its version; :class:`XliffError` when unreadable.

    External entities and DTDs are not loaded: a package comes from outside."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = error.position[0] if error.position else 1
        raise XliffError(f"not well-formed XML: {error.msg}", line) from error
    if root.getroottree().docinfo.doctype:  # entities could read files or expand hugely
        raise XliffError("the package has a DOCTYPE (a DTD or entities), which is refused: "
                         "XLIFF needs none; export it again without one", 1)
    namespace = etree.QName(root).namespace
    if etree.QName(root).localname != "xliff" or namespace not in (XLIFF2, XLIFF12):
        raise XliffError("the root element is not an XLIFF 2.0 or 1.2 <xliff>",
                         root.sourceline or 1)
    if namespace == XLIFF2:
        return _read_2(root), "2.0"
    return _read_12(root), "1.2"
