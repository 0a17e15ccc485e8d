"""Compare two drafts commitment by commitment: what was added, removed and changed.

Each side (a document, or a folder of documents) is built into its own graph
and read back as commitment records, so the comparison sees what the graph
holds. Commitments are paired by what they say, not by their IRIs or where
their section stands: normalised wording (word sequence and word overlap),
with owners, document and section as tie-breakers, paired greedily from the
best score down. A paired commitment is changed when any field differs, and
each change is named:

- modality weakened or strengthened (commitment > intention > exploration > aspiration);
- owner or counterpart changed;
- deadline moved, added or dropped; condition added, dropped or reworded;
- governance route dropped, added or changed (stated, or inferred);
- reciprocal link lost or added (compared through the pairing);
- moved to another section, or its section's heading reworded;
- reworded (only when nothing else changed).

Renderings: plain text, JSON and a self-contained HTML page with both quotes
side by side. ``exit_code`` is 1 when anything changed, for review pipelines.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from importlib.resources import files
from pathlib import Path
from string import Template

from graph.records import commitment_records
from graph.store import GraphStore

MODALITY_RANK = {"commitment": 4, "intention": 3, "exploration": 2, "aspiration": 1}
FORMATS = ("text", "json", "html")
THRESHOLD = 0.5  # least wording similarity for two commitments to be one commitment redrafted
_STATUS_ORDER = {"changed": 0, "removed": 1, "added": 2}
_TOKEN = re.compile(r"[a-z0-9]+")
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                       "\u00a0": " "})
_TEXTS = """SELECT ?file ?text WHERE {
  ?a a obl:Agreement ; obl:fileName ?file ; obl:sourceText ?t . ?t rdf:value ?text
}"""


@dataclass(frozen=True)
class Change:
    """One named difference between a commitment and its redraft.

    Attributes:
        field: ``modality``, ``owners``, ``counterparts``, ``deadlines``, ``conditions``,
            ``governance``, ``reciprocal``, ``section`` or ``wording``.
        kind: ``weakened``, ``strengthened``, ``changed``, ``moved``, ``renamed``, ``added``,
            ``dropped``, ``lost`` or ``reworded``.
        old: The old values (empty when added).
        new: The new values (empty when dropped).
        message: The change in plain English.
    """

    field: str
    kind: str
    old: tuple[str, ...]
    new: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Entry:
    """A commitment added, removed or changed between the drafts.

    Attributes:
        status: ``added``, ``removed`` or ``changed``.
        old: The commitment record in the old draft (with ``line``), or None when added.
        new: The commitment record in the new draft (with ``line``), or None when removed.
        similarity: How alike the two wordings are, 0 to 1, for a changed commitment.
        changes: What changed, for a changed commitment.
    """

    status: str
    old: dict | None
    new: dict | None
    similarity: float | None = None
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class Diff:
    """The commitment-level comparison of two drafts.

    Attributes:
        entries: Added, removed and changed commitments, in reading order of the new draft.
        unchanged: How many commitments are the same in both.
        old_label: What the old side is (its paths).
        new_label: What the new side is.
        old_count: Commitments in the old draft.
        new_count: Commitments in the new draft.
        pairs: Old commitment ID -> new commitment ID, for every pairing (changed or not).
    """

    entries: tuple[Entry, ...]
    unchanged: int
    old_label: str = "old"
    new_label: str = "new"
    old_count: int = 0
    new_count: int = 0
    pairs: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def changed(self) -> bool:
        """True when anything was added, removed or changed."""
        return bool(self.entries)

    def counts(self) -> dict[str, int]:
        """How many commitments were added, removed, changed and left unchanged."""
        c = {s: sum(e.status == s for e in self.entries) for s in ("added", "removed", "changed")}
        c["unchanged"] = self.unchanged
        return c

    def summary(self) -> str:
        """One line: the counts."""
        c = self.counts()
        if not self.changed:
            if not self.unchanged:
                return "No changes: neither draft makes a commitment."
            return f"No changes: all {self.unchanged} commitments are the same in both drafts."
        return (f"{c['added']} added, {c['removed']} removed, {c['changed']} changed, "
                f"{c['unchanged']} unchanged.")

    def render(self, fmt: str = "text") -> str:
        """The comparison as ``text``, ``json`` or ``html``.

        Raises:
            ValueError: for another format.
        """
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        return {"text": self.to_text, "json": self.to_json, "html": self.to_html}[fmt]()

    # --- renderers --------------------------------------------------------------
    def to_text(self) -> str:
        """Plain English, one block per commitment, both quotes with their places."""
        out = [
            "obligraph diff: " + self.summary(),
            f"old: {self.old_label} ({self.old_count} commitments)",
            f"new: {self.new_label} ({self.new_count} commitments)",
        ]
        for e in self.entries:
            rec = e.new or e.old
            out += ["", f"{e.status.upper()}: {rec.get('section') or '(no section)'}"]
            for c in e.changes:
                out.append(f"  - {c.message}")
            if e.old:
                out.append(f"  old ({_where(e.old)}): \"{_flat(e.old['text'])}\"")
            if e.new:
                out.append(f"  new ({_where(e.new)}): \"{_flat(e.new['text'])}\"")
        return "\n".join(out) + "\n"

    def to_json(self) -> str:
        """Machine-readable: sides, counts and every entry with its named changes."""
        data = {
            "changed": self.changed,
            "old": {"label": self.old_label, "commitments": self.old_count},
            "new": {"label": self.new_label, "commitments": self.new_count},
            "counts": self.counts(),
            "entries": [
                {
                    "status": e.status,
                    "similarity": None if e.similarity is None else round(e.similarity, 3),
                    "changes": [asdict(c) for c in e.changes],
                    "old": e.old,
                    "new": e.new,
                }
                for e in self.entries
            ],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    def to_html(self) -> str:
        """A self-contained page: each commitment's old and new wording side by side.

        Every string from a document is escaped; the page has no scripts and loads nothing.
        """
        esc = _esc
        c = self.counts()
        counts = "".join(
            f'<div class="count st-{s}"><span class="n">{c[s]}</span> {s}</div>'
            for s in ("added", "removed", "changed", "unchanged")
        )
        body = [_html_entry(e) for e in self.entries]
        if not body:
            body.append('<p class="none">No changes: the two drafts make the same commitments.</p>')
        page = Template(files("graph").joinpath("templates", "diff.html").read_text(encoding="utf-8"))
        return page.substitute(
            verdict=esc(self.summary()),
            verdict_class="fail" if self.changed else "pass",
            counts=counts,
            old_label=esc(self.old_label),
            new_label=esc(self.new_label),
            old_count=self.old_count,
            new_count=self.new_count,
            body="\n".join(body),
        )


def exit_code(diff: Diff) -> int:
    """The exit status of ``obligraph diff``: 1 when anything changed, else 0."""
    return int(diff.changed)


# --- comparing ----------------------------------------------------------------------
def diff_paths(
    old: Sequence[str | Path],
    new: Sequence[str | Path],
    nlp=None,
    register_files: Sequence[Path] = (),
    model: str | None = None,
) -> Diff:
    """Build both drafts in memory (loading the model once) and compare them.

    Args:
        old: Files or folders of the old draft.
        new: Files or folders of the new draft.
        nlp: An already loaded pipeline; else ``model`` (or the default) is loaded.
        register_files: Extra party registers, used for both sides.
        model: spaCy model name.

    Returns:
        The comparison.

    Raises:
        InputError, RegisterError, ModelError: when a side cannot be read.
    """
    from graph.extract import load_nlp
    from graph.pipeline import build_memory

    nlp = nlp or load_nlp(model)
    before = build_memory(list(old), nlp=nlp, register_files=register_files)
    after = build_memory(list(new), nlp=nlp, register_files=register_files)
    return diff_stores(before, after, _label(old), _label(new))


def diff_stores(old: GraphStore, new: GraphStore, old_label: str = "old", new_label: str = "new") -> Diff:
    """Compare the commitments of two graphs.

    Args:
        old: The graph of the old draft.
        new: The graph of the new draft.
        old_label: What to call the old side in the output.
        new_label: What to call the new side.

    Returns:
        The comparison, each record carrying the ``line`` its text starts on.
    """
    return compare(_with_lines(old), _with_lines(new), old_label, new_label)


def compare(old: list[dict], new: list[dict], old_label: str = "old", new_label: str = "new") -> Diff:
    """Compare two lists of commitment records (``records.commitment_records``).

    Args:
        old: Records of the old draft.
        new: Records of the new draft.
        old_label: What to call the old side.
        new_label: What to call the new side.

    Returns:
        The comparison.
    """
    pairs = match(old, new)
    new_of = {old[i]["id"]: new[j]["id"] for i, j, _ in pairs}
    old_id = {r["id"]: r for r in old}
    new_id = {r["id"]: r for r in new}
    entries: list[tuple[tuple, Entry]] = []
    unchanged = 0
    paired_new = {j for _, j, _ in pairs}
    position = {j: (new[j]["document"], new[j]["start"], 0) for j in range(len(new))}
    renamed = _renamed_sections(old, new, pairs)
    for i, j, score in pairs:
        changes = changes_between(old[i], new[j], new_of, old_id, new_id, renamed)
        if changes:
            entries.append((position[j], Entry("changed", old[i], new[j], score, tuple(changes))))
        else:
            unchanged += 1
    # A removed commitment is shown where it stood: after the last paired commitment before it.
    after = {i: j for i, j, _ in pairs}
    last = (new[0]["document"], -1, 0) if new else ("", -1, 0)
    for i, rec in enumerate(old):
        if i in after:
            last = position[after[i]]
        else:
            entries.append(((last[0], last[1], 1 + i / 1e6), Entry("removed", rec, None)))
    for j, rec in enumerate(new):
        if j not in paired_new:
            entries.append((position[j], Entry("added", None, rec)))
    entries.sort(key=lambda kv: (kv[0], _STATUS_ORDER[kv[1].status]))
    return Diff(tuple(e for _, e in entries), unchanged, old_label, new_label, len(old), len(new), new_of)


def match(old: list[dict], new: list[dict], threshold: float = THRESHOLD) -> list[tuple[int, int, float]]:
    """Pair old commitments with their redrafts, best pairs first.

    Identical wording with identical owners pairs first; the rest pair greedily
    by wording similarity (above ``threshold``), with owners, document and
    section breaking ties. Section order and IRIs play no part.

    Returns:
        ``(old index, new index, similarity)`` for each pair.
    """
    toks_old = [_tokens(r["text"]) for r in old]
    toks_new = [_tokens(r["text"]) for r in new]
    pairs: list[tuple[int, int, float]] = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    exact: dict[tuple, list[int]] = {}
    for j, r in enumerate(new):
        exact.setdefault((tuple(toks_new[j]), tuple(sorted(r["owners"]))), []).append(j)
    for i, r in enumerate(old):
        bucket = exact.get((tuple(toks_old[i]), tuple(sorted(r["owners"]))))
        if bucket:
            j = _closest(bucket, old[i], new)
            bucket.remove(j)
            pairs.append((i, j, 1.0))
            used_old.add(i)
            used_new.add(j)
    sets_new = [set(t) for t in toks_new]
    candidates = []
    for i in range(len(old)):
        if i in used_old:
            continue
        a = set(toks_old[i])
        for j in range(len(new)):
            if j in used_new:
                continue
            b = sets_new[j]
            if not a or not b or len(a & b) / len(a | b) < 0.2:
                continue
            score = similarity(toks_old[i], toks_new[j])
            if score < threshold:
                continue
            bonus = 0.05 * (sorted(old[i]["owners"]) == sorted(new[j]["owners"]))
            bonus += 0.02 * (old[i]["document"] == new[j]["document"])
            bonus += 0.02 * (_norm(old[i].get("section")) == _norm(new[j].get("section")))
            candidates.append((score + bonus, score, i, j))
    for _, score, i, j in sorted(candidates, key=lambda c: (-c[0], c[2], c[3])):
        if i in used_old or j in used_new:
            continue
        pairs.append((i, j, score))
        used_old.add(i)
        used_new.add(j)
    return sorted(pairs)


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """How alike two wordings are, 0 to 1: word order (difflib ratio) and word overlap (Jaccard)."""
    if not a and not b:
        return 1.0
    sa, sb = set(a), set(b)
    overlap = len(sa & sb) / len(sa | sb) if sa | sb else 0.0
    return 0.6 * SequenceMatcher(None, list(a), list(b), autojunk=False).ratio() + 0.4 * overlap


def changes_between(
    old: dict, new: dict, new_of: dict[str, str], old_id: dict, new_id: dict, renamed: dict[str, str] | None = None
) -> list[Change]:
    """Every named difference between a commitment and its redraft.

    Args:
        old: The old record.
        new: The new record.
        new_of: The pairing, old commitment ID -> new commitment ID.
        old_id: Old records by ID (for quoting lost reciprocal links).
        new_id: New records by ID.
        renamed: Old section title -> new title, for sections whose heading was reworded.
    """
    out: list[Change] = []
    a, b = old["modality"], new["modality"]
    if a != b:
        kind = "weakened" if MODALITY_RANK[b] < MODALITY_RANK[a] else "strengthened"
        out.append(Change("modality", kind, (a,), (b,), f"modality {kind}: {a} -> {b}"))
    for fld, word in (("owners", "owner"), ("counterparts", "counterpart")):
        oa, ob = sorted(set(old[fld])), sorted(set(new[fld]))
        if oa != ob:
            out.append(Change(fld, "changed", tuple(oa), tuple(ob),
                              f"{word} changed: {_list(oa)} -> {_list(ob)}"))
    out += _deadline_changes(old["deadlines"], new["deadlines"])
    out += _condition_changes(old["conditions"], new["conditions"])
    out += _governance_changes(old["governance"], new["governance"])
    out += _reciprocal_changes(old, new, new_of, old_id, new_id)
    if _norm(old.get("section")) != _norm(new.get("section")):
        a, b = old.get("section") or "", new.get("section") or ""
        if (renamed or {}).get(_norm(a)) == _norm(b):
            out.append(Change("section", "renamed", (a,), (b,), f"its section's heading changed: \"{a}\" -> \"{b}\""))
        else:
            out.append(Change("section", "moved", (a,), (b,), f"moved from section \"{a or '(none)'}\" to \"{b or '(none)'}\""))
    if not out and _tokens(old["text"]) != _tokens(new["text"]):
        out.append(Change("wording", "reworded", (_flat(old["text"]),), (_flat(new["text"]),), "reworded"))
    return out


def _renamed_sections(old: list[dict], new: list[dict], pairs) -> dict[str, str]:
    """Sections whose heading was reworded: every commitment went to one new title that was not there before."""
    went: dict[str, set[str]] = {}
    for i, j, _ in pairs:
        went.setdefault(_norm(old[i].get("section")), set()).add(_norm(new[j].get("section")))
    before = {_norm(r.get("section")) for r in old}
    after = {_norm(r.get("section")) for r in new}
    return {a: next(iter(b)) for a, b in went.items()
            if a and len(b) == 1 and a not in after and next(iter(b)) not in before}


def _deadline_changes(old: list[str], new: list[str]) -> list[Change]:
    gone = [d for d in old if _norm(d) not in {_norm(x) for x in new}]
    came = [d for d in new if _norm(d) not in {_norm(x) for x in old}]
    out = []
    for a, b in zip(gone, came):
        out.append(Change("deadlines", "moved", (a,), (b,), f"deadline moved: \"{a}\" -> \"{b}\""))
    for a in gone[len(came):]:
        out.append(Change("deadlines", "dropped", (a,), (), f"deadline dropped: \"{a}\""))
    for b in came[len(gone):]:
        out.append(Change("deadlines", "added", (), (b,), f"deadline added: \"{b}\""))
    return out


def _condition_changes(old: list[str], new: list[str]) -> list[Change]:
    gone = [c for c in old if _norm(c) not in {_norm(x) for x in new}]
    came = [c for c in new if _norm(c) not in {_norm(x) for x in old}]
    out = []
    for a in list(gone):
        best = max(came, key=lambda b: similarity(_tokens(a), _tokens(b)), default=None)
        if best is not None and similarity(_tokens(a), _tokens(best)) >= 0.6:
            out.append(Change("conditions", "reworded", (a,), (best,), f"condition reworded: \"{a}\" -> \"{best}\""))
            gone.remove(a)
            came.remove(best)
    out += [Change("conditions", "dropped", (a,), (), f"condition dropped: \"{a}\"") for a in gone]
    out += [Change("conditions", "added", (), (b,), f"condition added: \"{b}\"") for b in came]
    return out


def _governance_changes(old: list[dict], new: list[dict]) -> list[Change]:
    stated_a = sorted(g["body"] for g in old if not g["inferred"])
    stated_b = sorted(g["body"] for g in new if not g["inferred"])
    inferred_a = sorted(g["body"] for g in old if g["inferred"])
    inferred_b = sorted(g["body"] for g in new if g["inferred"])
    show = lambda gs: tuple(g["body"] + (" (inferred)" if g["inferred"] else "") for g in gs)  # noqa: E731
    if stated_a != stated_b:
        if stated_a and not stated_b:
            after = f" (now only the agreement-wide {_list(inferred_b)}, inferred)" if inferred_b else ""
            return [Change("governance", "dropped", show(old), show(new),
                           f"governance route dropped: {_list(stated_a)}{after}")]
        if stated_b and not stated_a:
            return [Change("governance", "added", show(old), show(new), f"governance route added: {_list(stated_b)}")]
        return [Change("governance", "changed", show(old), show(new),
                       f"governance route changed: {_list(stated_a)} -> {_list(stated_b)}")]
    if inferred_a != inferred_b:
        return [Change("governance", "changed", show(old), show(new),
                       f"inferred governance changed: {_list(inferred_a)} -> {_list(inferred_b)}")]
    return []


def _reciprocal_changes(old: dict, new: dict, new_of: dict, old_id: dict, new_id: dict) -> list[Change]:
    mapped = {t: new_of.get(t) for t in old["reciprocal_of"]}
    now = set(new["reciprocal_of"])
    lost = [t for t, m in mapped.items() if m is None or m not in now]
    gained = [t for t in new["reciprocal_of"] if t not in set(mapped.values())]
    out = []
    if lost:
        quotes = tuple(_flat(old_id[t]["text"]) if t in old_id else t for t in lost)
        said = "; ".join(f"\"{_cut(q)}\"" for q in quotes)
        out.append(Change("reciprocal", "lost", quotes, (), f"reciprocal link lost: no longer the return for {said}"))
    if gained:
        quotes = tuple(_flat(new_id[t]["text"]) if t in new_id else t for t in gained)
        said = "; ".join(f"\"{_cut(q)}\"" for q in quotes)
        out.append(Change("reciprocal", "added", (), quotes, f"reciprocal link added: now the return for {said}"))
    return out


# --- helpers ------------------------------------------------------------------------
def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.translate(_FOLD).lower())


def _norm(text: str | None) -> str:
    return " ".join(_tokens(text or ""))


def _closest(bucket: list[int], rec: dict, new: list[dict]) -> int:
    """Among identical candidates, the one in the same document and section, else the first."""
    for j in bucket:
        if new[j]["document"] == rec["document"] and _norm(new[j].get("section")) == _norm(rec.get("section")):
            return j
    return bucket[0]


def _with_lines(store: GraphStore) -> list[dict]:
    texts = {str(r["file"]): str(r["text"]) for r in store.select(_TEXTS)}
    out = []
    for r in commitment_records(store):
        text = texts.get(r["document"], "")
        out.append({**r, "line": text.count("\n", 0, r["start"]) + 1 if text else None})
    return out


def _label(paths: Sequence[str | Path]) -> str:
    return ", ".join(str(p) for p in paths)


def _list(items: Sequence[str]) -> str:
    return ", ".join(items) if items else "(none)"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _cut(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _where(rec: dict) -> str:
    line = f", line {rec['line']}" if rec.get("line") else ""
    return f"{rec['document']}{line}, characters {rec['start']}-{rec['end']}"


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


_PIECE = re.compile(r"\s+|\w+|[^\w\s]")


def _marked(old: str, new: str) -> tuple[str, str]:
    """Both wordings as HTML, words only in the old one in <del>, only in the new one in <ins>.

    A space between two changed words belongs to the change, so "commit to" ->
    "will explore" is marked as one phrase, not word by word.
    """
    a, b = _PIECE.findall(old), _PIECE.findall(new)
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    runs: list[list] = []  # [changed?, i1, i2, j1, j2]
    for k, (op, i1, i2, j1, j2) in enumerate(ops):
        changed = op != "equal"
        if not changed and 0 < k < len(ops) - 1 and not "".join(a[i1:i2]).strip():
            changed = True  # whitespace between two changes
        if runs and runs[-1][0] == changed and changed:
            runs[-1][2], runs[-1][4] = i2, j2
        else:
            runs.append([changed, i1, i2, j1, j2])
    left, right = [], []
    for changed, i1, i2, j1, j2 in runs:
        x, y = _esc("".join(a[i1:i2])), _esc("".join(b[j1:j2]))
        if not changed:
            left.append(x)
            right.append(y)
            continue
        if x:
            left.append(f"<del>{x}</del>")
        if y:
            right.append(f"<ins>{y}</ins>")
    return "".join(left), "".join(right)


def _html_side(rec: dict | None, marked: str | None, side: str) -> str:
    if rec is None:
        return f'<div class="side {side} empty"><p class="where">not in the {side} draft</p></div>'
    where = _esc(_where(rec))
    parties = f"{_esc(', '.join(rec['owners']) or '(none)')} &rarr; {_esc(', '.join(rec['counterparts']) or '(none)')}"
    return (
        f'<div class="side {side}"><p class="where">{where}</p>'
        f'<blockquote class="quote">{marked if marked is not None else _esc(rec["text"])}</blockquote>'
        f'<p class="meta">{_esc(rec["modality"])} &middot; {parties}</p></div>'
    )


def _html_entry(e: Entry) -> str:
    rec = e.new or e.old
    marked_old = marked_new = None
    if e.old and e.new:
        marked_old, marked_new = _marked(e.old["text"], e.new["text"])
    changes = "".join(f'<li class="f-{_esc(c.field)}">{_esc(c.message)}</li>' for c in e.changes)
    return "\n".join([
        f'<article class="entry st-{_esc(e.status)}">',
        f'<p class="head"><span class="badge">{_esc(e.status)}</span> {_esc(rec.get("section") or "(no section)")}</p>',
        f"<ul class=\"changes\">{changes}</ul>" if changes else "",
        '<div class="pair">',
        _html_side(e.old, marked_old, "old"),
        _html_side(e.new, marked_new, "new"),
        "</div></article>",
    ])
