"""`python build.py draft --compare <source>`: the draft of a source that has statements,
measured against them: recall and precision of mentions, statements, hedges, citation markers
and attributions."""

from __future__ import annotations

from dataclasses import dataclass

from ..source import SourceText
from ..yamlio import load_yaml
from . import CuratedSource

# The kinds of entity the draft looks for by name; the others (interventions, phenotypes,
# balances, ...) are curators' constructs the draft can only propose as phrases.
MENTION_KINDS = {"mirna", "mirna_class", "gene", "protein_complex", "cell_type", "anatomy", "disease", "process",
                 "vesicle"}


@dataclass
class Figure:
    name: str
    found: int  # curated items the draft has
    curated: int
    right: int  # draft items the curation has
    drafted: int

    @property
    def recall(self) -> float:
        return self.found / self.curated if self.curated else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.drafted if self.drafted else 1.0

    def line(self) -> str:
        return (f"{self.name:<22} recall {self.recall:6.1%} ({self.found}/{self.curated})   "
                f"precision {self.precision:6.1%} ({self.right}/{self.drafted})")


def _occurrences(text: str, label: str):
    i = text.find(label)
    while i != -1:
        before = text[i - 1] if i > 0 else " "
        after = text[i + len(label)] if i + len(label) < len(text) else " "
        if not before.isalnum() and not after.isalnum():
            yield i, i + len(label)
        i = text.find(label, i + 1)


def curated_mentions(text: str, entities: list[dict]) -> tuple[dict, dict]:
    """(in scope, all): span -> entity records, from every written label's standalone
    occurrences; an occurrence inside a longer one of an entity in scope is not a mention of
    its own ("MSCs" in "bone marrow-derived MSCs")."""
    spans: dict[tuple[int, int], list[dict]] = {}
    for e in entities:
        for label in e.get("written") or []:
            for span in _occurrences(text, label):
                spans.setdefault(span, []).append(e)
    scoped = [s for s, es in spans.items() if any(e.get("kind") in MENTION_KINDS for e in es)]
    kept = {s: es for s, es in spans.items()
            if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in scoped)}
    return {s: es for s, es in kept.items() if any(e.get("kind") in MENTION_KINDS for e in es)}, kept


def compare(document: dict, curated: CuratedSource) -> list[Figure]:
    source = SourceText(curated.text)
    text = source.text
    entities = {e["id"]: e for e in load_yaml(curated.entities)["entities"]}
    statements = load_yaml(curated.statements)["statements"]
    figures = []

    scoped, every = curated_mentions(text, list(entities.values()))
    drafted = {(m["start"], m["end"]): m for m in document["mentions"]}
    found = sum(1 for span in scoped if span in drafted)
    right = sum(1 for span in drafted if span in every)
    figures.append(Figure("entity mentions", found, len(scoped), right, len(drafted)))
    agree = [span for span in scoped if span in drafted
             and any(drafted[span].get("id_curie") == e.get("id_curie") for e in scoped[span])]
    matched = [span for span in scoped if span in drafted]
    figures.append(Figure("mention identifiers", len(agree), len(matched), len(agree), len(matched)))

    mentions = {m["id"]: m for m in document["mentions"]}

    def texts(ref: str) -> tuple[set[str], str | None]:
        m = mentions.get(ref)
        if m is None:  # a phrase
            return {ref}, None
        found_texts = {m["text"]} | {a["text"] for a in document["mentions"] if a.get("abbreviation_of") == ref}
        if m.get("abbreviation_of") in mentions:
            found_texts.add(mentions[m["abbreviation_of"]]["text"])
        return found_texts, m.get("id_curie")

    def same(entity_id: str, ref: str) -> bool:
        entity = entities.get(entity_id, {})
        written, curie = texts(ref)
        return (curie is not None and curie == entity.get("id_curie")) or bool(written & set(entity.get("written") or []))

    def sentence_of(record: dict) -> int | None:
        span = source.locate(" ".join(str(record["quote"]).split()), record.get("occurrence"))
        if span is None:
            span = source.locate(str(record["quote"]).strip(), record.get("occurrence"))
        sentence = source.sentence_at(span.start) if span else None
        return source.sentences.index(sentence) + 1 if sentence else None

    curated_rows = [(sentence_of(s), s) for s in statements]
    draft_rows = document["statements"]
    used: set[int] = set()
    hits = 0
    for n, s in curated_rows:
        for i, d in enumerate(draft_rows):
            if i in used or d["draft"]["sentence"] != n or d["relation"] != s["relation"]:
                continue
            if same(s["subject"], d["draft"]["subject_mention"]) and same(s["object"], d["draft"]["object_mention"]):
                used.add(i)
                hits += 1
                break
    figures.append(Figure("statements (s, r, o)", hits, len(curated_rows), len(used), len(draft_rows)))

    def pairs(rows, key):
        return {(n, r[key]) for n, r in rows if r.get(key) not in (None, "none")}

    drafted_rows = [(d["draft"]["sentence"], d) for d in draft_rows]
    for name, key in (("hedges", "hedge"), ("citation markers", "citation"), ("attributions", "attributed_to")):
        c, d = pairs(curated_rows, key), pairs(drafted_rows, key)
        figures.append(Figure(name, len(c & d), len(c), len(c & d), len(d)))
    return figures
