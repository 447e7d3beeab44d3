"""Merge a fresh POT into an existing PO catalog with nothing lost.

Every translation in the old catalog ends up in exactly one place of the new one:

* **active** - its msgid (and msgctxt) is still in the POT; comments and flags are kept;
  an obsolete (``#~``) entry whose source came back becomes active again;
* **fuzzy** - its source changed a little (a punctuation fix, a reworded phrase): the most
  similar new message takes the translation, flagged ``fuzzy`` and with the old source
  as ``#| msgid`` so the translator sees what changed (as ``msgmerge --previous`` does);
* **obsolete** - its source is gone: kept as a ``#~`` entry with its comments, ready to
  come back.

Only messages that never had a translation nor a translator comment are dropped. The
header is kept field by field; ``POT-Creation-Date`` and ``Project-Id-Version`` follow
the POT only when the messages changed, so an update without source changes writes the
same bytes.
"""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass, field

from babel.core import UnknownLocaleError
from babel.messages.plurals import get_plural

from helpsite.catalogs.pofile import Catalog, Entry
from helpsite.locales import sphinx_language

FOLLOW_POT_FIELDS = ("Project-Id-Version", "POT-Creation-Date")


@dataclass
class PageChanges:
    """What an update did to one catalog."""

    new: int = 0  # messages that appeared, untranslated
    fuzzy: int = 0  # translations kept for a changed source, now fuzzy
    obsolete: int = 0  # translations whose source is gone, kept as #~
    revived: int = 0  # obsolete translations whose source came back
    created: bool = False  # the PO file did not exist
    changed: bool = False  # the messages differ from the old catalog's

    def to_dict(self) -> dict[str, int | bool]:
        return {"new": self.new, "fuzzy": self.fuzzy, "obsolete": self.obsolete,
                "revived": self.revived, "created": self.created}


@dataclass
class MergeResult:
    catalog: Catalog
    changes: PageChanges = field(default_factory=PageChanges)


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _signature(entry: Entry) -> tuple[object, ...]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr,
            tuple(sorted(entry.msgstr_plural.items())), tuple(entry.translator_comments),
            tuple(entry.extracted_comments), tuple(entry.references), tuple(entry.flags),
            entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural,
            entry.obsolete)


def _has_work(entry: Entry) -> bool:
    """A translation or a translator's note: what must never be lost."""
    return any(entry.translations) or bool(entry.translator_comments)


def _from_pot(pot_entry: Entry) -> Entry:
    return Entry(
        msgid=pot_entry.msgid, msgctxt=pot_entry.msgctxt, msgid_plural=pot_entry.msgid_plural,
        msgstr_plural={0: "", 1: ""} if pot_entry.msgid_plural is not None else {},
        references=list(pot_entry.references),
        extracted_comments=list(pot_entry.extracted_comments),
        flags=[f for f in pot_entry.flags if f != "fuzzy"],
    )


def _take_translation(target: Entry, old: Entry) -> None:
    target.translator_comments = list(old.translator_comments)
    for flag in old.flags:
        if flag not in target.flags:
            target.flags.append(flag)
    if target.msgid_plural is None:
        target.msgstr = old.msgstr if old.msgid_plural is None else old.msgstr_plural.get(0, "")
    elif old.msgid_plural is not None:
        target.msgstr_plural = dict(old.msgstr_plural)
    else:
        target.msgstr_plural = {0: old.msgstr, 1: ""}


def _carry_exact(pot_entry: Entry, old: Entry) -> Entry:
    entry = _from_pot(pot_entry)
    _take_translation(entry, old)
    if old.fuzzy:
        entry.previous_msgctxt = old.previous_msgctxt
        entry.previous_msgid = old.previous_msgid
        entry.previous_msgid_plural = old.previous_msgid_plural
    return entry


def _carry_fuzzy(pot_entry: Entry, old: Entry) -> Entry:
    entry = _from_pot(pot_entry)
    _take_translation(entry, old)
    entry.set_fuzzy(True)
    if old.fuzzy and old.previous_msgid is not None:
        # The translation still matches the oldest source it was made for.
        entry.previous_msgctxt = old.previous_msgctxt
        entry.previous_msgid = old.previous_msgid
        entry.previous_msgid_plural = old.previous_msgid_plural
    else:
        entry.previous_msgctxt = old.msgctxt
        entry.previous_msgid = old.msgid
        entry.previous_msgid_plural = old.msgid_plural
    return entry


def _to_obsolete(old: Entry) -> Entry:
    entry = copy.deepcopy(old)
    entry.obsolete = True
    entry.references = []
    entry.extracted_comments = []
    entry.msgstr_pos = None
    return entry


SHORT_MESSAGE = 20
SHORT_MESSAGE_THRESHOLD = 0.8


def _threshold_for(new: str, old: str, threshold: float) -> float:
    """Short messages need a closer match: "Delta" is not a changed "Beta"."""
    if min(len(new), len(old)) < SHORT_MESSAGE:
        return max(threshold, SHORT_MESSAGE_THRESHOLD)
    return threshold


def fuzzy_pairs(pot_entries: list[tuple[int, Entry]], candidates: list[Entry],
                threshold: float) -> dict[int, Entry]:
    """Best one-to-one pairing of new messages with unused old translations."""
    scored: list[tuple[float, int, int]] = []
    for pot_index, pot_entry in pot_entries:
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(pot_entry.msgid)
        for cand_index, old in enumerate(candidates):
            if old.msgctxt != pot_entry.msgctxt:
                continue
            matcher.set_seq1(old.msgid)
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= _threshold_for(pot_entry.msgid, old.msgid, threshold):
                scored.append((-ratio, pot_index, cand_index))
    pairs: dict[int, Entry] = {}
    used: set[int] = set()
    for _ratio, pot_index, cand_index in sorted(scored):
        if pot_index in pairs or cand_index in used:
            continue
        pairs[pot_index] = candidates[cand_index]
        used.add(cand_index)
    return pairs


def _new_header(pot: Catalog, locale: str) -> Catalog:
    catalog = Catalog(header_comments=list(pot.header_comments),
                      header_flags=[f for f in pot.header_flags if f != "fuzzy"],
                      header=list(pot.header))
    language = sphinx_language(locale)
    catalog.set_header("Language", language)
    plural = _plural_forms(language)
    if plural:
        catalog.set_header("Plural-Forms", plural)
    return catalog


def _complete_header(catalog: Catalog, locale: str) -> bool:
    """Give a catalog written without ``Plural-Forms`` (by hand, or by another tool) the
    one for its language, as a new catalog gets; True when the header changed. Its
    messages are not touched, and the template's dates do not follow."""
    if catalog.header_value("Plural-Forms") is not None:
        return False
    plural = _plural_forms(catalog.header_value("Language") or sphinx_language(locale))
    if plural is None:
        return False
    catalog.set_header("Plural-Forms", plural)
    return True


def _plural_forms(language: str) -> str | None:
    """The ``Plural-Forms`` header for ``language`` from Babel's CLDR data (as msginit)."""
    try:
        rule = get_plural(language)
    except (ValueError, UnknownLocaleError):
        return None
    return f"nplurals={rule.num_plurals}; plural={rule.plural_expr};"


def merge_catalog(old: Catalog | None, pot: Catalog, *, locale: str,
                  threshold: float = 0.6) -> MergeResult:
    """The updated catalog for ``pot``, keeping every translation of ``old``."""
    changes = PageChanges(created=old is None)
    old = old or Catalog()
    active = {e.key: e for e in old.entries if not e.obsolete}
    obsolete = {e.key: e for e in old.entries if e.obsolete}
    used: set[int] = set()
    merged: list[Entry | None] = []
    unmatched: list[tuple[int, Entry]] = []
    for index, pot_entry in enumerate(pot.active):
        previous = active.get(pot_entry.key) or obsolete.get(pot_entry.key)
        if previous is None:
            merged.append(None)
            unmatched.append((index, pot_entry))
            continue
        used.add(id(previous))
        if previous.obsolete and _has_work(previous):
            changes.revived += 1
        merged.append(_carry_exact(pot_entry, previous))
    candidates = [e for e in old.entries if id(e) not in used and any(e.translations)]
    pairs = fuzzy_pairs(unmatched, candidates, threshold)
    for index, pot_entry in unmatched:
        if index in pairs:
            used.add(id(pairs[index]))
            merged[index] = _carry_fuzzy(pot_entry, pairs[index])
            changes.fuzzy += 1
        else:
            merged[index] = _from_pot(pot_entry)
            changes.new += 1
    leftovers = [e for e in old.entries if id(e) not in used and _has_work(e)]
    changes.obsolete = sum(not e.obsolete for e in leftovers)
    result = Catalog(list(old.header_comments), list(old.header_flags), list(old.header),
                     path=old.path) if old.header else _new_header(pot, locale)
    completed = bool(old.header) and _complete_header(result, locale)
    result.entries = [e for e in merged if e is not None] + [_to_obsolete(e) for e in leftovers]
    messages_changed = changes.created or (
        [_signature(e) for e in result.entries] != [_signature(e) for e in old.entries])
    changes.changed = messages_changed or completed
    if messages_changed:
        for name in FOLLOW_POT_FIELDS:
            value = pot.header_value(name)
            if value is not None:
                result.set_header(name, value)
    return MergeResult(result, changes)


def is_complete(catalog: Catalog) -> bool:
    """Every message translated and none fuzzy (the moment staleness is measured from)."""
    active = catalog.active
    return bool(active) and all(e.translated and not e.fuzzy for e in active)
