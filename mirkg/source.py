"""The source text: its content, where a quote sits in it, and its sentences.

Offsets count Unicode code points from 0 (Python string indices), end exclusive, as the
W3C Web Annotation TextPositionSelector does.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import CurationError
from .yamlio import read_text

# A sentence ends at a full stop followed by white space and a capital letter, or at the end.
# "et al." is followed by a lower-case word in this text, so it does not end a sentence.
_SENTENCE_END = re.compile(r"\.(?=\s+[A-Z])|\.?\s*$")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    exact: str


class SourceText:
    def __init__(self, path: Path):
        self.path = path
        self.data = path.read_bytes()  # as the release ships it
        self.text = read_text(path)
        self.sha256 = hashlib.sha256(self.data).hexdigest()

    def occurrences(self, quote: str) -> list[int]:
        # Cached per quote: the text is scanned once for each distinct quote, not once per
        # statement (a corpus that repeats a quote N times would otherwise cost N^2).
        cache = self.__dict__.setdefault("_occurrences", {})
        if quote not in cache:
            starts, i = [], self.text.find(quote)
            while i != -1 and quote:
                starts.append(i)
                i = self.text.find(quote, i + 1)
            cache[quote] = starts
        return list(cache[quote])

    def glued_word(self, label: str) -> str | None:
        """For a label the text holds, None when some occurrence stands on its own (no letter or
        digit right before or after it); otherwise the longer word of its first occurrence, the
        label's letters glued to others ("miR-146a" for "miR-146"). Written labels must be
        whole: a piece of a longer word is not how the text writes the thing."""
        starts = self.occurrences(label)
        for start in starts:
            if not _glued(self.text, start - 1) and not _glued(self.text, start + len(label)):
                return None
        left, right = starts[0], starts[0] + len(label)
        while _glued(self.text, left - 1):
            left -= 1
        while _glued(self.text, right):
            right += 1
        return self.text[left:right]

    def sentence_at(self, offset: int) -> Span | None:
        """The sentence holding the character at `offset` (bisection over the sentence starts)."""
        starts = self.__dict__.get("_sentence_starts")
        if starts is None:
            starts = self.__dict__["_sentence_starts"] = [s.start for s in self.sentences]
        index = bisect.bisect_right(starts, offset) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return self.sentences[index]
        return None

    def locate(self, quote: str, occurrence: int | None = None) -> Span | None:
        """The span of the quote; None if it is absent or ambiguous without `occurrence`."""
        starts = self.occurrences(quote)
        if occurrence is None:
            if len(starts) != 1:
                return None
            start = starts[0]
        elif 1 <= occurrence <= len(starts):
            start = starts[occurrence - 1]
        else:
            return None
        return Span(start, start + len(quote), quote)

    @cached_property
    def sentences(self) -> list[Span]:
        spans, start = [], 0
        for match in _SENTENCE_END.finditer(self.text):
            end = match.end() if match.group().startswith(".") else match.start()
            if end <= start:
                continue
            chunk = self.text[start:end]
            lead = len(chunk) - len(chunk.lstrip())
            if chunk.strip():
                spans.append(Span(start + lead, end, chunk.strip()))
            start = end
        return spans

    def require(self, file: Path, record: str, line: int | None, quote: str, occurrence=None) -> Span:
        """The quote's span, or a curation error that says how to fix the quote."""
        starts = self.occurrences(quote)
        if not starts:
            hint = _closest_hint(self.text, quote)
            raise CurationError(
                file,
                f"the quote does not occur in {self.path.name}: {quote!r}{hint}",
                "copy the quote exactly from the source text (same characters, spacing and punctuation)",
                record=record,
                line=line,
            )
        span = self.locate(quote, occurrence)
        if span is None:
            if occurrence is None:
                raise CurationError(
                    file,
                    f"the quote occurs {len(starts)} times in the source, so its place is ambiguous",
                    "lengthen the quote until it is unique, or add `occurrence: N` (1-based)",
                    record=record,
                    line=line,
                )
            raise CurationError(
                file,
                f"occurrence {occurrence} asked for, but the quote occurs {len(starts)} time(s)",
                f"set `occurrence` between 1 and {len(starts)}",
                record=record,
                line=line,
            )
        return span


# A run of letters and digits: the characters _glued() says a word is made of (str.isalnum, as
# the regular expression's \w less the underscore).
_WORD = re.compile(r"[^\W_]+")


class WordIndex:
    """Where each word of many source texts starts, so that whether a label stands on its own
    somewhere is answered from the occurrences of its first word, not by scanning every text for
    every label (entities times sources, at the size of a large curation)."""

    def __init__(self, texts: list[SourceText]):
        self.texts = list({t.text: t for t in texts}.values())  # a text that several sources share once
        self._starts: dict[str, list[tuple[int, int]]] = {}
        for i, t in enumerate(self.texts):
            for m in _WORD.finditer(t.text):
                self._starts.setdefault(m.group(), []).append((i, m.start()))

    def stands_alone(self, label: str) -> bool:
        """Whether some text holds the label with no letter or digit right before or after it.
        Such an occurrence holds the label's first word as a whole word of the text, at the same
        place, so only the places of that word are tried."""
        m = _WORD.search(label)
        if m is None:
            return any(t.glued_word(label) is None for t in self.texts if label in t.text)
        for i, at in self._starts.get(m.group(), ()):
            text, start = self.texts[i].text, at - m.start()
            if (start >= 0 and text.startswith(label, start)
                    and not _glued(text, start - 1) and not _glued(text, start + len(label))):
                return True
        return False


def _glued(text: str, at: int) -> bool:
    """Whether the character at `at` is a letter or a digit (nothing is, outside the text)."""
    return 0 <= at < len(text) and text[at].isalnum()


def _closest_hint(text: str, quote: str) -> str:
    """Where the longest leading part of the quote stops matching, to point at the typo."""
    lo, hi = 0, len(quote)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if quote[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    if lo < 10:
        return ""
    return f" (it matches the source up to {quote[:lo][-30:]!r}, then differs)"
