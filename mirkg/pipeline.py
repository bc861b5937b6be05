"""The main job, stage by stage: source -> statements -> triples -> validation -> queries -> release.

One pipeline, at every size, on two cores:

- SHACL's core constraints run in a child forked first, while this process is small; it reads
  the data's N-Triples as they are written (mirkg/validation.py ShaclRun);
- here: the curated input is read and checked, the triples emitted once as a plain list and
  written once as N-Triples; HermiT checks OWL consistency on a homomorphic summary of the data
  in its JVM (mirkg/summary.py), beside the rest; one Oxigraph store is loaded from the
  N-Triples and answers the SHACL-SPARQL constraints, the ontology checks and the stored queries;
- GNU sort, in a process of its own, writes the release's sorted N-Triples (release.SortedFile)
  while the summary is made; the named graphs are split from that file a piece at a time;
- the release is one immutable object (Release) made from those, and every file of dist/ is a
  function of it (mirkg/publish.py), written into a staging folder that replaces dist/ only when
  every stage has passed; the files made from the named graphs alone are started into it by a
  child as soon as the graphs are split, beside the checks and the queries.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType

from rdflib import Graph
from rdflib.compare import isomorphic

from .bulk import give_back_freed_memory
from .children import NTriplesFeed, OneWay, in_child, stop_children, stopping
from .clock import Clock
from .curation import Curation, load_curation
from .errors import BuildError
from .identifiers import expander
from .hcls import all_checks
from .imports import build_imports
from .mappings import MappingSet, direct_mapping_graph, load_mapping_sets
from .nanopubs import SigningKey
from .ontology import IMPORTS_FILE, claim_relations, entity_kinds, load_ontology
from .ontology_checks import format_failures, load_checks, run_build_checks
from .owl_release import OwlArtefacts, hermit_hierarchy, owl_release_files
from .paths import Paths
from .named_graphs import split_graphs
from .publish import GraphFiles, write_release
from .queries import bind, load_queries, run_oxigraph, store_from_ntriples
from .reasoning import InconsistentOntology, check_consistency, classified_alike_with_data
from .beside import Beside
from .docs import OntologyDocs
from .release import Release, SortedFile, StagedTree, file_pieces, ntriples_pieces, sorted_ntriples
from .summary import summarise
from .triples import triples_of
from .validation import DEFAULT_ENGINE, ShaclRun, load_shapes



def load_ontology_with_mappings(ontology_dir: Path) -> tuple[Graph, list[MappingSet]]:
    """The ontology as the build releases it, and its mapping sets. The skos:*Match triples of
    ontology/mappings/ travel with the ontology, so that a store holding the release's graphs
    can follow them (stored queries 80 and 81)."""
    ontology = load_ontology(ontology_dir)
    mapping_sets = load_mapping_sets(ontology_dir)
    ontology += direct_mapping_graph(mapping_sets)
    return ontology, mapping_sets


def curie_expander(curation: Curation):
    """The CURIE expansion a stored query's parameters get: the project's own prefixes, then
    the curation's prefix table; None for an unknown prefix, which the caller reports."""
    return expander(curation.reference.converter)


class ValidationFailed(Exception):
    def __init__(self, results: list):
        self.results = results
        super().__init__(f"{sum(r.severity == 'Violation' for r in results)} SHACL violation(s)")


class Reasoning:
    """HermiT's one run, beside the other stages, in a child forked at the start of the build,
    while the process is small: the child makes the OWL artefacts that need no reasoner while the
    build makes the summary of the data once the triples are made and hands it over (give); the
    child then runs HermiT on the ontology and the summary (its JVM is the child's child), which
    gives both the verdict and the ontology's classification for mirkg-full.owl: without nominals
    or universal roles, data the ontology is consistent with changes none of its subsumptions
    (mirkg.reasoning.classified_alike_with_data); with them, HermiT classifies the ontology alone
    in a second run. When HermiT finds the summary inconsistent (merging individuals can add
    clashes the data does not have), HermiT on the whole data decides, and names the individuals
    at fault; the whole data is read back from its N-Triples file only then.

    In a child rather than a thread: owlready2's own work (reading the input, writing it out for
    HermiT, reading its answer) is Python, and in a thread it took turns with the build for
    Python's lock. Forked early rather than when the triples are made: a child forked from the
    large process keeps the pages of all it shared for as long as it runs, however the build
    frees them."""

    def __init__(self, ontology: Graph, whole_data: Path):
        self.ontology = ontology
        self._summary = OneWay()
        self._run = in_child(_reason, ontology, self._summary, whole_data)
        self._summary.started()

    def give(self, triples) -> None:
        """The summary of the data's triples, made here and sent to the child. A child that
        ended first (bad ontology: its OWL artefacts cannot be made) raises its error here."""
        summary, stats = summarise(self.ontology, triples)
        try:
            self._summary.send((summary.serialize(format="nt", encoding="utf-8"), stats))
        except BrokenPipeError:
            self._run.result()  # raises the child's error
            raise

    def result(self) -> tuple[str, dict[str, bytes], float]:
        """(what HermiT ran on, the OWL artefacts, the child's seconds from its fork to its end:
        not to when the build asks, which is later when the child ended first)."""
        (on, files), seconds = self._run()
        return on, files, seconds

    def cancel(self) -> None:
        self._run.stop()


def _reason(ontology: Graph, summary, whole_data: Path) -> tuple[str, dict[str, bytes]]:
    """In the child: HermiT on the summary the build sends, or on the whole data; (what it ran
    on, the OWL artefacts)."""
    artefacts = OwlArtefacts(ontology)  # while the build makes the summary
    summary_nt, stats = summary.receive()
    try:
        hierarchy = check_consistency(ontology, Graph().parse(data=summary_nt, format="nt"))
        on = f"the summary: {stats['representatives']} representatives for {stats['individuals']} individuals"
    except InconsistentOntology:
        # raises with the individuals at fault
        hierarchy = check_consistency(ontology, Graph().parse(source=str(whole_data), format="nt"))
        on = "the whole data (its summary was inconsistent)"
    if not classified_alike_with_data(artefacts.merged):
        hierarchy = hermit_hierarchy(artefacts.merged)
    return on, artefacts.files(hierarchy)


def ontology_sources(paths: Paths) -> list[Graph]:
    """What the import module declares the external terms of, beside the data: the ontology's
    own axioms and the mapping links that travel with it (ontology/mappings/)."""
    own = Graph().parse(paths.ontology / "mirkg.ttl", format="turtle")
    return [own, direct_mapping_graph(load_mapping_sets(paths.ontology))]


def check_imports(curation: Curation, triples, paths: Paths) -> None:
    expected = build_imports(curation.reference, *ontology_sources(paths), triples)
    committed = Graph().parse(paths.ontology / IMPORTS_FILE, format="turtle")
    if not isomorphic(expected, committed):  # the links' axiom annotations are blank nodes
        raise BuildError(
            f"{paths.ontology / IMPORTS_FILE} does not declare exactly the external terms in use; "
            "run `python build.py imports` to regenerate it, then commit it"
        )


def compile_curation(paths: Paths) -> tuple[Graph, list[MappingSet], Curation]:
    """The ontology (with its mapping links), its mapping sets, and the checked curated input.
    Raises CurationError on bad input."""
    ontology, mapping_sets = load_ontology_with_mappings(paths.ontology)
    curation = load_curation(paths.data, claim_relations(ontology), entity_kinds(ontology))
    return ontology, mapping_sets, curation


def make_release(paths: Paths, engine: str = DEFAULT_ENGINE, reason: bool = True,
                 shacl_budget: float | None = None, stop_at_validation: bool = False) -> Release:
    """Every stage up to the release object, HermiT's run included; nothing is written. Raises
    ValidationFailed when the data breaks its shapes, BuildError (CurationError,
    InconsistentOntology) on anything else. With stop_at_validation, the release object carries
    the SHACL results and no query answer (the `validate` command), and a violation does not
    raise."""
    with releasing(paths, engine, reason, shacl_budget, stop_at_validation) as release:
        release.beside.settle()
    return release


@contextmanager
def releasing(paths: Paths, engine: str = DEFAULT_ENGINE, reason: bool = True,
              shacl_budget: float | None = None, stop_at_validation: bool = False,
              tree: StagedTree | None = None, signing_key: SigningKey | None = None) -> Iterator[Release]:
    """make_release, with HermiT's run and pyLODE still going on beside the caller
    (release.beside) until the block ends: the release can be written meanwhile. Leaving the
    block waits for them; an error in the block, or in them, stops them and their JVMs.

    With a staging tree (run_build's), a child forked at the start, and sent the named graphs
    once they are split, writes the files made from them alone into it (publish.GraphFiles;
    release.graph_files), beside the ontology checks and the stored queries, which leave the
    second core idle. Nothing is committed before every check has passed (write_release);
    signing_key signs its nanopublications."""
    timings: dict[str, float] = {}
    clock = Clock(timings)
    ontology, mapping_sets = load_ontology_with_mappings(paths.ontology)
    ontology_nt = sorted_ntriples(ontology)
    shapes = load_shapes(paths.shapes)
    clock.lap("load ontology and shapes")
    with stopping(), NTriplesFeed() as feed, \
            ThreadPoolExecutor(1, thread_name_prefix="beside") as pool:
        shacl = ShaclRun(shapes, engine, ontology_nt, feed, budget=shacl_budget)
        reasoning = owl_files = docs = early = None
        try:
            feed.started()
            # HermiT's run (the verdict and the OWL artefacts' classification) goes on in a
            # child forked now, beside everything else, since HermiT's JVM is the longest stage
            # of a small build; without reasoning, a child makes the OWL artefacts unclassified.
            # Bad input stops them (below).
            if not stop_at_validation:
                if reason:
                    reasoning = Reasoning(ontology, feed.path)
                else:
                    owl_files = in_child(owl_release_files, ontology, False)
                docs = OntologyDocs(ontology)  # pyLODE's process, while this one reads the curation
                if tree is not None:
                    early = GraphFiles(tree, ontology, signing_key)  # waits for the split
            curation = load_curation(paths.data, claim_relations(ontology), entity_kinds(ontology))
            clock.lap("load curated input")
            triples = triples_of(curation, ontology)
            clock.lap("emit triples")
            check_imports(curation, triples, paths)
            clock.lap("import module check")
            for piece in ntriples_pieces(triples):
                feed.put(piece)
            piece = None  # the last piece (10 MB) would stay in this generator's frame to the end
            feed.close()
            shacl.data_written()
            clock.lap("write N-Triples (SHACL's child reads them as they come)")
            if not stop_at_validation:
                # Sorted by GNU sort in its own process, straight into the release's mirkg.nt,
                # while the summary is made here. This process never holds the sorted text: the
                # split reads it a piece at a time, and the release's writers and the child that
                # writes the named graphs' files map it (release.MappedText); read in, it held
                # 0.4 GB at scale 1000 in each, beside the store and SHACL's child.
                sorted_nt = tree.staging / "mirkg.nt" if tree is not None else Path(tempfile.mkdtemp()) / "mirkg.nt"
                sorting = SortedFile(feed.path, sorted_nt)
            # The store loads in a thread (Oxigraph's loader works without Python's lock) while
            # the summary is made here. SHACL's child reads the same N-Triples with a strict
            # parser, and the build fails if it cannot: the store's own checks would only
            # repeat its.
            loading = pool.submit(store_from_ntriples, feed.path, ontology_nt, checked=False)
            if reasoning is not None:
                reasoning.give(triples)
                clock.lap("summary of the data for HermiT (the store loads and the N-Triples sort beside it)")
            del triples  # most of this process's memory; the N-Triples file has them all
            give_back_freed_memory()
            if not stop_at_validation:
                sorting.wait()
                if tree is not None:
                    tree.adopt_written("mirkg.nt")
                clock.lap("sort the N-Triples (waited for)")
                if tree is None:  # no release to map it from: held, and split as it is
                    data_nt = sorted_nt.read_bytes()
                    split = split_graphs(ontology_nt, [data_nt], curation)
                else:
                    data_nt = None
                    split = split_graphs(ontology_nt, file_pieces(sorted_nt), curation, joined=False)
                clock.lap("split by graph (the store loads beside it)")
                if early is not None:
                    early.give(split, curation)
                    clock.lap("the named graphs' files and the nanopublications: "
                              + ("their child sent the split" if early.where == "in a child" else "written, in the build"))
            store = loading.result()
            clock.lap("load store (waited for)")
            if not stop_at_validation:
                # The ontology checks and the stored queries do not need SHACL's verdict: they run
                # while SHACL's child validates, and their failure is raised after it, so that a
                # build with both problems still stops on the violations.
                failures = run_build_checks(load_checks(paths.ontology), store, store_from_ntriples(ontology_nt))
                clock.lap("ontology checks")
                queries = tuple(load_queries(paths.queries))
                expand = curie_expander(curation)
                answers = {q.name: run_oxigraph(store, q, bind(q, q.example, expand)) for q in queries}
                give_back_freed_memory()  # what evaluating them held
                clock.lap("stored queries")
            results = shacl.finish(store)
            give_back_freed_memory()
            clock.lap("SHACL validation (waited for)")
            for stage, seconds in shacl.times.items():
                clock.record(f"  {stage}", seconds)
            if results is None:
                raise BuildError(f"SHACL validation did not finish in its budget of {shacl_budget} s")
            if stop_at_validation:
                yield Release(curation, ontology, ontology_nt, b"", store, tuple(mapping_sets), (),
                              MappingProxyType({}), tuple(results), None, Beside.settled("not run", {}), None, timings)
                return
            if any(r.severity == "Violation" for r in results):
                raise ValidationFailed(results)
            if failures:
                raise BuildError(format_failures(failures) + "\n  fix: correct the ontology (see ontology/checks/)")
            beside = Beside(reasoning, owl_files, timings, docs)
            if data_nt is None:
                data_nt = tree.mapped("mirkg.nt")
                split = split.with_text(data_nt)
                clock.lap("the instance N-Triples mapped")
            yield Release(curation, ontology, ontology_nt, data_nt, store, tuple(mapping_sets), queries,
                          MappingProxyType(answers), tuple(results), split, beside, early, timings)
            beside.settle()  # what the block did not wait for fails the build all the same
        except BaseException:
            if early is not None:
                early.stop()
            if owl_files is not None:
                owl_files.stop()
            if reasoning is not None:
                reasoning.cancel()
            if docs is not None:
                docs.cancel()
            stop_children()  # HermiT's JVM too, so that a thread waiting for it ends now
            shacl.stop()
            raise


def run_build(paths: Paths, engine: str = DEFAULT_ENGINE, reason: bool = True,
              shacl_budget: float | None = None, nanopub_key: Path | None = None, documents: str = "auto") -> Release:
    """The whole job. Writes dist/ only when every stage has passed. With nanopub_key (an RSA
    private key file), the nanopublications are signed with it; documents: whether the records'
    documents are files (publish.write_release)."""
    started = time.perf_counter()
    key = SigningKey(nanopub_key) if nanopub_key is not None else None  # a bad key stops the build first
    checks = all_checks(paths.ontology)
    # The staging tree outlives the release's block: the block's children, stopped when it ends
    # in an error, write into the tree, which is then removed.
    with stopping(), StagedTree(paths.dist) as tree, \
            releasing(paths, engine, reason, shacl_budget, tree=tree, signing_key=key) as release:
        write_release(release, tree, started, hcls_checks=checks, signing_key=key, documents=documents)
    return release
