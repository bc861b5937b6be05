"""External identifiers: the confirmed reference table, the IRI forms, and CURIE syntax.

The tables in data/reference/ are copies of the project's checked reference material. An
identifier the curation uses must be confirmed there; its IRI comes from the prefix table through
a `curies.Converter`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import CurationError

if TYPE_CHECKING:
    import curies

# The syntax each prefix's local part must follow (from the prefixes' registry patterns).
LOCAL_PATTERNS: dict[str, str] = {
    "mirbase.mature": r"MIMAT\d{7}",
    "mirbase": r"MI\d{7}",
    "HGNC": r"\d{1,5}",
    "NCBIGene": r"\d+",
    "uniprot": r"(?:[OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9](?:[A-Z][A-Z0-9]{2}[0-9]){1,2})",
    "CL": r"\d{7}",
    "GO": r"\d{7}",
    "UBERON": r"\d{7}",
    "MONDO": r"\d{7}",
    "DOID": r"\d+",
    "MESH": r"[CDQ]\d{6,9}",
    "RO": r"\d{7}",
    "BFO": r"\d{7}",
    "ECO": r"\d{7}",
    "SO": r"\d{7}",
    "NCRO": r"\d{7}",
    "pubmed": r"\d+",
    "pmc": r"PMC\d+",
    "doi": r"10\.\d{2,9}/\S+",
}

# Prefixes whose terms are OWL classes; an entity is typed by them. The others name records.
ONTOLOGY_PREFIXES = {"CL", "GO", "UBERON", "MONDO", "SO", "ECO", "NCRO", "DOID"}


def _read_tsv(path: Path) -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def split_curie(curie: str) -> tuple[str, str] | None:
    """(prefix, local) if the CURIE is well formed for a known prefix, else None."""
    if not isinstance(curie, str) or ":" not in curie:
        return None
    prefix, local = curie.split(":", 1)
    pattern = LOCAL_PATTERNS.get(prefix)
    if pattern is None or not re.fullmatch(pattern, local):
        return None
    return prefix, local


@dataclass(frozen=True)
class Term:
    curie: str
    label: str
    kind: str
    source: str


# The scopes of an OBO synonym, closest first.
SYNONYM_SCOPES = ("EXACT", "NARROW", "BROAD", "RELATED")


@dataclass(frozen=True)
class Synonym:
    curie: str
    text: str
    scope: str  # one of SYNONYM_SCOPES
    source: str


class Reference:
    """The confirmed identifiers and the IRI convention, read from data/reference/."""

    def __init__(self, directory: Path):
        self.directory = directory

    @cached_property
    def prefixes(self) -> dict[str, str]:
        rows = _read_tsv(self.directory / "prefixes.tsv")
        return {row["prefix"]: row["uri_prefix"] for row in rows}

    @cached_property
    def converter(self) -> curies.Converter:
        import curies  # imported when first needed: it takes half a second (pydantic)

        return curies.Converter.from_prefix_map(self.prefixes)

    @cached_property
    def terms(self) -> dict[str, Term]:
        """Every confirmed identifier: the table's rows, and the gene records its notes name."""
        terms: dict[str, Term] = {}
        for row in _read_tsv(self.directory / "identifiers.tsv"):
            terms[row["curie"]] = Term(row["curie"], row["label"], row["kind"], row["source"])
            note = row.get("note") or ""
            # Gene rows name the same gene's NCBI Gene and UniProt records in their note.
            for ncbi in re.findall(r"NCBIGene:(\d+)", note):
                curie = f"NCBIGene:{ncbi}"
                terms.setdefault(curie, Term(curie, row["label"], "gene_record", row["source"]))
            for acc in re.findall(r"UniProt ([A-Z0-9]+)", note):
                curie = f"uniprot:{acc}"
                terms.setdefault(curie, Term(curie, row["label"], "protein_record", row["source"]))
        return terms

    @cached_property
    def is_a(self) -> list[tuple[str, str, str]]:
        """Confirmed subclass links between external terms: (child, parent, source) CURIEs."""
        path = self.directory / "is_a.tsv"
        return [(row["child"], row["parent"], row["source"]) for row in _read_tsv(path)] if path.exists() else []

    @cached_property
    def synonyms(self) -> list[Synonym]:
        """The confirmed terms' synonyms (synonyms.tsv), each as the ontology's file states it."""
        path = self.directory / "synonyms.tsv"
        if not path.exists():
            return []
        found, columns = [], None
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line or line.startswith("#"):
                continue
            cells = line.split("\t")
            if columns is None:
                columns = cells
                if columns[:5] != ["curie", "label", "synonym", "scope", "source"]:
                    raise CurationError(path, f"the header is {columns}", "start the table with the columns "
                                        "curie, label, synonym, scope, source (tab-separated)", line=n)
                continue
            row = dict(zip(columns, cells))
            term = self.terms.get(row.get("curie", ""))
            if term is None:
                raise CurationError(path, f"{row.get('curie')!r} is not confirmed in identifiers.tsv", "add the term "
                                    "there from a checked source first, or remove the synonym", line=n)
            if row.get("label") != term.label:
                raise CurationError(path, f"the label {row.get('label')!r} is not identifiers.tsv's {term.label!r}",
                                    "write the label identifiers.tsv gives the term", line=n)
            if row.get("scope") not in SYNONYM_SCOPES:
                raise CurationError(path, f"scope {row.get('scope')!r}", f"use one of {', '.join(SYNONYM_SCOPES)}, "
                                    "as the ontology's file states it", line=n)
            if not (row.get("synonym") or "").strip() or not (row.get("source") or "").strip():
                raise CurationError(path, "a synonym without its text or its source",
                                    "give the synonym as the file writes it and the file it was read from", line=n)
            found.append(Synonym(term.curie, row["synonym"], row["scope"], row["source"]))
        return found

    @cached_property
    def confirmed_citation_ids(self) -> set[str]:
        """DOIs, PMIDs and PMCIDs the citations table gives as confirmed values."""
        found: set[str] = set()
        for row in _read_tsv(self.directory / "citations.tsv"):
            for column in ("doi", "pmid", "pmcid"):
                value = (row.get(column) or "").strip()
                if value and value != "unconfirmed":
                    found.add(value)
        return found

    def iri(self, curie: str) -> str:
        # Kept per CURIE: the converter rebuilds its whole prefix map at each expansion, and the
        # same few hundred CURIEs are expanded for every entity and claim that names them.
        expanded = self._expanded.get(curie)
        if expanded is None:
            expanded = self._expanded[curie] = self.converter.expand(curie, strict=True)
        return expanded

    @cached_property
    def _expanded(self) -> dict[str, str]:
        return {}


# Where a project folder keeps its reference tables (data/reference/).
REFERENCE_DIR = "reference"


def query_expander(data_dir: Path):
    """curie_expander without reading the curation: the reference tables alone (for `query`,
    which answers from the release); and the converter, to write answers as CURIEs."""
    converter = Reference(data_dir / REFERENCE_DIR).converter
    return expander(converter), converter


def expander(converter):
    """CURIE -> IRI: the project's own prefixes, then the converter's; None for an unknown
    prefix, which the caller reports."""
    from .namespaces import PREFIXES

    expand = converter.expand

    def expand_any(curie: str) -> str | None:
        prefix, _, local = curie.partition(":")
        if prefix in PREFIXES:
            return PREFIXES[prefix] + local
        try:
            return expand(curie)
        except Exception:  # noqa: BLE001 - an unknown prefix is reported by the caller
            return None

    return expand_any
