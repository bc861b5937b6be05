"""Issue 16, point 6: every nanopublication has a trusty URI computed from its content, which the
`nanopub` library (2.0.1, the reference Python implementation) verifies; its creator is an
agent IRI; signing is optional, with a key the user supplies, and verifies too."""

from __future__ import annotations

import warnings

import pytest
from rdflib import RDF, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF

from helpers import run, tree_digest
from mirkg import iris
from mirkg.nanopubs import SigningKey, nanopub_claims
from mirkg.named_graphs import Split, split_graphs
from mirkg.release import ntriples_text
from mirkg.publish import source_graph

NP = "http://www.nanopub.org/nschema#"
CREATED = "2026-11-26T00:00:00Z"
VERSION = "https://w3id.org/mirkg/dataset/0.1.0"


def nanopubs_of(trig: bytes | str) -> dict[str, object]:
    """Each nanopublication of a TriG file on its own, as the nanopub library reads one:
    np IRI -> ConjunctiveGraph of its four graphs."""
    from rdflib import ConjunctiveGraph

    dataset = Dataset()
    dataset.parse(data=trig, format="trig")
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # nanopub 2.0.1 uses ConjunctiveGraph
        for np_uri, _, _, _ in dataset.quads((None, RDF.type, URIRef(NP + "Nanopublication"), None)):
            one = ConjunctiveGraph()
            for graph in dataset.graphs():
                if str(graph.identifier).startswith(f"{np_uri}#"):
                    for triple in graph:
                        one.get_context(graph.identifier).add(triple)
            out[str(np_uri)] = one
    return out


def verify(one, signed: bool = False) -> None:
    """The nanopub library's checks: well formed, trusty URI (and signature when signed)."""
    from nanopub import Nanopub
    from nanopub.sign_utils import verify_signature, verify_trusty

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        nanopub = Nanopub(rdf=one)
        assert nanopub.is_valid
        assert verify_trusty(one, str(nanopub.metadata.np_uri), nanopub.metadata.namespace)
        if signed:
            assert verify_signature(one, nanopub.metadata.namespace)


@pytest.fixture(scope="module")
def split(built_dist, build):
    return split_graphs((built_dist / "ontology.nt").read_bytes(), [(built_dist / "mirkg.nt").read_bytes()],
                        build.curation)


def changed(built_dist, build, change) -> Split:
    """The release's split with every instance line passed through change(line)."""
    lines = sorted(change(ln) for ln in (built_dist / "mirkg.nt").read_bytes().splitlines())
    return split_graphs((built_dist / "ontology.nt").read_bytes(), [ntriples_text(lines)], build.curation)


def nanopublications(split: Split, *args):
    """mirkg.nanopubs.nanopublications of the release's instance lines, as publish.py calls it."""
    from mirkg.nanopubs import nanopublications as made

    return made(split, *args)


@pytest.fixture(scope="module")
def released(built_dist):
    return nanopubs_of((built_dist / "nanopubs.trig").read_bytes())


def test_every_released_nanopublication_passes_the_trusty_uri_verification(released, build):
    assert len(released) == len(build.curation.statements)
    for np_uri, one in released.items():
        assert np_uri.startswith(f"{iris.BASE}np/RA") and len(np_uri.rsplit("/", 1)[1]) == 45, np_uri
        verify(one)


def test_a_nanopublication_whose_content_changed_fails_the_verification(released):
    from nanopub.utils import MalformedNanopubError

    np_uri, one = next(iter(released.items()))
    assertion = next(c for c in one.contexts() if str(c.identifier).endswith("#assertion"))
    label = next(o for _, _, o in assertion.triples((None, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None)))
    assertion.remove((None, None, label))
    assertion.add((URIRef(f"{iris.BASE}claim/x"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
                   Literal(str(label) + " (changed)")))
    with pytest.raises(MalformedNanopubError, match="not valid"):
        verify(one)


def test_the_iri_changes_with_the_content_and_only_then(split, build, built_dist):
    """The next release gives a claim's nanopublication the same IRI only for the same content."""
    before = set(nanopubs_of(nanopublications(split, nanopub_claims(build.curation), CREATED, VERSION)))
    assert before == set(nanopubs_of(nanopublications(split, nanopub_claims(build.curation), CREATED, VERSION)))
    later = set(nanopubs_of(nanopublications(split, nanopub_claims(build.curation), "2027-01-01T00:00:00Z", VERSION)))
    assert not before & later  # every pubinfo's creation date changed: every IRI did
    # One claim's label changed: its nanopublication, and only it, gets a new IRI.
    first = build.curation.statements[0]
    claim = f"<{iris.claim_iri(first.id)}> ".encode()
    label = b"<http://www.w3.org/2000/01/rdf-schema#label>"
    other = changed(built_dist, build, lambda ln: ln.replace(b'"@en .', b' (changed)"@en .')
                    if ln.startswith(claim) and label in ln else ln)
    assert other.text != split.text
    after = set(nanopubs_of(nanopublications(other, nanopub_claims(build.curation), CREATED, VERSION)))
    assert len(before - after) == len(after - before) == 1


@pytest.mark.parametrize("signed", [False, True])
def test_literals_with_escapes_keep_the_trusty_uri_and_signature_verifiable(split, build, built_dist, key_file, signed):
    """A label holding a quote, a line break, a backslash, a tab and a non-ASCII letter: written
    with escapes in N-Quads, hashed (and signed) as the text they stand for."""
    first = build.curation.statements[0]
    claim = f"<{iris.claim_iri(first.id)}> ".encode()
    label = b"<http://www.w3.org/2000/01/rdf-schema#label>"
    escaped = ' (a \\"quoted\\" word,\\na second line, a back\\\\slash, a\\ttab, \u03b2)"@en .'.encode()
    other = changed(built_dist, build, lambda ln: ln.replace(b'"@en .', escaped)
                    if ln.startswith(claim) and label in ln else ln)
    assert other.text != split.text
    key = SigningKey(key_file) if signed else None
    made = nanopubs_of(nanopublications(other, nanopub_claims(build.curation), CREATED, VERSION, key))
    (escaped_one,) = [one for one in made.values()
                      if any('"quoted" word,\na second line, a back\\slash, a\ttab, \u03b2' in str(o)
                             for o in one.objects(None, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))]
    verify(escaped_one, signed=signed)


def test_the_output_is_deterministic(split, build):
    assert nanopublications(split, nanopub_claims(build.curation), CREATED, VERSION) == nanopublications(
        split, nanopub_claims(build.curation), CREATED, VERSION)


def creators(one) -> list:
    return [o for c in one.contexts() if str(c.identifier).endswith("#pubinfo")
            for o in c.objects(None, DCTERMS.creator)]


def test_the_pubinfo_creator_is_an_agent_iri_with_its_name(released):
    for np_uri, one in released.items():
        found = creators(one)
        assert found == [iris.curators_iri()], np_uri
        assert next(one.objects(found[0], FOAF.name)) == Literal(iris.CURATORS_NAME)
    # The check above fails on a creator given as a string, as the nanopublications had it before.
    _, one = next(iter(released.items()))
    pubinfo = next(c for c in one.contexts() if str(c.identifier).endswith("#pubinfo"))
    pubinfo.remove((None, DCTERMS.creator, None))
    pubinfo.add((URIRef("urn:x:np"), DCTERMS.creator, Literal(iris.CURATORS_NAME)))
    assert creators(one) != [iris.curators_iri()]


@pytest.fixture(scope="module")
def key_file(tmp_path_factory):
    from Crypto.PublicKey import RSA  # pycryptodome, the nanopub library's own RSA implementation

    path = tmp_path_factory.mktemp("key") / "np.pem"
    path.write_bytes(RSA.generate(2048).export_key())
    return path


def test_signed_nanopublications_verify_with_the_library(split, build, key_file):
    signed = nanopubs_of(nanopublications(split, nanopub_claims(build.curation), CREATED, VERSION, SigningKey(key_file)))
    assert len(signed) == len(build.curation.statements)
    for one in signed.values():
        verify(one, signed=True)


def test_a_forged_signature_fails(split, build, key_file):
    from nanopub.utils import MalformedNanopubError

    text = nanopublications(split, nanopub_claims(build.curation), CREATED, VERSION, SigningKey(key_file))
    _, one = next(iter(nanopubs_of(text).items()))
    pubinfo = next(c for c in one.contexts() if str(c.identifier).endswith("#pubinfo"))
    sig_property = URIRef("http://purl.org/nanopub/x/hasSignature")
    node, _, value = next(iter(pubinfo.triples((None, sig_property, None))))
    pubinfo.remove((node, sig_property, value))
    # a different first character (the key is random: its signature may start with "A" already)
    pubinfo.add((node, sig_property, Literal(("B" if str(value)[0] == "A" else "A") + str(value)[1:])))
    with pytest.raises(MalformedNanopubError):
        verify(one, signed=True)


def test_a_bad_key_stops_the_build_and_keeps_dist(capsys, tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "keep.txt").write_text("previous release", encoding="utf-8")
    before = tree_digest(dist)
    not_a_key = tmp_path / "key.pem"
    not_a_key.write_text("not a key", encoding="utf-8")
    code, _, err = run(["--dist", str(dist), "build", "--nanopub-key", str(not_a_key)], capsys)
    assert code == 2 and "not a readable RSA private key" in err and str(not_a_key) in err
    assert tree_digest(dist) == before


@pytest.mark.slow  # a whole build
def test_the_build_signs_with_the_key_given(key_file, capsys, tmp_path):
    dist = tmp_path / "dist"
    assert run(["--skip-reasoning", "--dist", str(dist), "build", "--nanopub-key", str(key_file)], capsys)[0] == 0
    for one in nanopubs_of((dist / "nanopubs.trig").read_bytes()).values():
        verify(one, signed=True)


def test_each_nanopublication_is_one_claim_of_one_source_with_its_graph_whole(built_dist, build):
    """Issue 17, point 7: a claim is one quote of one source, so its nanopublication is one
    evidence's. Its assertion and provenance graphs hold exactly the triples the claim and the
    nodes minted under it have in its source's named graph (mirkg.trig), plus the links that
    join them (the direct triple, the assertion graph's derivation and attribution), and its
    provenance says which source the claim is derived from."""
    dataset = Dataset()
    dataset.parse(built_dist / "mirkg.trig", format="trig")
    sources = {s.id: s.source for s in build.curation.statements}
    derived = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
    seen = set()
    # read afresh: another test alters the module's `released` copy
    for np_uri, one in nanopubs_of((built_dist / "nanopubs.trig").read_bytes()).items():
        parts = {str(c.identifier).rsplit("#", 1)[1]: c for c in one.contexts()}
        claim = next(s for s in parts["assertion"].subjects() if str(s).startswith(f"{iris.BASE}claim/"))
        cid = str(claim).rsplit("/", 1)[1]
        seen.add(cid)
        in_graph = {t for t in dataset.graph(source_graph(sources[cid]))
                    if str(t[0]) == str(claim) or str(t[0]).startswith(f"{claim}/")}
        in_np = {t for name in ("assertion", "provenance") for t in parts[name]
                 if str(t[0]) == str(claim) or str(t[0]).startswith(f"{claim}/")}
        assert in_np == in_graph, cid
        assert (claim, derived, iris.source_iri(sources[cid])) in parts["provenance"], cid
    assert seen == set(sources)


def test_the_nanopublications_do_not_depend_on_rdflibs_literal_normalisation(split, build, built_dist):
    """rdflib rewrites a dateTime's lexical form by a process-wide switch, which the nanopub library
    turns off when it is imported: the creation date is written as given, and so every trusty URI
    is the same either way (a test that had imported the library once built other IRIs)."""
    import rdflib

    before = rdflib.NORMALIZE_LITERALS
    made = {}
    try:
        for normalise in (True, False):
            rdflib.NORMALIZE_LITERALS = normalise
            for created in ("2026-11-26T00:00:00+00:00", CREATED):
                made[normalise, created] = nanopublications(split, nanopub_claims(build.curation), created, VERSION)
    finally:
        rdflib.NORMALIZE_LITERALS = before
    for created in ("2026-11-26T00:00:00+00:00", CREATED):
        assert made[True, created] == made[False, created]
        assert f'"{created}"^^'.encode() in made[True, created]
    assert made[True, "2026-11-26T00:00:00+00:00"] == (built_dist / "nanopubs.trig").read_bytes()
