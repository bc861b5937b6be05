"""The naive side: the obvious way, kept on purpose as the comparison for the product.

Pure-Python YAML, an rdflib graph, pyshacl with its defaults (only the options the shapes need:
SHACL-AF and warnings allowed), rdflib SPARQL for the ontology checks and the stored queries,
HermiT on the whole graph. It reads the same curated input, with the project's own loader and
emitter (so the two sides validate and query the same triples), the same shapes, checks and
stored queries, on the ontology as the build releases it; it writes no release. What it reports,
for the benchmark to compare with what `python build.py` wrote into dist/: each stage as it ends,
then the digests of its SHACL report and of each stored query's answer, in the text the release
gives them (dist/validation-report.txt, dist/queries/*).
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from mirkg import paths
from mirkg.ontology import claim_relations, entity_kinds
from mirkg.ontology_checks import load_checks

STAGES = ("load curated input", "emit triples", "SHACL validation", "ontology checks", "OWL consistency",
          "stored queries")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def run_naive(data_dir: Path, report) -> None:
    from pyshacl import validate

    import mirkg.yamlio
    from mirkg.curation import load_curation
    from mirkg.pipeline import curie_expander, load_ontology_with_mappings
    from mirkg.queries import answer_as_tsv, bind, load_queries, run_rdflib
    from mirkg.reasoning import check_consistency
    from mirkg.shacl_report import format_report, results_of
    from mirkg.triples import build_graph
    from mirkg.validation import load_shapes

    last = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal last
        now = time.perf_counter()
        report({"stage": stage, "seconds": round(now - last, 4)})
        last = now

    mirkg.yamlio._CSafeLoader = None  # the pure-Python YAML reader
    ontology, _ = load_ontology_with_mappings(paths.ONTOLOGY)
    curation = load_curation(data_dir, claim_relations(ontology), entity_kinds(ontology))
    lap("load curated input")
    data = build_graph(curation, ontology)
    union = data + ontology
    lap("emit triples")
    _, report_graph, _ = validate(union, shacl_graph=load_shapes(paths.SHAPES), advanced=True, allow_warnings=True)
    shacl_report = format_report(results_of(report_graph))
    lap("SHACL validation")
    for check in load_checks(paths.ONTOLOGY).values():
        len(union.query(check))
    lap("ontology checks")
    check_consistency(ontology, data)
    lap("OWL consistency")
    expand = curie_expander(curation)
    answers = {q.name: digest(answer_as_tsv(run_rdflib(union, q, bind(q, q.example, expand))))
               for q in load_queries(paths.QUERIES)}
    lap("stored queries")
    report({"done": True, "triples": len(data), "validation_report": digest(shacl_report), "answers": answers})
