"""Candidate statements: the lexicon's trigger patterns matched sentence by sentence, with the
context, citation, attribution and hedge the sentence gives, and the exact quote."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import Lexicon, Trigger
from .mentions import Mention

CITATION = re.compile(r"\[\d+(?:\s*[,–-]\s*\d+)*\]")
ET_AL = re.compile(r"\b([A-Z][A-Za-z'-]+) et al\.")
WE = re.compile(r"\b[Ww]e\b")
PLACEHOLDER = re.compile(r"\x01[^:]*:(\d+)\x02")
RESPECTIVELY = re.compile(r"\s*,?\s*respectively\b")
_LEAD_WORDS = re.compile(r"^(?:(?:as|that|because|while|and|but|whereas)\s+)+")


@dataclass
class Candidate:
    sentence: int
    trigger: Trigger
    subject: Mention
    object: Mention
    trigger_span: tuple[int, int]
    quote: tuple[int, int]
    citation: str | None = None
    citation_span: tuple[int, int] | None = None
    attributed_to: str | None = None
    attribution_why: str = ""
    hedge: str | None = None
    limitation: bool = False
    context: dict[str, Mention] = field(default_factory=dict)


class _Masked:
    """A sentence with each mention replaced by one placeholder, and the way back to offsets."""

    def __init__(self, text: str, start: int, end: int, mentions: list[Mention], first: int):
        parts, starts, ends = [], [], []
        pos = start
        for i, m in enumerate(mentions, first):
            if m.start < pos or m.end > end:
                continue
            chunk = text[pos:m.start]
            parts.append(chunk)
            starts.extend(range(pos, m.start))
            ends.extend(range(pos + 1, m.start + 1))
            token = f"\x01{m.kind}:{i}\x02"
            parts.append(token)
            starts.extend([m.start] * len(token))
            ends.extend([m.end] * len(token))
            pos = m.end
        parts.append(text[pos:end])
        starts.extend(range(pos, end))
        ends.extend(range(pos + 1, end + 1))
        self.text = "".join(parts)
        self.starts, self.ends = starts, ends

    def span(self, a: int, b: int) -> tuple[int, int]:
        return self.starts[a], self.ends[b - 1]


def _phrase(text: str, span: tuple[int, int], subject: bool) -> Mention:
    start, end = span
    piece = text[start:end]
    lead = _LEAD_WORDS.match(piece)
    if subject and lead:
        start += lead.end()
    piece = text[start:end]
    stripped = piece.rstrip()
    return Mention(start, start + len(stripped), stripped, "phrase",
                   unresolved="a phrase no name of the reference table or the ontology covers: the curator names it",
                   how="the words in the pattern's place")


def find_candidates(text: str, sentences, mentions: list[Mention], lexicon: Lexicon) -> list[Candidate]:
    by_sentence: list[list[int]] = [[] for _ in sentences]
    s_index = 0
    for i, m in enumerate(mentions):
        while s_index < len(sentences) and m.start >= sentences[s_index].end:
            s_index += 1
        if s_index < len(sentences) and m.start >= sentences[s_index].start:
            by_sentence[s_index].append(i)
    out: list[Candidate] = []
    last_agent: tuple[str, str] | None = None
    for n, sentence in enumerate(sentences):
        ids = by_sentence[n]
        masked = _Masked(text, sentence.start, sentence.end, [mentions[i] for i in ids], ids[0] if ids else 0)
        agent = _attribution(sentence.exact, lexicon, last_agent)
        if agent[1].startswith("et al"):
            last_agent = agent
        markers = [(sentence.start + c.start(), sentence.start + c.end(), c.group())
                   for c in CITATION.finditer(sentence.exact)]
        found_here: list[Candidate] = []
        for trigger in lexicon.triggers:
            for match in trigger.after.finditer(masked.text):
                groups, lead = dict(match.groupdict()), None
                spans = {name: match.span(name) for name in groups if groups[name] is not None}
                if trigger.before is not None:
                    lead = trigger.before.search(masked.text, 0, match.start())
                    if lead is None:
                        continue
                    for name, value in lead.groupdict().items():
                        if value is not None:
                            groups[name], spans[name] = value, lead.span(name)
                subjects = _slot(groups, spans, "S", masked, mentions, text, subject=True)
                objects = _slot(groups, spans, "O", masked, mentions, text, subject=False)
                if not subjects or not objects:
                    continue
                pairs = [(s, o) for s in subjects for o in objects]
                if len(subjects) == len(objects) > 1 and RESPECTIVELY.match(masked.text, match.end()):
                    pairs = list(zip(subjects, objects))
                t_span = masked.span(*match.span("T"))
                for subject, obj in pairs:
                    if subject is obj:
                        continue
                    # the words the pattern matched, from its first to its last
                    whole = masked.span((lead or match).start(), match.end())
                    lo = min(subject.start, obj.start, whole[0])
                    hi = max(subject.end, obj.end, whole[1])
                    c = Candidate(n, trigger, subject, obj, t_span, (lo, hi))
                    _cite(c, markers, text)
                    c.attributed_to, c.attribution_why = agent
                    c.context = _context([mentions[i] for i in ids], subject, obj, t_span)
                    out.append(c)
                    found_here.append(c)
        triggers = sorted({c.trigger_span[0] for c in found_here})
        for c in found_here:
            _hedge(c, sentence, lexicon, triggers)
    return _unique(out)


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per claim of a sentence (a pattern and a broader one can both find it):
    the one with the shortest quote."""
    best: dict[tuple, Candidate] = {}
    for c in candidates:
        key = (c.sentence, c.subject.start, c.subject.text, c.trigger.relation, c.object.start, c.object.text,
               c.trigger.direction, c.hedge)
        # the pattern that says more (a subject_aspect) first, then the shorter quote
        rank = (c.trigger.aspect is None, c.quote[1] - c.quote[0])
        if key not in best or rank < (best[key].trigger.aspect is None, best[key].quote[1] - best[key].quote[0]):
            best[key] = c
    return sorted(best.values(), key=lambda c: (c.quote[0], c.quote[1], c.trigger.relation, c.object.start))


def _slot(groups, spans, name, masked, mentions, text, subject) -> list[Mention]:
    if groups.get(name) is not None:
        found = [mentions[int(i)] for i in PLACEHOLDER.findall(groups[name])]
        longs = {m.start for m in found}
        return [m for m in found if m.abbreviation_of not in longs]  # an (ABBR) after its long name
    if groups.get(name + "p") is not None:
        phrase = _phrase(text, masked.span(*spans[name + "p"]), subject)
        return [phrase] if phrase.text else []
    return []


def _cite(c: Candidate, markers, text: str) -> None:
    after = [m for m in markers if m[0] >= c.trigger_span[0]]
    if after:
        start, end, marker = after[0]
        c.citation, c.citation_span = marker, (start, end)
        if not text[c.quote[1]:start].strip():
            c.quote = (c.quote[0], end)


def _attribution(sentence: str, lexicon: Lexicon, last: tuple[str, str] | None) -> tuple[str, str]:
    """(who, why): an agent key, "et al:Name" style, the source's authors ("we"), or the source."""
    named = ET_AL.search(sentence)
    if named:
        return f"{named.group(1)} et al.", f"et al.: {named.group(0)!r}"
    if any(sentence.startswith(w) for w in lexicon.continues) and last is not None:
        return last[0], f"continues the sentence before ({last[1]})"
    if any(w in sentence for w in lexicon.the_authors) and last is not None:
        return last[0], f"the authors: the last named ({last[1]})"
    if WE.search(sentence):
        return "we", "'we': the source's authors"
    return "source", "no attribution in the sentence: the source's own voice"


def _hedge(c: Candidate, sentence, lexicon: Lexicon, triggers: list[int]) -> None:
    """The nearest cue before the trigger that reaches it. A clause's cue (might, may, ...)
    reaches the first trigger after it, with no clause boundary between ("might act in X by
    secreting MVs enriched in miRNAs" hedges "act in", not "enriched in"); a sentence's cue
    (suggesting, unable to conclude) reaches every trigger after it."""
    offset = sentence.start
    before = sentence.exact[: c.trigger_span[0] - offset]
    found = []
    for hedge in lexicon.hedges:
        for m in hedge.regex.finditer(before):
            found.append((m.start(), m.end(), hedge))
    for start, end, hedge in sorted(found, key=lambda f: -f[0]):
        between = before[end:]
        if hedge.reaches == "sentence":
            blocked = ";" in between
        else:
            first = min((t for t in triggers if t >= end + offset), default=None)
            blocked = any(b in between for b in lexicon.boundaries) or first != c.trigger_span[0]
        if not blocked:
            c.hedge = sentence.exact[start:end]
            c.limitation = hedge.limitation
            if start + offset < c.quote[0]:
                c.quote = (start + offset, c.quote[1])
            return


def _context(inside: list[Mention], subject: Mention, obj: Mention, t_span) -> dict[str, Mention]:
    """The cell type, tissue and disease the sentence names nearest the trigger."""
    context: dict[str, Mention] = {}
    centre = t_span[0]
    for key, kind in (("cell_type", "cell_type"), ("tissue", "anatomy"), ("disease", "disease")):
        # not the subject or the object themselves, by any of their names
        pool = [m for m in inside if m.kind == kind and m.resolved and m.curie not in (subject.curie, obj.curie)]
        if key == "tissue" and "cell_type" in context and context["cell_type"].tissue is not None:
            context[key] = context["cell_type"].tissue
            continue
        if pool:
            context[key] = min(pool, key=lambda m: abs(m.start - centre))
    return context
