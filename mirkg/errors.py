"""The one error type curators see: where the problem is, what it is, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class CurationError(Exception):
    """A problem in the curated input that stops the build.

    `where` names the file (and line or record); `problem` says what is wrong; `fix` says what
    to do about it.
    """

    file: Path | str
    problem: str
    fix: str
    record: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
        if self.record:
            where += f" (record '{self.record}')"
        return f"{where}: {self.problem}\n  fix: {self.fix}"


class BuildError(Exception):
    """A failure of a build stage (validation, queries) that is not a curation mistake."""
