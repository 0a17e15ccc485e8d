"""Words as the consistency checks compare them: stems, content words, name tokens, numbers.

Two passages are compared on their content words (stop words out, crude stems,
related words folded to one concept) and two names on their name tokens
(lower case, singular, link words out); :func:`similar_names` is the test for
one body written two ways.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence

STOP_WORDS = frozenset(
    "a an the of for and or to in on at by with from into as is are be been being this that these those it its "
    "their they them we our us which who whom whose will would shall should can could may might must have has had "
    "do does did not no any all both each other such than then there here so also including include includes "
    "through via within without between across over under up per where when while what how how about".split()
)
_NAME_LINKS = frozenset("of for and the on in &".split())
_LEADING = frozenset(
    "the a an all both each any this these those our their its in on by with under given although while once "
    "if as at from and or but however additionally".split()
)
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}
# A number in digits or words, as a regex fragment.
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+|" + "|".join(_NUMBER_WORDS) + r")"
WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")
# Words that say something was signed; a summary's sentence with one names signatories, not claims.
SIGNING = re.compile(r"\bsign(?:s|ed|ing|atory|atories)?\b", re.I)
# Words the agreements in this field use for one idea; matching folds each to its first word.
_RELATED = (
    ("money", "fund", "funding", "funds", "cash", "money", "monies", "budget", "budgets", "grant", "grants"),
    ("finance", "financial", "finances", "fiscal", "deficit", "deficits", "recovery", "balance", "surplus"),
    ("estate", "estates", "asset", "assets", "land", "property"),
    ("regulation", "regulation", "regulate", "regulatory", "regulator", "inspection", "registration", "licensing",
     "licence", "license"),
    ("workforce", "workforce", "staff", "staffing"),
    ("employment", "employment", "jobs", "job", "unemployed", "labour"),
    ("devolve", "devolve", "devolving", "devolved", "devolution"),
)
_CONCEPT = {w: group[0] for group in _RELATED for w in group[1:]}


def _without_possessive(w: str) -> str:
    """The word without a final "'s" or "'" (string tests: this runs on every word of a corpus)."""
    if w.endswith("'s"):
        return w[:-2]
    return w[:-1] if w.endswith("'") else w


def singular(word: str) -> str:
    """The word in lower case, without a possessive, and singular when it looks plural."""
    w = _without_possessive(word.lower().replace("’", "'"))
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def stem(word: str) -> str:
    """A crude stem: plural, possessive and common suffixes off, related words folded together."""
    w = _without_possessive(word.lower().replace("’", "'"))
    if w in _CONCEPT:
        return _CONCEPT[w]
    w = singular(w)
    if w in _CONCEPT:
        return _CONCEPT[w]
    for suffix in ("ational", "ations", "ation", "tions", "tion", "ments", "ment", "ings", "ing", "ions", "ion",
                   "ised", "ized", "ise", "ize", "ate", "ed", "er", "al", "ly"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)]
            if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "aeiouls":  # committ -> commit
                w = w[:-1]
            break
    return w[:-1] if w.endswith("e") and len(w) > 4 else w


def content_words(text: str) -> list[str]:
    """The stems of the text's words that carry meaning, in order (stop words and single letters out)."""
    words = (part for w in WORD.findall(text) for part in w.split("-"))
    return [stem(w) for w in words if w.lower() not in STOP_WORDS and len(w) > 1]


_NAME_SPLIT = re.compile(r"[\s/]+")


@functools.lru_cache(maxsize=1 << 16)  # the same names recur in every document
def name_tokens(name: str) -> tuple[str, ...]:
    """A name's words for comparing names: lower case, singular, link words out."""
    words = [w for w in _NAME_SPLIT.split(name) if w]
    while words and words[0].lower() in _LEADING:
        words.pop(0)
    bare = (w.strip("'’‘\"“”(),.;:") for w in words if w.lower() not in _NAME_LINKS)
    return tuple(singular(w) for w in bare if w)


def title_case(name: str) -> bool:
    """True when a name of two or more words is written with capitals (and not all in capitals)."""
    words = [w for w in name.split() if w.lower() not in _NAME_LINKS]
    return len(words) >= 2 and all(w[:1].isupper() for w in words) and not all(w.isupper() for w in words)


def _contiguous(short: Sequence[str], long: Sequence[str]) -> bool:
    n = len(short)
    return any(tuple(long[i : i + n]) == tuple(short) for i in range(len(long) - n + 1))


def similar_names(a: str, b: str) -> bool:
    """True when two names look like one body written two ways.

    They share their head noun and at least two other words, differ by at most
    one word on each side (or only in word order), and neither is just the other
    with words before or after it ("Clinical Commissioning Groups" in "London
    Clinical Commissioning Groups"). Case, plurals, "the" and link words
    ("and", "of") do not count.

    Example: "Work and Health Unit" and "Joint Health and Work Unit" are similar;
    "London Health Board" and "London Health Commission" are not.
    """
    return variant(name_tokens(a), name_tokens(b))


def variant(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two names (as :func:`name_tokens`) close enough to be one body written two ways, not one's longer form."""
    # The cheap tests first: a phrase is compared with every name of its head noun.
    if a == b or len(a) < 2 or len(b) < 2 or a[-1] != b[-1] or _other_place(a, b):
        return False
    sa, sb = set(a), set(b)
    if len(sa & sb) < 2 or len(sa ^ sb) > 2 or len(sa - sb) > 1 or len(sb - sa) > 1:
        return False
    return not (_contiguous(a, b) or _contiguous(b, a))


def _other_place(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """True when two names differ only in their first word, and not as a misspelling of it.

    "Holford District Council" and "Ockwell District Council" are two councils
    of one kind: a public body's name puts its place or qualifier first. A
    slip ("Holfrod District Council") still counts as a variant.
    """
    return len(a) == len(b) and a[1:] == b[1:] and not _misspelt(a[0], b[0])


@functools.lru_cache(maxsize=1 << 16)
def _misspelt(a: str, b: str) -> bool:
    """True when one word looks like a slip for the other (difflib's similarity of 0.8 or more)."""
    # The cheap upper bounds first: most pairs of place names fail them.
    m = difflib.SequenceMatcher(None, a, b)
    return m.real_quick_ratio() >= 0.8 and m.quick_ratio() >= 0.8 and m.ratio() >= 0.8


def number(token: str) -> int | None:
    """The value of a number written in digits ("1,200") or words ("five"), or None."""
    t = token.lower().replace(",", "")
    if t in _NUMBER_WORDS:
        return _NUMBER_WORDS[t]
    return int(t) if t.isdigit() else None
