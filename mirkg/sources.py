"""The sources the statements are read from: one folder each under data/sources/ (read and checked
by mirkg.curation.read_sources).

A source folder holds the text, never edited (`text.txt`), a small metadata file
(`source.yaml`: which work the text belongs to, which part of it, where the text comes from, a
licence note) and the statements read from it (`statements.yaml`). Adding a source is adding a
folder: no code names a source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .source import SourceText

SOURCES_DIR = "sources"
TEXT_FILE = "text.txt"
METADATA_FILE = "source.yaml"
STATEMENTS_FILE = "statements.yaml"
# What part of its work a source's text is.
PARTS = ("paragraph", "title", "abstract", "section", "figure legend")
FIELDS = ("id", "work", "part", "origin", "licence", "note")


def release_text_path(source_id: str) -> str:
    """Where the release ships a source's text (dist/), byte for byte: the file the text spans'
    selectors select from."""
    return f"sources/{source_id}.txt"


@dataclass(frozen=True)
class Source:
    id: str
    folder: Path
    work: str  # a work of data/citations.yaml, or the id of its `source:` record (the review)
    part: str
    origin: str
    licence: str
    note: str | None
    text: SourceText

    @property
    def statements_file(self) -> Path:
        return self.folder / STATEMENTS_FILE
