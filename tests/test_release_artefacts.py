"""The triplestore release: every dump parses back to the same triples with two RDF libraries,
the named graphs split the dataset cleanly, the VoID/DCAT description counts what is there,
the checksums verify, the gzip copy is reproducible, and every nanopublication is valid."""

from __future__ import annotations

import gzip
import hashlib
import json
import warnings

import pyoxigraph as ox
import pytest
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from mirkg import __version__
from mirkg.errors import BuildError
from mirkg.publish import (
    DATA_GRAPH, DCAT, DUMPS, VOID, ONTOLOGY_GRAPH, PROVENANCE_GRAPH, RELEASE_DATES, SHARED_GRAPHS, source_graph,
    version_iri,
)
from mirkg.named_graphs import graph_of
from mirkg.void import rdf_distribution

NP = "http://www.nanopub.org/nschema#"


def _count_lines(path) -> int:
    return sum(1 for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip())


@pytest.fixture(scope="module")
def whole(built_dist) -> int:
    """The dataset's size: the sorted N-Triples of the whole, one triple a line."""
    return _count_lines(built_dist / "mirkg-all.nt")


def test_the_whole_is_ontology_plus_instance_data(built_dist, whole):
    assert whole == _count_lines(built_dist / "ontology.nt") + _count_lines(built_dist / "mirkg.nt") > 2000


@pytest.mark.parametrize("name,fmt", [
    ("mirkg-all.nt", "nt"), ("mirkg-all.ttl", "turtle"), ("mirkg-all.jsonld", "json-ld"),
])
def test_single_graph_dumps_parse_back_to_the_whole(built_dist, whole, name, fmt):
    graph = Graph().parse(built_dist / name, format=fmt)  # json-ld: the relative context is read from dist/
    assert len(graph) == whole
    assert len(list(ox.parse(_oxigraph_input(built_dist, name), format=_ox_format(name)))) == whole


def test_gzip_copy_is_the_ntriples_and_reproducible(built_dist):
    packed = (built_dist / "mirkg-all.nt.gz").read_bytes()
    assert gzip.decompress(packed) == (built_dist / "mirkg-all.nt").read_bytes()
    # RFC 1952 header: FLG byte 3 has no FNAME bit, MTIME bytes 4-7 are zero.
    assert packed[:2] == b"\x1f\x8b" and packed[3] & 0x08 == 0 and packed[4:8] == b"\0\0\0\0"


@pytest.fixture(scope="module")
def claims_by_source() -> dict[str, set[str]]:
    """source id -> the ids of the claims its statements file holds, read from the files with a
    plain YAML parser (not the curation's reader): data/sources/*/statements.yaml."""
    import yaml

    from helpers import ROOT

    out = {}
    for file in sorted((ROOT / "data" / "sources").glob("*/statements.yaml")):
        doc = yaml.safe_load(file.read_text(encoding="utf-8"))
        out[doc["source"]] = {s["id"] for s in doc.get("statements") or []}
    return out


def test_the_shipped_release_has_six_sources(claims_by_source):
    # the review paragraph and the titles of the five cited works (issue 17, point 6)
    assert len(claims_by_source) == 6 and "review" in claims_by_source
    assert sum(name.startswith("title-") for name in claims_by_source) == 5


@pytest.mark.parametrize("name", ["mirkg.trig", "mirkg.nq"])
def test_named_graph_dumps_hold_the_shared_graphs_and_one_per_source(built_dist, whole, name, claims_by_source):
    dataset = Dataset()
    dataset.parse(built_dist / name, format="trig" if name.endswith("trig") else "nquads")
    per_graph = {}
    for _, _, _, g in dataset.quads((None, None, None, None)):
        per_graph[str(g)] = per_graph.get(str(g), 0) + 1
    expected = {str(g) for g in SHARED_GRAPHS} | {
        f"https://w3id.org/mirkg/graph/{__version__}/source/{source}" for source in claims_by_source}
    assert set(per_graph) == expected and len(expected) == 3 + 6
    assert sum(per_graph.values()) == whole  # no triple in two graphs
    assert per_graph[str(ONTOLOGY_GRAPH)] == _count_lines(built_dist / "ontology.nt")
    quads = list(ox.parse(path=built_dist / name))
    assert len(quads) == whole
    assert {q.graph_name.value for q in quads} == expected


def test_ontology_rdfxml_parses_back(built_dist):
    # The OWL tools' copies (issue 18) drop the import module's owl:imports and header, which the
    # triplestore's ontology graph (ontology.nt) keeps: the Turtle copy is the one to compare with.
    expected = len(Graph().parse(built_dist / "ontology.ttl", format="turtle"))
    assert expected > 800
    assert len(Graph().parse(built_dist / "ontology.owl", format="xml")) == expected
    assert len(list(ox.parse(path=built_dist / "ontology.owl", format=ox.RdfFormat.RDF_XML))) == expected


def test_the_split_puts_entities_in_data_shared_provenance_in_provenance_and_claims_in_their_sources(
        built_dist, claims_by_source):
    quads = list(ox.parse(path=built_dist / "mirkg.nq"))
    by_graph = {}
    for q in quads:
        by_graph.setdefault(q.graph_name.value, set()).add(q.subject.value if isinstance(q.subject, ox.NamedNode) else "_")
    data = by_graph[str(DATA_GRAPH)]
    provenance = by_graph[str(PROVENANCE_GRAPH)]
    kind = lambda s: s.split("/id/")[1].split("/")[0]  # noqa: E731
    assert {kind(s) for s in data} <= {"entity", "assertion", "conflict"} and any("/id/entity/" in s for s in data)
    # activity: the curation (PROV); source: the source nodes (the texts' records)
    assert {kind(s) for s in provenance} == {"reference", "citation", "work", "agent", "source", "activity"}
    # The direct triples (miRNA targets gene) are data.
    targets = [q for q in quads if q.predicate.value == "https://w3id.org/mirkg/targets"]
    assert targets and all(q.graph_name.value == str(DATA_GRAPH) for q in targets)
    # Each source's graph: the claims its statements file holds, each with the nodes minted under
    # it (span, selectors, evidence, annotation), and nothing else.
    claim = "https://w3id.org/mirkg/id/claim/"
    for source, ids in claims_by_source.items():
        subjects = by_graph[f"https://w3id.org/mirkg/graph/{__version__}/source/{source}"]
        assert all(s.startswith(claim) for s in subjects), source
        assert {s[len(claim):].split("/")[0] for s in subjects} == ids, source
        for cid in ids:
            minted = {s[len(claim) + len(cid):] for s in subjects if s[len(claim):].split("/")[0] == cid}
            assert minted == {"", "/span", "/span/position", "/span/quote", "/evidence", "/annotation"}, cid
    # and every line about a claim, or a node under it, is in its source's graph
    source_of = {cid: source for source, ids in claims_by_source.items() for cid in ids}
    about_claims = [q for q in quads if q.subject.value.startswith(claim)]
    assert len(about_claims) > 1000
    for q in about_claims:
        cid = q.subject.value[len(claim):].split("/")[0]
        assert q.graph_name.value == f"https://w3id.org/mirkg/graph/{__version__}/source/{source_of[cid]}", q


def test_a_node_of_unknown_kind_or_claim_stops_the_build():
    with pytest.raises(BuildError, match="unknown kind"):
        graph_of("https://w3id.org/mirkg/id/somethingnew/x", {})
    with pytest.raises(BuildError, match="outside"):
        graph_of("http://example.org/x", {})
    with pytest.raises(BuildError, match="which no source's statements hold"):
        graph_of("https://w3id.org/mirkg/id/claim/nowhere/span", {"x": "review"})
    assert graph_of("https://w3id.org/mirkg/id/claim/x/span/quote", {"x": "review"}) == source_graph("review")
    assert graph_of("https://w3id.org/mirkg/id/assertion/a1", {}) == DATA_GRAPH
    assert graph_of("https://w3id.org/mirkg/id/conflict/c1", {}) == DATA_GRAPH


def test_jsonld_references_the_published_context(built_dist):
    doc = json.loads((built_dist / "mirkg-all.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == "context.jsonld"
    context = json.loads((built_dist / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert context["mirkgid"] == "https://w3id.org/mirkg/id/" and context["obo"] == "http://purl.obolibrary.org/obo/"


def test_checksums_cover_every_artefact_and_verify(built_dist):
    listed = {}
    for line in (built_dist / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, sep, rel = line.partition("  ")  # sha256sum's text-mode format
        assert sep and len(digest) == 64, line
        listed[rel] = digest
    for name in DUMPS:
        assert name in listed, name
    for name in ("void.ttl", "context.jsonld", "build-report.md"):
        assert name in listed
    for rel, digest in listed.items():
        assert hashlib.sha256((built_dist / rel).read_bytes()).hexdigest() == digest, rel
    assert "timings.json" not in listed and "SHA256SUMS" not in listed
    on_disk = {str(p.relative_to(built_dist)) for p in built_dist.rglob("*") if p.is_file()}
    unlisted = on_disk - set(listed) - {"timings.json", "SHA256SUMS"}
    assert unlisted == ADDED_AFTER_CHECKSUMS, (
        "every file but timings.json must be in SHA256SUMS; if a file was moved into release_files, "
        "drop it from ADDED_AFTER_CHECKSUMS")


# Files the build writes that SHA256SUMS does not cover (timings.json and SHA256SUMS itself
# aside): none.
ADDED_AFTER_CHECKSUMS: set[str] = set()


@pytest.mark.parametrize("name", [*DUMPS, "void.ttl"])
def test_every_rdf_file_gives_the_same_count_with_rdflib_and_pyoxigraph(built_dist, name):
    path = built_dist / name
    data = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
    base = name[:-3] if name.endswith(".gz") else name
    kind = base.rsplit(".", 1)[1]
    if kind in ("trig", "nq"):
        dataset = Dataset()
        dataset.parse(data=data, format="trig" if kind == "trig" else "nquads")
        ours = len(list(dataset.quads()))
        theirs = len(list(ox.parse(data, format=ox.RdfFormat.TRIG if kind == "trig" else ox.RdfFormat.N_QUADS)))
    else:
        fmt = {"nt": "nt", "ttl": "turtle", "owl": "xml", "jsonld": "json-ld"}[kind]
        ours = len(Graph().parse(path, format=fmt)) if kind == "jsonld" else len(Graph().parse(data=data, format=fmt))
        # distinct triples: a JSON-LD document may state one twice (a claim's annotation links to it
        # in the annotation's node and again by "@reverse"), and Oxigraph's parser streams both
        theirs = len(set(ox.parse(_oxigraph_input(built_dist, name) if kind == "jsonld" else data,
                                  format={"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE,
                                          "owl": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}[kind])))
    assert ours == theirs > 0, name


# ------------------------------------------------------------------------------------------------
# The description


@pytest.fixture(scope="module")
def void(built_dist) -> Graph:
    return Graph().parse(built_dist / "void.ttl", format="turtle")


def _int(graph: Graph, node, prop) -> int:
    value = graph.value(node, prop)
    assert value is not None, f"{node} has no {prop}"
    return int(value)


def test_void_counts_are_the_real_counts(void, built_dist, whole):
    version = rdf_distribution()  # the counts describe the RDF distribution (HCLS profile)
    assert _int(void, version, VOID.triples) == whole
    whole_graph = Graph().parse(built_dist / "mirkg-all.nt", format="nt")
    for partition in void.objects(version, VOID.classPartition):
        cls = void.value(partition, VOID["class"])
        assert _int(void, partition, VOID.entities) == len(set(whole_graph.subjects(RDF.type, cls))), cls
    partitions = list(void.objects(version, VOID.propertyPartition))
    assert len(partitions) == len(set(whole_graph.predicates()))
    for partition in partitions:
        prop = void.value(partition, VOID.property)
        assert _int(void, partition, VOID.triples) == len(list(whole_graph.triples((None, prop, None)))), prop
    nq = list(ox.parse(path=built_dist / "mirkg.nq"))
    graphs = {q.graph_name.value for q in nq}
    assert {str(g) for g in void.objects(version, VOID.subset) if (g, SD_NAME, g) in void} == graphs
    for graph in graphs:
        assert _int(void, URIRef(graph), VOID.triples) == sum(q.graph_name.value == graph for q in nq)


SD_NAME = URIRef("http://www.w3.org/ns/sparql-service-description#name")


def test_void_has_a_subset_per_source_with_the_counts_of_its_graph(void, built_dist, claims_by_source):
    """Each source's graph, as rdflib reads the TriG dump, against the description's subset for it:
    a void:Dataset of the RDF distribution, named by sd:name, with dct:source the source node,
    its triples and its entities (distinct subjects, every one an IRI of the dataset)."""
    dataset = Dataset()
    dataset.parse(built_dist / "mirkg.trig", format="trig")
    subsets = {s: void.value(s, DCTERMS.source) for s in void.objects(rdf_distribution(), VOID.subset)
               if void.value(s, DCTERMS.source) is not None}
    assert sorted(str(src).rsplit("/", 1)[1] for src in subsets.values()) == sorted(claims_by_source)
    for subset, source in subsets.items():
        assert source == URIRef(f"https://w3id.org/mirkg/id/source/{str(source).rsplit('/', 1)[1]}")
        assert (subset, RDF.type, VOID.Dataset) in void
        name = void.value(subset, SD_NAME)
        assert str(name) == f"https://w3id.org/mirkg/graph/{__version__}/source/{str(source).rsplit('/', 1)[1]}"
        graph = dataset.graph(name)
        subjects = set(graph.subjects())
        assert len(graph) > 0 and all(str(s).startswith("https://w3id.org/mirkg/id/") for s in subjects)
        assert _int(void, subset, VOID.triples) == len(graph), name
        assert _int(void, subset, VOID.entities) == len(subjects), name
        # the source node the subset names is described in the provenance graph
        assert (source, RDF.type, None) in dataset.graph(PROVENANCE_GRAPH)


def test_void_linksets_count_the_links_to_each_external_dataset(void, built_dist):
    whole_graph = Graph().parse(built_dist / "mirkg-all.nt", format="nt")
    linksets = list(void.subjects(RDF.type, VOID.Linkset))
    targets = {str(void.value(void.value(ls, VOID.objectsTarget), DCTERMS.identifier)) for ls in linksets}
    # The entities link to these datasets through their identifiers (data/reference/prefixes.tsv).
    assert {"CL", "GO", "MONDO", "UBERON", "mirbase.mature", "HGNC", "NCBIGene", "uniprot"} <= targets
    for ls in linksets:
        target = void.value(ls, VOID.objectsTarget)
        space = str(void.value(target, VOID.uriSpace))
        predicate = void.value(ls, VOID.linkPredicate)
        real = sum(1 for s, o in whole_graph.subject_objects(predicate)
                   if str(s).startswith("https://w3id.org/mirkg/") and isinstance(o, URIRef) and str(o).startswith(space))
        assert _int(void, ls, VOID.triples) == real > 0, (ls, predicate)


def test_description_has_the_hcls_core(void, built_dist):
    version = version_iri()
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator, DCTERMS.issued,
                 DCTERMS.source, URIRef("http://purl.org/pav/version")):
        assert void.value(version, prop) is not None, prop
    assert void.value(version, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert void.value(version, DCTERMS.issued) == Literal(RELEASE_DATES[__version__], datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#date"))
    media = {}
    for dist in void.objects(version, DCAT.distribution):
        if dist == rdf_distribution():  # the RDF content as a whole: several files
            continue
        name = str(void.value(dist, DCTERMS.title))
        media[name] = str(void.value(dist, DCAT.mediaType)).rsplit("media-types/", 1)[1]
        assert int(void.value(dist, DCAT.byteSize)) == (built_dist / name).stat().st_size, name
    # Issue 16: the KGX and SSSOM files are distributions too.
    sssom = {f"mappings/{p.name}" for p in (built_dist / "mappings").glob("*.sssom.tsv")}
    assert len(sssom) == 3
    expected = {name: m for name, (m, _) in DUMPS.items()}
    expected.update({name: "text/tab-separated-values" for name in ("kgx/nodes.tsv", "kgx/edges.tsv", *sssom)})
    expected.update({"mappings.ttl": "text/turtle", "mappings.nt": "application/n-triples"})
    assert media == expected


# ------------------------------------------------------------------------------------------------
# Nanopublications


def test_every_claim_is_a_valid_nanopublication(built_dist, build):
    from nanopub import Nanopub  # nanopub==2.0.1 (requirements-test.txt); parses offline

    dataset = Dataset()
    dataset.parse(built_dist / "nanopubs.trig", format="trig")
    assert len(list(ox.parse(path=built_dist / "nanopubs.trig"))) == len(list(dataset.quads()))
    heads = list(dataset.quads((None, RDF.type, URIRef(NP + "Nanopublication"), None)))
    assert len(heads) == len(build.curation.statements)
    for np_uri, _, _, head in heads:
        parts = [head] + [o for p in ("hasAssertion", "hasProvenance", "hasPublicationInfo")
                          for o in dataset.graph(head).objects(np_uri, URIRef(NP + p))]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # nanopub 2.0.1 uses ConjunctiveGraph
            from rdflib import ConjunctiveGraph

            one = ConjunctiveGraph()
            for part in parts:
                for triple in dataset.graph(part):
                    one.get_context(part).add(triple)
            nanopub = Nanopub(rdf=one)
            assert nanopub.is_valid, np_uri
        assert str(nanopub.metadata.np_uri) == str(np_uri)
        assert nanopub.metadata.trusty == str(np_uri).rsplit("/", 1)[1] and nanopub.metadata.signature is None
        assert len(dataset.graph(parts[1])) > 0


def test_a_broken_nanopublication_is_refused(built_dist):
    """The validity check above can fail: drop the provenance graph and nanopub rejects it."""
    from nanopub import Nanopub
    from nanopub.utils import MalformedNanopubError

    dataset = Dataset()
    dataset.parse(built_dist / "nanopubs.trig", format="trig")
    np_uri, _, _, head = next(iter(dataset.quads((None, RDF.type, URIRef(NP + "Nanopublication"), None))))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from rdflib import ConjunctiveGraph

        one = ConjunctiveGraph()
        for p in ("hasAssertion", "hasPublicationInfo"):
            part = dataset.graph(head).value(np_uri, URIRef(NP + p))
            for triple in dataset.graph(part):
                one.get_context(part).add(triple)
        for triple in dataset.graph(head):
            one.get_context(head).add(triple)
        with pytest.raises(MalformedNanopubError):
            Nanopub(rdf=one).is_valid  # noqa: B018 - the property runs the check


# ------------------------------------------------------------------------------------------------


def _ox_format(name: str) -> ox.RdfFormat:
    return {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}[name.rsplit(".", 1)[1]]


def _oxigraph_input(dist, name: str) -> bytes:
    """pyoxigraph has no loader for remote contexts: give it the published context inline, as a
    JSON-LD processor's document loader would."""
    data = (dist / name).read_bytes()
    if name.endswith(".jsonld"):
        doc = json.loads(data)
        doc["@context"] = json.loads((dist / doc["@context"]).read_text(encoding="utf-8"))["@context"]
        data = json.dumps(doc).encode("utf-8")
    return data


def test_a_source_without_claims_has_an_empty_graph_that_the_description_counts_and_load_replaces(built_dist, build):
    """A source folder whose statements file lists none still gets its graph: no line in the
    dumps (an RDF dataset has no empty graphs to write), a subset with zero counts in the
    description, and a place in what `load` replaces, so that a claim removed from it leaves
    no stale copy in a store loaded before."""
    from types import SimpleNamespace

    from mirkg.named_graphs import split_graphs
    from mirkg.store import release_graphs
    from mirkg.void import graph_counts

    curation = SimpleNamespace(statements=build.curation.statements, sources={**build.curation.sources, "zz-empty": None})
    split = split_graphs((built_dist / "ontology.nt").read_bytes(), [(built_dist / "mirkg.nt").read_bytes()], curation)
    empty = source_graph("zz-empty")
    assert list(split.graphs)[-1] == empty and list(split.graphs[empty]) == []
    assert graph_counts(split, empty) == {"triples": 0, "entities": 0}
    assert b"<%s> .\n" % str(empty).encode() not in b"".join(split.nquads())
    description = [ox.Triple(ox.NamedNode(str(g)), ox.NamedNode(str(SD_NAME)), ox.NamedNode(str(g))) for g in split.graphs]
    assert release_graphs(description) == [str(g) for g in split.graphs]
