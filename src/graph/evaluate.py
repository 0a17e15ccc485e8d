"""Score extracted commitments against a gold annotation (tests/gold/README.md).

A predicted commitment matches a gold one when their spans overlap (half the
union, or nine tenths of the shorter span); commitments sharing a span are
paired by their owners. Detection is scored by precision, recall and F1; each
field by the share of matched pairs where it is exactly right, with parties
compared after alias resolution.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import InputError

FIELDS = ("owners", "counterparts", "reciprocal", "modality", "governance", "conditions", "deadlines", "theme")


def load_gold(path: Path) -> dict[str, list[dict]]:
    """Gold records by document file name, from one JSONL file or a folder of them.

    Raises:
        InputError: for a line that is not JSON or lacks the fields scored.
    """
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    gold: dict[str, list[dict]] = defaultdict(list)
    for f in files:
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"line {n} is not JSON: {exc.msg}", str(f)) from exc
            missing = [k for k in ("document", "owners") if k not in rec]
            if missing or not ("text" in rec or "start" in rec):
                raise InputError(f"line {n} lacks {', '.join(missing) or 'text or start/end'}", str(f))
            gold[rec["document"]].append(rec)
    return dict(gold)


@dataclass
class Score:
    """Counts for one document or the whole set."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    scored: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float | None:
        return self.right[name] / self.scored[name] if self.scored[name] else None

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.matched += other.matched
        for k in FIELDS:
            self.right[k] += other.right[k]
            self.scored[k] += other.scored[k]


@dataclass
class Evaluation:
    """Scores per document and overall, and the documents that could not be scored."""

    documents: dict[str, Score]
    total: Score
    unread: list[str]


def _norm_text(s: str) -> str:
    return re.sub(r"\s+", " ", s or "").strip().lower()


def _resolver(register):
    from graph.parties import key_for

    def key(label: str) -> str:
        p = register.resolve(label) if register is not None else None
        return p.key if p else key_for(label)

    return key


def _span(rec: dict, source: str | None = None) -> tuple[int, int]:
    return int(rec.get("start", 0)), int(rec.get("end", 0))


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    if not inter:
        return 0.0
    union = max(a[1], b[1]) - min(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0]) or 1
    return max(inter / union, 1.0 if inter / shorter >= 0.9 else 0.0)


def _match(gold: list[dict], pred: list[dict], key) -> list[tuple[int, int]]:
    cands = []
    for i, g in enumerate(gold):
        gs = _span(g)
        gown = {key(o) for o in g["owners"]}
        for j, p in enumerate(pred):
            ov = _overlap(gs, _span(p))
            if ov >= 0.5:
                pown = {key(o) for o in p["owners"]}
                jac = len(gown & pown) / len(gown | pown) if gown | pown else 1.0
                cands.append((ov + jac, i, j))
    used_g, used_p, pairs = set(), set(), []
    for _, i, j in sorted(cands, key=lambda c: (-c[0], c[1], c[2])):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def evaluate(gold: dict[str, list[dict]], records: list[dict], register=None) -> Evaluation:
    """Score predicted commitment records against gold records.

    Args:
        gold: Gold records by document name (``load_gold``).
        records: Predicted records (``records.commitment_records``).
        register: Party register for alias resolution.
    """
    key = _resolver(register)
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        by_doc[r["document"]].append(r)
    scores: dict[str, Score] = {}
    total = Score()
    unread = sorted(d for d in gold if d not in by_doc)
    for doc in sorted(d for d in gold if d in by_doc):
        g, p = gold[doc], by_doc[doc]
        s = Score(gold=len(g), predicted=len(p))
        pairs = _match(g, p, key)
        s.matched = len(pairs)
        gid_of_pred = {p[j]["id"]: g[i]["id"] for i, j in pairs}
        for i, j in pairs:
            _score_pair(s, g[i], p[j], key, gid_of_pred)
        matched_g = {i for i, _ in pairs}
        matched_p = {j for _, j in pairs}
        s.misses = [f"{g[i]['id']}: {_short(g[i]['text'])}" for i in range(len(g)) if i not in matched_g]
        s.extras = [_short(p[j]["text"]) for j in range(len(p)) if j not in matched_p]
        scores[doc] = s
        total.add(s)
    return Evaluation(scores, total, unread)


def _score_pair(s: Score, g: dict, p: dict, key, gid_of_pred: dict) -> None:
    def check(name: str, ok: bool, detail: str) -> None:
        s.scored[name] += 1
        s.right[name] += ok
        if not ok:
            s.wrong.append(f"{g['id']} {name}: gold {detail}")

    go, po = sorted({key(o) for o in g["owners"]}), sorted({key(o) for o in p["owners"]})
    check("owners", go == po, f"{go} got {po}")
    gc, pc = sorted({key(o) for o in g.get("counterparts", [])}), sorted({key(o) for o in p["counterparts"]})
    check("counterparts", gc == pc, f"{gc} got {pc}")
    grec = sorted(g.get("reciprocal_of", []))
    prec = sorted({gid_of_pred.get(t, "?") for t in p["reciprocal_of"]})
    if grec or prec:
        check("reciprocal", grec == prec, f"{grec} got {prec}")
    check("modality", g.get("modality") == p["modality"], f"{g.get('modality')} got {p['modality']}")
    gg = sorted({key(x["body"]) for x in g.get("governance", [])})
    pg = sorted({key(x["body"]) for x in p["governance"]})
    check("governance", gg == pg, f"{gg} got {pg}")
    gd = sorted(_norm_text(x) for x in g.get("deadlines", []))
    pd = sorted(_norm_text(x) for x in p["deadlines"])
    check("deadlines", gd == pd, f"{gd} got {pd}")
    gk = sorted(_norm_text(x) for x in g.get("conditions", []))
    pk = sorted(_norm_text(x) for x in p["conditions"])
    check("conditions", gk == pk, f"{gk} got {pk}")
    check("theme", _norm_text(g.get("theme", "")) == _norm_text(p.get("theme") or ""), f"{g.get('theme')!r} got {p.get('theme')!r}")


def _short(text: str) -> str:
    t = re.sub(r"\s+", " ", text).strip()
    return t if len(t) < 90 else t[:87] + "..."


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.2f}"


def render(ev: Evaluation, fmt: str = "text") -> str:
    """The evaluation as text (with misses), JSON or a Markdown table."""
    header = ["document", "gold", "found", "P", "R", "F1"] + list(FIELDS)
    rows = []
    for name, s in list(ev.documents.items()) + [("all", ev.total)]:
        rows.append(
            [name, str(s.gold), str(s.predicted), _pct(s.precision), _pct(s.recall), _pct(s.f1)]
            + [_pct(s.accuracy(f)) for f in FIELDS]
        )
    if fmt == "json":
        out = {
            name: {
                "gold": s.gold, "predicted": s.predicted, "matched": s.matched, "precision": s.precision,
                "recall": s.recall, "f1": s.f1, **{f: s.accuracy(f) for f in FIELDS},
            }
            for name, s in list(ev.documents.items()) + [("all", ev.total)]
        }
        out["unread"] = ev.unread
        return json.dumps(out, indent=1) + "\n"
    if fmt == "markdown":
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines) + "\n"
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    for name, s in ev.documents.items():
        for label, items in (("missed", s.misses), ("not in gold", s.extras), ("wrong", s.wrong)):
            lines += [f"  {name} {label}: {x}" for x in items]
    lines += [f"  gold document not read: {d}" for d in ev.unread]
    return "\n".join(lines) + "\n"


SCORES_START, SCORES_END = "<!-- scores -->", "<!-- /scores -->"


def with_table(text: str, table: str, name: str = "the file") -> str:
    """``text`` with the lines between its score markers replaced by ``table``.

    Raises:
        InputError: when the markers are missing or out of order.
    """
    start, end = text.find(SCORES_START), text.find(SCORES_END)
    if start < 0 or end < start:
        raise InputError(f"no '{SCORES_START}' line followed by a '{SCORES_END}' line to put the table between", name)
    head = text[: start + len(SCORES_START)]
    return f"{head}\n{table.rstrip()}\n{text[end:]}"
