"""Find the clauses of a sentence that undertake something, over spaCy's parse.

The ``obligraph_clauses`` component marks, in each parsed sentence, the verbs
that make a commitment (a commitment verb such as commit, agree or undertake in
the present; a future modal, will, shall or must, on a main verb; aim, intend,
an aspiration noun) with their grammatical subject, modality and the rule that
found them. Which parties the subjects are is decided later, against the party
register; this component only reads grammar and the lexicon, so it holds for
agreements it has never seen.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from graph.lexicon import Lexicon, load_lexicon

MODALS = {"will", "shall", "must"}
# Subordinate relations whose clause describes something other than what the
# sentence's own subject undertakes ("The Spending Review confirmed that X will").
EMBEDDED = {"ccomp", "advcl", "relcl", "acl", "csubj", "pcomp", "parataxis", "amod", "appos"}
PAST = {"VBD"}
# Words that carry no modality of their own: look past them to the next one.
LIGHT = {"work", "offer", "invitation", "commitment", "continue", "further", "ongoing", "be", "have", "make", "take"}
# Verbs that make an undertaking of their object: "extend an offer", "give an undertaking".
GIVING_VERBS = {"extend", "give", "make", "offer", "reaffirm", "re-affirm", "renew", "provide", "issue"}
COMPLEMENT_DEPS = {"xcomp", "prep", "pcomp", "pobj", "dobj", "advcl", "conj", "acomp", "attr", "dative", "acl"}


@dataclass(frozen=True)
class Clause:
    """A clause that may state a commitment.

    Attributes:
        trigger: Token index of the word that makes it a commitment.
        heads: Token indices of the subject's head and its conjuncts.
        subject: Character span of the subject phrase in the sentence (0, 0 if none).
        pronoun: ``we``, ``they``, ``it``, ``this`` ... when the subject is one.
        modality: ``commitment``, ``intention``, ``exploration`` or ``aspiration``.
        rule: Rule id that found it.
        confidence: How sure the rule is.
        passive_agent: True when the owner is the agent of a passive ("by X").
    """

    trigger: int
    heads: tuple[int, ...]
    subject: tuple[int, int]
    pronoun: str | None
    modality: str
    rule: str
    confidence: float
    passive_agent: bool = False


if not Doc.has_extension("clauses"):
    Doc.set_extension("clauses", default=None)


def _subject(tok: Token) -> tuple[Token | None, bool]:
    """The subject of a verb, inherited through conjunction and complements."""
    seen = 0
    while tok is not None and seen < 6:
        # The parser sometimes hangs the subject on the auxiliary ("X and Y are committed").
        kids = list(tok.children) + [g for c in tok.children if c.dep_ in ("aux", "auxpass") for g in c.children]
        for c in kids:
            if c.dep_ in ("nsubj", "nsubjpass", "expl"):
                if c.dep_ == "nsubjpass":
                    agent = next((a for a in tok.children if a.dep_ == "agent"), None)
                    pobj = next((p for p in agent.children if p.dep_ == "pobj"), None) if agent is not None else None
                    if pobj is not None:
                        return pobj, True
                return c, False
        if tok.dep_ in ("conj", "xcomp", "acomp", "attr") and tok.head is not tok:
            tok = tok.head
            seen += 1
            continue
        return None, False
    return None, False


CONCESSIVE = {"while", "whilst", "although", "though", "whereas"}


def _embedded(tok: Token, lex: Lexicon, explicit: bool = False) -> bool:
    """True when the clause hangs under another verb that is not a commitment verb."""
    t = tok
    while t.dep_ in ("conj", "xcomp", "acomp", "attr", "aux") and t.head is not t:
        t = t.head
    if t.dep_ not in EMBEDDED:
        return False
    if t.dep_ == "relcl" and _own_subject_and_will(t):
        return False  # "pilots through which London partners will co-produce ...": the partners undertake it
    if explicit and t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in CONCESSIVE for c in t.children):
        return False  # "While X are committed to A, ...": the commitment is asserted
    # "X and Y agree that ..." keeps its content clause; every other embedding describes.
    return not (t.dep_ == "ccomp" and t.head.lemma_.lower() in lex.commit_verbs)


_RELATIVE_WORDS = {"which", "that", "who", "whom", "whose", "what", "where", "when"}


def _own_subject_and_will(verb: Token) -> bool:
    """A relative clause with a subject of its own (not the relative word) and "will"/"shall"."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return (subject is not None and subject.lower_ not in _RELATIVE_WORDS and subject.pos_ in ("PROPN", "NOUN", "PRON")
            and any(c.dep_ == "aux" and c.lower_ in ("will", "shall") for c in verb.children))


def _modal(tok: Token) -> str | None:
    """The modal of a verb, or of the first verb of its chain of conjuncts ("will act, X and Y")."""
    # A loop, not recursion: a sentence may chain thousands of conjoined verbs.
    while True:
        for c in tok.children:
            if c.dep_ in ("aux", "auxpass") and c.lower_ in MODALS:
                return c.lower_
        if not (tok.dep_ == "conj" and tok.head is not tok and tok.head.pos_ in ("VERB", "AUX")):
            return None
        tok = tok.head


def _present_be(tok: Token) -> bool:
    return any(c.dep_ in ("aux", "auxpass") and c.lemma_ in ("be", "remain") and c.tag_ in ("VBZ", "VBP") for c in tok.children) or (
        tok.dep_ == "acomp" and tok.head.lemma_ in ("be", "remain") and tok.head.tag_ in ("VBZ", "VBP")
    )


def modality_of(tok: Token, lex: Lexicon, default: str = "commitment") -> str:
    """Modality from the trigger and the first content word of its complement."""
    first = lex.modality_of_word(tok.lemma_.lower())
    if first in ("aspiration", "intention", "exploration"):
        return first
    frontier, depth = [tok], 0
    while frontier and depth < 4:
        nxt = []
        for t in frontier:
            for c in t.children:
                if c.dep_ not in COMPLEMENT_DEPS or c.i < tok.i:
                    continue
                word = c.lemma_.lower()
                if c.pos_ in ("VERB", "NOUN") and word not in LIGHT and word not in lex.commit_verbs:
                    m = lex.modality_of_word(word)
                    if c.pos_ == "NOUN" and m == "intention" and not _modal_noun(c):
                        m = None  # "publish a plan": the plan is a thing made, not an intention
                    if m in ("intention", "exploration", "aspiration"):
                        return m
                    if c.pos_ == "VERB" or c.dep_ in ("dobj", "pobj"):
                        return default
                nxt.append(c)
        frontier = sorted(nxt, key=lambda t: t.i)
        depth += 1
    return default


_NOMINALISED = ("tion", "sion", "ment", "ance", "ence", "ssion")


def _modal_noun(noun: Token) -> bool:
    """A noun that names an intention ("intention", "plans to"), not a thing made ("a plan")."""
    return noun.lower_.endswith(_NOMINALISED) or any(
        c.dep_ in ("acl", "relcl") and any(a.lower_ == "to" for a in c.children) for c in noun.children
    )


def find_clauses(doc: Doc, lex: Lexicon) -> list[Clause]:
    """The clauses of one sentence that may state commitments."""
    out: list[Clause] = []
    for tok in doc:
        committed = tok.lower_ == "committed" and _present_be(tok)  # tagged ADJ as often as VERB
        if tok.pos_ not in ("VERB", "AUX") and not committed:
            continue
        lemma = tok.lemma_.lower()
        modal = _modal(tok)
        rule = None
        conf = 0.0
        if tok.pos_ == "AUX" and tok.dep_ in ("aux", "auxpass"):
            continue
        if lemma in lex.commit_verbs and (tok.tag_ in ("VBZ", "VBP", "VB") or modal):
            rule, conf = "R-commit-verb", 0.95
        elif committed or (lemma in lex.commit_verbs and tok.tag_ == "VBN" and _present_be(tok)):
            rule, conf = "R-be-committed", 0.95
        elif lemma in lex.aspiration_verbs and tok.tag_ in ("VBZ", "VBP"):
            rule, conf = "R-aim", 0.85
        elif lemma in ("have", "set", "share", "hold") and (tok.tag_ in ("VBZ", "VBP") or modal or _perfect(tok)):
            obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            if obj is not None and obj.lemma_.lower() in lex.aspiration_nouns and _takes_infinitive(obj):
                rule, conf = "R-aspiration-noun", 0.85
            elif obj is not None and obj.lemma_.lower() in lex.commit_nouns:
                rule, conf = "R-commitment-noun", 0.8
        elif lemma in lex.intention_verbs and tok.tag_ in ("VBZ", "VBP"):
            rule, conf = "R-intend", 0.8
        if rule is None and tok.tag_ in ("VBZ", "VBP") and lemma in GIVING_VERBS and any(
            c.dep_ == "dobj" and c.lemma_.lower() in lex.commit_nouns for c in tok.children
        ):
            rule, conf = "R-commitment-noun", 0.8  # "extend an offer of", "give an undertaking"
        if rule is None and modal and tok.tag_ not in PAST:
            if _entitlement(tok) or _passive_without_agent(tok) or _continues_history(tok):
                continue
            rule, conf = "R-modal-" + modal, 0.75
        if rule is None:
            continue
        if tok.tag_ in PAST and not modal:
            continue
        if _embedded(tok, lex, rule in ("R-commit-verb", "R-be-committed")):
            continue
        subj, agent = _subject(tok)
        if rule.startswith("R-modal") and agent:
            rule = "R-passive-agent"
        heads: tuple[int, ...] = ()
        span = (0, 0)
        pronoun = None
        if subj is None:
            heads, span = _preverbal_subject(tok)
        if subj is not None:
            heads = (subj.i,) + tuple(c.i for c in subj.conjuncts if c.i > subj.i)
            sub = [t for t in subj.subtree if t.dep_ not in ("relcl", "acl", "appos") or t is subj]
            left = min(t.idx for t in sub)
            right = max(t.idx + len(t) for t in sub)
            span = (left, right)
            if subj.pos_ == "PRON" or subj.lower_ in ("this", "that", "these", "those"):
                pronoun = subj.lower_
        out.append(
            Clause(tok.i, heads, span, pronoun, modality_of(tok, lex), rule, conf, agent)
        )
    # A lead-in whose verb is left to its list: "The Port Authority will:".
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if (
        root is not None and root.lower_ in MODALS and doc.text.rstrip().endswith(":")
        and not any(c.trigger == root.i for c in out)
    ):
        subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            sub = list(subj.subtree)
            span = (min(t.idx for t in sub), max(t.idx + len(t) for t in sub))
            heads = (subj.i,) + tuple(c.i for c in subj.conjuncts if c.i > subj.i)
            pronoun = subj.lower_ if subj.pos_ == "PRON" else None
            out.append(Clause(root.i, heads, span, pronoun, "commitment", "R-modal-lead-in", 0.8))
    # A possessed nominal trigger: "London Partners' commitment will include ...".
    for tok in doc:
        if tok.lemma_.lower() in lex.commit_nouns and tok.dep_ in ("nsubj", "nsubjpass"):
            poss = next((c for c in tok.children if c.dep_ == "poss"), None)
            if poss is not None and poss.pos_ == "PROPN":
                left = min(t.idx for t in poss.subtree)
                right = max(t.idx + len(t) for t in poss.subtree)
                heads = (poss.i,) + tuple(c.i for c in poss.conjuncts)
                if not any(c.trigger == tok.head.i for c in out):
                    out.append(Clause(tok.head.i, heads, (left, right), None, "commitment", "R-nominal", 0.7))
                else:
                    out = [
                        Clause(c.trigger, heads, (left, right), None, "commitment", "R-nominal", 0.7)
                        if c.trigger == tok.head.i else c
                        for c in out
                    ]
    return sorted(out, key=lambda c: c.trigger)


def _preverbal_subject(tok: Token) -> tuple[tuple[int, ...], tuple[int, int]]:
    """The noun phrase right before a verb the parser left without a subject.

    After a long fronted phrase ("In support of X's vision ..., government and
    national bodies commit to") the parser may fold the real subject into the
    phrase; the words between the last comma and the verb are the subject.
    """
    i = tok.i - 1
    words = []
    while i >= 0 and tok.doc[i].pos_ in ("NOUN", "PROPN", "ADJ", "DET", "CCONJ", "PART", "NUM") and tok.doc[i].text != ",":
        words.append(tok.doc[i])
        i -= 1
    nouns = tuple(t.i for t in words if t.pos_ in ("NOUN", "PROPN"))
    if not nouns or (i >= 0 and tok.doc[i].text not in (",", ";")):
        return (), (0, 0)
    return nouns, (min(t.idx for t in words), max(t.idx + len(t) for t in words))


def _continues_history(tok: Token) -> bool:
    """'has supported X since 2018 and will continue to': a description of a track record."""
    head = tok.head if tok.dep_ == "conj" else None
    return head is not None and (head.tag_ == "VBD" or _perfect(head))


def _perfect(tok: Token) -> bool:
    """'have set', 'has set': present perfect, which states a present position."""
    return tok.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_ == "have" and c.tag_ in ("VBZ", "VBP") for c in tok.children)


def _takes_infinitive(noun: Token) -> bool:
    """'an aspiration to create', not 'a vision of better health'."""
    nxt = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
    return (nxt is not None and nxt.lower_ == "to") or any(
        c.dep_ in ("acl", "relcl", "xcomp") and any(a.lower_ == "to" for a in c.children) for c in noun.children
    )


def _entitlement(tok: Token) -> bool:
    """'will be able to', 'will be entitled to', 'will have access' state a right, not a duty."""
    if tok.lemma_ == "be":
        for c in tok.children:
            if c.dep_ in ("acomp", "attr") and c.lemma_.lower() in ("able", "entitled", "eligible", "free", "central"):
                return True
    return False


def _passive_without_agent(tok: Token) -> bool:
    passive = any(c.dep_ == "auxpass" for c in tok.children)
    if tok.lemma_ in ("continue", "remain"):
        x = next((c for c in tok.children if c.dep_ == "xcomp"), None)
        passive = passive or (x is not None and any(c.dep_ == "auxpass" for c in x.children))
    return passive and not any(c.dep_ == "agent" for c in tok.children)


@Language.factory("obligraph_clauses", default_config={"lexicon_path": None})
def make_clause_finder(nlp: Language, name: str, lexicon_path: str | None):
    """Register the clause finder as a spaCy component (``nlp.add_pipe``)."""
    lex = load_lexicon(lexicon_path)

    def clause_finder(doc: Doc) -> Doc:
        doc._.clauses = find_clauses(doc, lex)
        return doc

    return clause_finder
