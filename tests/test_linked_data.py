"""Linked Data in the release (issue 19): a document per resource, its content (the concise
bounded description, checked against the store's SPARQL DESCRIBE, plus the labels of what it
points to), the pages people read, the content negotiation rules, and the landing page's
schema.org Dataset checked against void.ttl.

Expected values come from the curated input (data/*.yaml, the source paragraph) read here, or
from the store and void.ttl read with other code (rdflib, Oxigraph's DESCRIBE), never from the
documents themselves.
"""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser

import pyoxigraph as ox
import pytest
import yaml
from helpers import made_up_iris
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS

from mirkg import paths
from mirkg.linked_data import FORMATS, described_patterns, negotiate, term_anchors

NS = "https://w3id.org/mirkg/"
ID = NS + "id/"
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SH = Namespace("http://www.w3.org/ns/shacl#")
STATEMENTS = yaml.safe_load((paths.DATA / "sources" / "review" / "statements.yaml").read_text(encoding="utf-8"))["statements"]
ENTITIES = {e["id"]: e for e in yaml.safe_load((paths.DATA / "entities.yaml").read_text(encoding="utf-8"))["entities"]}
SOURCE = (paths.DATA / "sources" / "review" / "text.txt").read_bytes().decode("utf-8")
EXTENSIONS = ("html", "ttl", "jsonld")  # a record's files in the release; serve makes .nt and .rdf from the Turtle


@pytest.fixture(scope="module")
def store(built_dist):
    s = ox.Store()
    s.bulk_load(path=built_dist / "mirkg.nt", format=ox.RdfFormat.N_TRIPLES)
    s.bulk_load(path=built_dist / "ontology.nt", format=ox.RdfFormat.N_TRIPLES)
    return s


@pytest.fixture(scope="module")
def data_resources(built_dist) -> list[str]:
    """Every instance IRI the data describes (a subject of mirkg.nt), read from the N-Triples text."""
    found = set()
    for line in (built_dist / "mirkg.nt").read_text(encoding="utf-8").splitlines():
        subject = line.split(" ", 1)[0]
        if subject.startswith(f"<{ID}"):
            found.add(subject[1:-1])
    return sorted(found)


@pytest.fixture(scope="module")
def catalog(built_dist) -> Graph:
    """The stored queries as the release ships them (dist/queries/catalog.ttl), read with rdflib."""
    return Graph().parse(built_dist / "queries" / "catalog.ttl", format="turtle")


@pytest.fixture(scope="module")
def query_resources(catalog) -> list[str]:
    """Every instance IRI the query catalogue describes: the queries and their prefix declarations."""
    return sorted({str(s) for s in catalog.subjects() if isinstance(s, URIRef) and str(s).startswith(ID)})


@pytest.fixture(scope="module")
def resources(data_resources, query_resources) -> list[str]:
    return sorted({*data_resources, *query_resources})


def record(iri: str) -> str:
    """KIND/ID of the record an instance IRI belongs to: the IRI's first two steps below id/
    (a claim's span, selectors and evidence are minted under the claim, mirkg/iris.py)."""
    return "/".join(iri[len(ID):].split("/")[:2])


def doc(dist, iri: str, ext: str):
    return dist / "doc" / f"{record(iri)}.{ext}"


# ------------------------------------------------------------------------------------------------
# Documents


def test_every_resource_has_a_document_in_every_format(built_dist, resources):
    assert len(resources) > 100  # entities, claims, spans, selectors, evidence, references, works...
    missing = [(iri, ext) for iri in resources for ext in EXTENSIONS if not doc(built_dist, iri, ext).is_file()]
    assert missing == []
    # and nothing else under doc/ but the ontology's and the description's documents, each
    # nanopublication's (np/, tests/test_linked_data_graphs.py) and each named graph's (graph/)
    written = {p.relative_to(built_dist / "doc").as_posix() for p in (built_dist / "doc").rglob("*") if p.is_file()}
    expected = {f"{record(iri)}.{ext}" for iri in resources for ext in EXTENSIONS}
    expected |= {f"{name}.{ext}" for name in ("ontology", "dataset") for ext in ("ttl", "jsonld", "nt", "rdf")}
    nanopubs = Dataset()
    nanopubs.parse(built_dist / "nanopubs.trig", format="trig")
    np_codes = {str(s).rsplit("/", 1)[1] for s, _, _, _ in nanopubs.quads(
        (None, RDF.type, URIRef("http://www.nanopub.org/nschema#Nanopublication"), None))}
    expected |= {f"np/{code}.{ext}" for code in np_codes for ext in ("trig", "nq", "jsonld", "html")}
    void = Graph().parse(built_dist / "void.ttl", format="turtle")
    graphs = {str(n)[len(NS):] for n in void.objects(None, URIRef("http://www.w3.org/ns/sparql-service-description#name"))}
    assert len(graphs) >= 4 and all(name.startswith("graph/") for name in graphs)
    expected |= {f"{name}.{ext}" for name in graphs for ext in EXTENSIONS}  # doc/graph/VERSION/NAME.EXT
    assert written == expected


def test_a_document_is_the_describe_of_its_resources_plus_the_labels_of_what_they_point_to(built_dist, store,
                                                                                            data_resources):
    """Oxigraph's DESCRIBE is the concise bounded description. A record's document (a claim with
    the span, selectors and evidence minted under it) holds, for each IRI it describes, exactly
    that IRI's DESCRIBE, and besides them the rdfs:label of every IRI they point to, nothing else."""
    by_record: dict[str, list[str]] = {}
    for iri in data_resources:
        by_record.setdefault(record(iri), []).append(iri)
    assert any(len(iris) >= 5 for iris in by_record.values())  # a claim and its parts
    for name, members in by_record.items():
        in_doc = {_as_stored(str(q.triple))
                  for q in ox.parse(path=doc(built_dist, members[0], "ttl"), format=ox.RdfFormat.TURTLE)}
        described = set()
        for iri in members:
            describe = {_as_stored(str(t)) for t in store.query(f"DESCRIBE <{iri}>")}
            assert describe, iri  # every resource says something
            assert {t for t in in_doc if t.startswith(f"<{iri}> ")} == describe, iri
            described |= describe
        labels = set().union(*(_labels(store, iri) for iri in members))
        assert in_doc - described == labels - described, name


def test_a_stored_querys_document_is_its_description_in_the_catalogue(built_dist, catalog, query_resources):
    """The queries' IRIs (id/query/NAME, in the catalogue the release ships) have documents like
    the data's records: the concise bounded description read from the catalogue by rdflib (the
    prefix declarations' blank nodes closed over), in Turtle and JSON-LD."""
    queries = [iri for iri in query_resources if (URIRef(iri), RDF.type, SH.SPARQLExecutable) in catalog]
    assert len(queries) == len(list(paths.QUERIES.glob("*.rq"))) > 10
    for iri in query_resources:
        expected = catalog.cbd(URIRef(iri))
        assert len(expected) >= 1, iri
        for ext, fmt in (("ttl", "turtle"), ("jsonld", "json-ld")):
            got = Graph().parse(doc(built_dist, iri, ext), format=fmt)
            assert isomorphic(got, expected), (iri, ext)
    declarations = Graph().parse(doc(built_dist, ID + "query/prefixes", "ttl"), format="turtle")
    assert len(set(declarations.objects(None, SH.declare))) == len(set(catalog.objects(None, SH.declare))) > 3


def _as_stored(triple: str) -> str:
    """The triple as Oxigraph's store gives it back: the store (0.5.13) keeps a value of a type
    derived from xsd:integer (the selectors' oa:start and oa:end are xsd:nonNegativeInteger) as
    an xsd:integer, so the comparison with DESCRIBE is made on values; the documents keep the
    datatype the data gives (test_the_formats_of_a_document_hold_the_same_graph reads them)."""
    return re.sub(r"\^\^<http://www\.w3\.org/2001/XMLSchema#nonNegativeInteger>",
                  "^^<http://www.w3.org/2001/XMLSchema#integer>", triple)


def _labels(store, iri: str) -> set[str]:
    rows = store.query(f"SELECT DISTINCT ?o ?l WHERE {{ <{iri}> ?p ?o . ?o <{RDFS.label}> ?l FILTER(isIRI(?o)) }}")
    return {f"{row[0]} <{RDFS.label}> {row[1]}" for row in rows}


@pytest.mark.parametrize("kind", ["entity/TRAF6", "claim/mir146a-targets-traf6", "claim/mir146a-targets-traf6/span",
                                  "reference/8", "source/review", "query/01-mirna-targets", "query/prefixes"])
def test_the_formats_of_a_document_hold_the_same_graph(built_dist, kind):
    iri = ID + kind
    turtle = Graph().parse(doc(built_dist, iri, "ttl"), format="turtle")
    jsonld = Graph().parse(doc(built_dist, iri, "jsonld"), format="json-ld")
    assert len(turtle) > 3 and isomorphic(turtle, jsonld)
    assert (URIRef(iri), None, None) in turtle


# ------------------------------------------------------------------------------------------------
# Pages


class Page(HTMLParser):
    """Text, links, marks and loaded resources of a page."""

    def __init__(self, text: str):
        super().__init__()
        self.hrefs, self.marks, self.loads, self.sections = [], [], [], {}
        self._mark, self._section, self.text = None, None, []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag in ("script", "img", "iframe") and a.get("src") or tag == "link" and a.get("rel") == "stylesheet":
            self.loads.append((tag, a))
        if tag == "mark":
            self._mark = ""
        if tag == "section":
            self._section = a.get("id")
            self.sections[self._section] = ""

    def handle_endtag(self, tag):
        if tag == "mark":
            self.marks.append(self._mark)
            self._mark = None

    def handle_data(self, data):
        self.text.append(data)
        if self._mark is not None:
            self._mark += data
        if self._section:
            self.sections[self._section] += data


def page(dist, iri: str) -> Page:
    return Page(doc(dist, iri, "html").read_text(encoding="utf-8"))


def _mentions(eid: str) -> list[dict]:
    return [s for s in STATEMENTS
            if eid in (s["subject"], s["object"], s.get("via")) or eid in s.get("context", {}).values()]


def test_entity_page_shows_identity_and_every_claim_with_quote_and_citation(built_dist):
    import csv

    prefixes = {row["prefix"]: row["uri_prefix"] for row in csv.DictReader(
        [ln for ln in (paths.DATA / "reference" / "prefixes.tsv").read_text(encoding="utf-8").splitlines()
         if ln and not ln.startswith("#")], delimiter="\t")}
    for eid in ("TRAF6", "SLE", "hsa-miR-146a-5p"):
        entity = ENTITIES[eid]
        p = page(built_dist, ID + "entity/" + eid)
        text = "".join(p.text)
        assert entity["name"] in text
        if entity.get("id_curie"):
            prefix, local = entity["id_curie"].split(":", 1)
            assert any(h.startswith(prefixes[prefix]) and h.endswith(local) for h in p.hrefs), eid
        claims = _mentions(eid)
        assert claims
        claim_links = {h for h in p.hrefs if "/claim/" in h and h.endswith(".html")}
        assert {f"../../doc/claim/{s['id']}.html" for s in claims} <= claim_links, eid
        assert {s["quote"] for s in claims} == set(p.marks) & {s["quote"] for s in claims}
        assert {s["quote"] for s in claims} <= set(p.marks), eid
        for s in claims:
            if s.get("citation") not in (None, "none"):
                assert s["citation"] in p.sections["claims"], (eid, s["id"])


def test_claim_page_shows_its_parts_evidence_hedge_and_quote_in_context(built_dist):
    hedged = next(s for s in STATEMENTS if s.get("hedge"))
    for s in (hedged, next(s for s in STATEMENTS if s["id"] == "mir146a-targets-traf6")):
        p = page(built_dist, ID + "claim/" + s["id"])
        claim = p.sections["claim"]
        assert ENTITIES[s["subject"]]["name"] in claim and ENTITIES[s["object"]]["name"] in claim
        assert s["evidence"].replace("ECO:", "ECO_") in " ".join(p.hrefs)
        assert (s["hedge"] if s.get("hedge") else "not hedged") in claim
        assert p.marks == [s["quote"]]
        # the quote in context: the text around the mark is the source's text around the quote
        html_text = doc(built_dist, ID + "claim/" + s["id"], "html").read_text(encoding="utf-8")
        block = re.search(r'<blockquote class="quote">(.*?)</blockquote>', html_text, re.DOTALL).group(1)
        context = unescape(re.sub(r"<[^>]+>", "", block)).strip("…")
        assert len(context) > len(s["quote"]) + 20
        at = SOURCE.find(context)
        assert at >= 0 and at + context.index(s["quote"]) == SOURCE.find(s["quote"])


def test_pages_work_offline_and_link_back(built_dist, resources):
    for iri in resources[::7]:
        p = page(built_dist, iri)
        assert p.loads == [], iri
        depth = record(iri).count("/") + 1
        assert "../" * depth + "site/index.html" in p.hrefs
        for href in p.hrefs:
            if not href.startswith(("http://", "https://", "#")):
                target = (doc(built_dist, iri, "html").parent / href.split("#")[0]).resolve()
                assert target.is_file(), (iri, href)


def _query_header(path) -> dict[str, list[str]]:
    """The documentation block of a stored query file (# key: value, continued on '#   ' lines)."""
    fields: dict[str, list[str]] = {}
    last = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = re.fullmatch(r"# (\w+): (.*)", line)
        if match:
            last = match.group(1)
            fields.setdefault(last, []).append(match.group(2).strip())
        else:
            fields[last][-1] += " " + line.lstrip("# ").strip()
    return fields


@pytest.mark.parametrize("name", sorted(p.stem for p in paths.QUERIES.glob("*.rq")))
def test_a_stored_querys_page_documents_it(built_dist, catalog, name):
    """The page of id/query/NAME: title, question, answer, parameters, example (an entity linked
    to its page), the SPARQL text the catalogue holds, and a link to its answer in dist/queries/."""
    header = _query_header(paths.QUERIES / f"{name}.rq")
    iri = ID + "query/" + name
    html = doc(built_dist, iri, "html").read_text(encoding="utf-8")
    p = Page(html)
    text = " ".join(unescape(t) for t in p.text)
    assert p.loads == []
    section = unescape(p.sections["query"])
    assert unescape(re.search(r"<h1>(.*?)</h1>", html).group(1)) == header["title"][0]
    assert header["question"][0] in section and header["answer"][0] in section
    for spec in header.get("param", []):
        pname, kind, need, description = spec.split(None, 3)
        assert f"?{pname}" in section and f"{kind}, {need}" in section and description in section, spec
    for pair in " ".join(header.get("example", [])).split():
        key, value = pair.split("=", 1)
        assert key in section, pair
        if value.startswith("mirkgid:"):  # an entity of the data: linked to its page
            assert f"../../doc/{value[len('mirkgid:'):]}.html" in p.hrefs, pair
    # the SPARQL text: what the catalogue (read by rdflib) gives as the query's sh:select/ask/construct
    (body,) = [str(o) for pred in (SH.select, SH.ask, SH.construct) for o in catalog.objects(URIRef(iri), pred)]
    shown = unescape(re.search(r'<pre class="sparql"><code>(.*?)</code></pre>', html, re.DOTALL).group(1))
    assert shown == body and re.search(r"\b(SELECT|ASK|CONSTRUCT)\b", body)
    # the answer the release ships, linked from the page
    answers = [h for h in p.hrefs if h.startswith("../../queries/")]
    assert answers == [h for h in answers if h.split("/")[-1].rsplit(".", 1)[0] == name] and len(answers) == 1
    assert (doc(built_dist, iri, "html").parent / answers[0]).resolve().is_file()
    assert (built_dist / answers[0][len("../../"):]).stat().st_size > 0
    assert name in text


def test_the_dataset_page_links_each_entity_and_claim_to_its_page(built_dist):
    p = Page((built_dist / "site" / "index.html").read_text(encoding="utf-8"))
    assert {f"../doc/entity/{e}.html" for e in ENTITIES} <= set(p.hrefs)
    assert {f"../doc/claim/{s['id']}.html" for s in STATEMENTS} <= set(p.hrefs)


# ------------------------------------------------------------------------------------------------
# Content negotiation and the IRIs' answers


@pytest.mark.parametrize(("accept", "media"), [
    (None, "text/html"),
    ("*/*", "text/html"),
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/n-triples", "application/n-triples"),
    ("application/rdf+xml", "application/rdf+xml"),
    # Firefox's header: HTML
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    # rdflib's and many RDF clients': the first RDF syntax they rank highest
    ("application/rdf+xml;q=0.9, text/turtle, */*;q=0.1", "text/turtle"),
    ("text/turtle;q=0.2, application/ld+json;q=0.8", "application/ld+json"),
    ("text/*", "text/html"),
    ("image/png", None),
])
def test_negotiate(accept, media):
    assert negotiate(accept) == media


def test_resolve_answers_every_iri_the_release_describes_and_404_for_made_up_ones(resolver, resources):
    """Every instance IRI the data and the catalogue describe (a record and each node minted under
    it: a claim's span, selectors, evidence, annotation) 303s to its record's document; an IRI made
    up under a real record (id/claim/X/nonsense) is not the record's, and is 404 like any other."""
    for iri in resources:
        answer = resolver(iri[len(NS):], "text/turtle")
        assert (answer.status, answer.location) == (303, f"doc/{record(iri)}.ttl"), iri
    kinds = {iri[len(ID):].split("/")[0] for iri in resources}
    assert {"entity", "claim", "reference", "work", "agent", "source", "query"} <= kinds
    made = made_up_iris(resources)
    assert {f"{ID}claim/mir146a-targets-traf6/nonsense", f"{ID}claim/mir146a-targets-traf6/span/nonsense",
            f"{ID}query/01-mirna-targets/nonsense", f"{ID}entity/TRAF6/span"} <= set(made)
    for iri in made:
        for accept in (None, "text/turtle", "application/ld+json"):
            assert resolver(iri[len(NS):], accept).status == 404, (iri, accept)


def test_the_apache_patterns_name_exactly_the_described_iris():
    """described_patterns on records whose parts differ: a part every record of a kind has makes
    one pattern for the kind, a part only some have is listed with each; as Python regular
    expressions (PCRE reads them the same), they match the described IRIs and nothing else.
    tests/test_apache.py runs the generated rules on Apache itself."""
    def node(path):
        return ox.NamedNode(ID + path)

    records = {
        "doc/claim/a": [node("claim/a"), node("claim/a/evidence"), node("claim/a/span"), node("claim/a/span/quote")],
        "doc/claim/b": [node("claim/b"), node("claim/b/span")],
        "doc/claim/c.1": [node("claim/c.1/span")],  # its own IRI says nothing: only the span is described
        "doc/entity/X": [node("entity/X")],
    }
    patterns = [re.compile(f"id/{record_}{tail}") for record_, tail in described_patterns(records)]
    described = {n.value[len(NS):] for nodes in records.values() for n in nodes}
    candidates = described | {"id/claim/b/evidence", "id/claim/b/span/quote", "id/claim/c.1", "id/claim/cx1/span",
                              "id/claim/a/nonsense", "id/claim/a/", "id/entity/X/span", "id/claim/a/span/position"}
    matched = {c for c in candidates if any(p.fullmatch(c) for p in patterns)}
    # a pattern matches any record id of its kind ([^/]+): the rules also check the record has a document
    assert matched - {"id/claim/cx1/span"} == described
    # claim: the part all three have (/span), then a's own IRI and extras, b's own IRI (c.1's own
    # says nothing); entity: its own IRIs
    assert [p.pattern for p in patterns] == ["id/(claim/[^/]+)(?:/span)", r"id/(claim/a)(?:/evidence|/span/quote)?",
                                             "id/(claim/b)", "id/(entity/[^/]+)"]


def test_resolve_maps_every_kind_of_iri(built_dist, resolver):
    a = resolver("id/entity/TRAF6", "text/turtle")
    assert (a.status, a.location) == (303, "doc/entity/TRAF6.ttl")
    assert dict(a.alternates) == {m: f"doc/entity/TRAF6.{e}" for m, e in FORMATS.items()}
    assert resolver("id/entity/NO-SUCH-THING").status == 404
    assert resolver("id/").status == 404
    claim = resolver("Claim")
    assert claim.status == 303 and claim.location.startswith("docs/index.html#")
    assert f'id="{claim.location.split("#")[1]}"' in (built_dist / "docs" / "index.html").read_text(encoding="utf-8")
    assert resolver("Claim", "text/turtle").location == "doc/ontology.ttl"
    assert resolver("dataset", "text/turtle").location == "doc/dataset.ttl"
    assert resolver("dataset/0.1.0").location == "site/index.html"
    assert resolver("release/0.1.0/mirkg.nt").location == "mirkg.nt"
    assert resolver("void.ttl").status == 200
    assert resolver("nothing-here").status == 404
    query = resolver("id/query/01-mirna-targets", "application/ld+json")
    assert (query.status, query.location) == (303, "doc/query/01-mirna-targets.jsonld")


def test_every_ontology_term_has_its_section_in_the_documentation(built_dist):
    terms = term_anchors((built_dist / "docs" / "index.html").read_text(encoding="utf-8"),
                         (built_dist / "ontology.nt").read_bytes())
    assert {"Claim", "claimSubject", "claimObject", "hasTextSpan"} <= set(terms)
    assert terms["Claim"] and terms["claimSubject"]


# ------------------------------------------------------------------------------------------------
# The landing page's schema.org Dataset


def test_landing_page_embeds_a_schema_org_dataset_that_says_what_void_says(built_dist):
    html = (built_dist / "site" / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    # A JSON-LD processor reads it as schema.org terms
    g = Graph().parse(data=json.dumps({**data, "@context": {"@vocab": "https://schema.org/"}}), format="json-ld")
    assert (None, RDF.type, URIRef("https://schema.org/Dataset")) in g
    void = Graph().parse(built_dist / "void.ttl", format="turtle")
    version = URIRef(data["@id"])
    assert (version, RDF.type, DCAT.Dataset) in void
    assert data["@type"] == "Dataset"
    assert data["http://purl.org/dc/terms/conformsTo"]["@id"].startswith("https://bioschemas.org/profiles/Dataset/")
    assert data["name"] == str(void.value(version, DCTERMS.title))
    assert data["description"] == str(void.value(version, DCTERMS.description))
    assert data["license"] == [str(void.value(version, DCTERMS.license))]
    assert data["version"] == str(void.value(version, DCAT.version))
    creators = set(void.objects(version, DCTERMS.creator))
    assert {c["@id"] for c in data["creator"]} == {str(c) for c in creators}
    assert {c["name"] for c in data["creator"]} == {str(void.value(c, FOAF.name) or void.value(c, RDFS.label))
                                                    for c in creators}
    assert data["keywords"] and set(data["keywords"]) == {str(k) for k in void.objects(version, DCAT.keyword)}
    assert data["citation"]
    assert {str(s) for s in void.objects(version, DCTERMS.source)} <= set(data["citation"])
    distributions = {(str(void.value(d, DCAT.downloadURL)), str(void.value(d, DCAT.mediaType)).rsplit(
        "media-types/", 1)[1]) for d in void.objects(version, DCAT.distribution)
        if (d, RDF.type, URIRef("http://rdfs.org/ns/void#Dataset")) not in void}  # files (not the RDF distribution)
    assert len(distributions) >= 10
    assert {(d["contentUrl"], d["encodingFormat"]) for d in data["distribution"]} == distributions
    assert all(isinstance(v, (str, Literal)) for v in data["keywords"])


def test_binary_search_finds_what_the_index_finds(built_dist):
    """serve's lookups without an index (SortedNTriples) agree with the build's index
    (subject_ranges) on every subject of the release, and on subjects that are not there."""
    from mirkg.linked_data import SortedNTriples, subject_ranges

    nt = (built_dist / "mirkg.nt").read_bytes()
    ranges, found = subject_ranges(nt), SortedNTriples(nt)
    assert len(ranges) > 300
    for subject, where in ranges.items():
        assert found.range_of(subject) == where, subject
    for missing in ("<https://w3id.org/mirkg/id/entity/TRAF>", "<https://w3id.org/mirkg/id/entity/TRAF6x>", "<a>", "<~>"):
        assert found.range_of(missing) is None


def test_the_split_finds_each_subject_where_the_index_finds_it(built_dist, build):
    """The build's index of subjects reads them where the split found their lines start
    (named_graphs.Split.subject_starts, offsets counted while it splits the lines); reading every
    line of the text (subject_ranges without them) finds the same."""
    from mirkg.linked_data import subject_ranges
    from mirkg.named_graphs import split_graphs

    nt = (built_dist / "mirkg.nt").read_bytes()
    split = split_graphs((built_dist / "ontology.nt").read_bytes(), [nt], build.curation)
    assert len(split.subject_starts) > 300
    assert subject_ranges(nt, split.subject_starts) == subject_ranges(nt)


def test_binary_search_keeps_records_whose_names_share_a_beginning_apart():
    from mirkg.linked_data import SortedNTriples

    base = "https://w3id.org/mirkg/id/claim/"
    lines = sorted([f'<{base}a> <p:x> "1" .', f'<{base}a> <p:y> "tab\there" .', f'<{base}a-b> <p:x> "2" .',
                    f'<{base}a/span> <p:x> "3" .', f'<{base}a/span/quote> <p:x> "4" .', f'<{base}ab> <p:x> "5" .',
                    f'<{base}a0> <p:x> "6" .'])
    nt = ("\n".join(lines) + "\n").encode()
    found = SortedNTriples(nt)
    start, end = found.range_of(f"<{base}a>")
    assert nt[start:end].decode().splitlines() == [f'<{base}a> <p:x> "1" .', f'<{base}a> <p:y> "tab\there" .']
    # the record's own first, then the file's order ("/" sorts before ">")
    assert found.subjects_under(f"{base}a") == [f"<{base}a>", f"<{base}a/span/quote>", f"<{base}a/span>"]
    assert found.subjects_under(f"{base}a-") == [] and found.range_of(f"<{base}a/>") is None
