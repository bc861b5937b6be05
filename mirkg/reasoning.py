"""OWL consistency of ontology + import module + instance data, with owlready2 and HermiT.

HermiT (run by owlready2 on Java) is the judge. When it finds the whole inconsistent, the
message names the individuals that cause it where a direct check can find them: an individual
asserted (directly or through subclasses) into two classes declared disjoint.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from contextlib import contextmanager, nullcontext
from itertools import combinations
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from .errors import BuildError
from .release import sorted_ntriples

JAVA_HINT = (
    "OWL reasoning (HermiT, through owlready2) needs a Java runtime: install one (Debian: "
    "`apt-get install default-jre-headless`), or run `python build.py --skip-reasoning` to build "
    "without the consistency check"
)


REASONED = "HermiT (owlready2) finds the ontology, its import module and the data consistent"
SKIPPED = "skipped (--skip-reasoning): the OWL consistency of ontology and data was NOT checked"


class InconsistentOntology(BuildError):
    """The ontology and the data together have no model."""


def java_available() -> bool:
    return shutil.which("java") is not None


def reasoner_input(*graphs: Graph) -> bytes:
    """The merged graphs as N-Triples (owlready2 does not read Turtle), imports resolved."""
    merged = Graph()
    for g in graphs:
        merged += g
    # The import module is merged in already; owlready2 would otherwise try to fetch it.
    merged.remove((None, OWL.imports, None))
    return sorted_ntriples(merged)


def check_consistency(*graphs: Graph) -> None:
    """Raise InconsistentOntology (naming the individuals) unless HermiT finds a model."""
    if not java_available():
        raise BuildError(JAVA_HINT)
    import owlready2

    with tempfile.TemporaryDirectory(prefix="mirkg-owl-") as tmp:
        path = Path(tmp) / "all.nt"
        path.write_bytes(reasoner_input(*graphs))
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load(format="ntriples")
        try:
            with onto, hermit_turn(tmp):
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            merged = Graph()
            for g in graphs:
                merged += g
            culprits = disjointness_clashes(merged)
            detail = "; ".join(f"{ind} is both {a} and {b}" for ind, a, b in culprits) or (
                "no individual is typed into two disjoint classes; look for a misused property "
                "(its domain or range) or a functional property with two values"
            )
            raise InconsistentOntology(f"HermiT finds the ontology and data inconsistent: {detail}") from None
        finally:
            world.close()


_turn = threading.Lock()
_turn_between_processes = None  # a build's lock for its forked children (hermit_turns)


@contextmanager
def hermit_turns():
    """Within: the HermiT runs of the children forked meanwhile take turns too (the build runs
    HermiT's two jobs in two children). A new lock each time: a child killed in its turn takes
    that lock with it, never the next build's."""
    global _turn_between_processes
    from .children import process_lock

    _turn_between_processes = process_lock()
    try:
        yield
    finally:
        _turn_between_processes = None


@contextmanager
def hermit_turn(folder: str):
    """A run of HermiT (owlready2's sync_reasoner_hermit) within: with its JVM's quick JIT
    compiler only, one run at a time in this process, and in the children forked within
    hermit_turns(). Two JVMs at once, beside the build on two cores, slow one another and the
    build more than taking turns does.

    owlready2 writes HermiT's input to a temporary file of its own and removes it only when
    HermiT finds a model: the temporary files of the run go into `folder` (the caller's, which
    it removes), so that an inconsistent ontology leaves nothing behind.

    The quick JIT compiler: a one-shot run on a small ontology finishes in about two thirds of
    the time and half the CPU (measured 1.29 -> 0.82 s, 2.26 -> 1.25 s CPU on the real dataset).
    Passed to owlready2's subprocess call as JDK_JAVA_OPTIONS, which only the `java` launcher
    reads; a JDK_JAVA_OPTIONS the user set is kept as it is. (The setting is owlready2's global,
    hence one run at a time in a process.)"""
    from owlready2 import reasoning

    with _turn, (_turn_between_processes or nullcontext()):
        kwargs = reasoning._subprocess_kargs  # owlready2's extra arguments to subprocess (no public hook)
        had_env = "env" in kwargs
        if not had_env and "JDK_JAVA_OPTIONS" not in os.environ:
            kwargs["env"] = {**os.environ, "JDK_JAVA_OPTIONS": "-XX:TieredStopAtLevel=1"}
        previous_tempdir, tempfile.tempdir = tempfile.tempdir, folder
        try:
            yield
        finally:
            tempfile.tempdir = previous_tempdir
            if not had_env:
                kwargs.pop("env", None)


def _disjoint_pairs(g: Graph) -> set[tuple[URIRef, URIRef]]:
    pairs = set()
    for a, b in g.subject_objects(OWL.disjointWith):
        pairs.add((a, b))
    for node in g.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(Collection(g, g.value(node, OWL.members)))
        pairs.update(combinations(members, 2))
    return pairs


def _superclasses(g: Graph, cls: URIRef) -> set[URIRef]:
    return set(g.transitive_objects(cls, RDFS.subClassOf))


def disjointness_clashes(g: Graph) -> list[tuple[str, str, str]]:
    """Individuals that fall, through asserted types and subclass axioms, into two disjoint classes."""
    pairs = _disjoint_pairs(g)
    clashes = set()
    for individual in set(g.subjects(RDF.type, None)):
        if not isinstance(individual, URIRef):
            continue
        classes = set()
        for t in g.objects(individual, RDF.type):
            classes |= _superclasses(g, t)
        for a, b in pairs:
            if a in classes and b in classes:
                clashes.add((str(individual), str(a), str(b)))
    return sorted(clashes)
