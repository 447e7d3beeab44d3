"""The ``Plural-Forms`` header against the language's CLDR plural rules.

gettext picks a plural translation by evaluating the header's C expression for ``n``; a
formula that disagrees with the language shows readers the wrong form (the Arabic
"11 files" sentence for 100 files). The expected rule is Babel's gettext form of the CLDR
data (:func:`babel.messages.plurals.get_plural`, what ``pybabel init`` writes), compared
by what the two formulas pick for every ``n`` in 0..200, so ``n%100>=11`` and
``n%100>=11 && n%100<=99`` are the same rule. The header's formula is evaluated as Python's
``gettext`` (and so Sphinx) evaluates it: :func:`gettext.c2py`, which accepts only
``n``, numbers and C operators.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable

from babel import Locale, UnknownLocaleError
from babel.messages.plurals import PLURALS, get_plural

from helpsite.catalogs.pofile import Catalog
from helpsite.findings import Code, Finding
from helpsite.locales import sphinx_language

CHECKED_RANGE = range(201)  # every residue of n % 100 and n % 10, twice over
_HEADER = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.S)


def expected_plural_forms(language: str) -> tuple[int, str] | None:
    """(nplurals, formula) from Babel's CLDR data, or None when Babel has no rule of its
    own for the language (its default ``(n != 1)`` is a guess, not a rule to enforce)."""
    try:
        locale = Locale.parse(sphinx_language(language))
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    if str(locale) not in PLURALS and locale.language not in PLURALS:
        return None
    rule = get_plural(locale)
    return rule.num_plurals, rule.plural_expr


def header_line_for(nplurals: int, formula: str) -> str:
    return f"Plural-Forms: nplurals={nplurals}; plural={formula};"


def _compile(formula: str) -> Callable[[int], int] | str:
    """The formula as a function of n, or why it cannot be evaluated."""
    try:
        return gettext.c2py(formula)
    except (ValueError, SyntaxError, RecursionError) as error:
        return str(error) or "not a C expression of n"


def _picks(function: Callable[[int], int]) -> list[int | str]:
    picks: list[int | str] = []
    for n in CHECKED_RANGE:
        try:
            picks.append(function(n))
        except ArithmeticError:
            picks.append("an error (division by zero)")
    return picks


def plural_forms_problem(value: str, language: str) -> str | None:
    """Why the ``Plural-Forms`` value ``value`` is wrong for ``language`` (None: fine)."""
    expected = expected_plural_forms(language)
    fix = f"; use '{header_line_for(*expected)}'" if expected else ""
    match = _HEADER.match(value)
    if match is None:
        return f"'Plural-Forms: {value}' is not 'nplurals=N; plural=EXPRESSION;'{fix}"
    nplurals, formula = int(match.group(1)), match.group(2)
    function = _compile(formula)
    if isinstance(function, str):
        return f"the plural formula cannot be evaluated ({function}){fix}"
    picks = _picks(function)
    beyond = next((n for n, form in zip(CHECKED_RANGE, picks, strict=True)
                   if not isinstance(form, int) or not 0 <= form < nplurals), None)
    if beyond is not None:
        return (f"for n = {beyond} the formula gives {picks[beyond]}, not a form between 0 "
                f"and nplurals-1 = {nplurals - 1}{fix}")
    if expected is None:
        return None
    if nplurals != expected[0]:
        return f"nplurals={nplurals}, but {language} has {expected[0]} plural forms{fix}"
    wanted = _picks(gettext.c2py(expected[1]))
    wrong = [n for n, mine, theirs in zip(CHECKED_RANGE, picks, wanted, strict=True)
             if mine != theirs]
    if not wrong:
        return None
    first = wrong[0]
    more = f" (and for {len(wrong) - 1} more n up to 200)" if len(wrong) > 1 else ""
    return (f"for n = {first} the formula picks form {picks[first]} where CLDR's rule for "
            f"{language} picks form {wanted[first]}{more}: readers would see the wrong "
            f"plural{fix}")


def check_plural_forms(catalog: Catalog, language: str, display: str) -> list[Finding]:
    """A ``po.plural-forms`` finding when the header's rule is not the language's."""
    value = catalog.header_value("Plural-Forms")
    if value is None:
        return []
    problem = plural_forms_problem(value, language)
    if problem is None:
        return []
    line = catalog.header_lines.get("plural-forms", catalog.header_line)
    return [Finding.of(Code.PO_PLURAL_FORMS, display, line, 1, problem)]
