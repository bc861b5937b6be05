"""The dataset page (dist/site/): the network figure, the highlighted paragraph, the claims table
and the entity index.

Expected counts are worked out here from the curated input itself (data/*.yaml and the source
paragraph), never copied from a build: the number of claims is the number of records in
data/sources/*/statements.yaml, the highlighted spans are where their quotes sit in their source's text.txt,
and the figure's edges are what the stored query 90 returns on the built graph.

The browser tests open the built page in headless Chromium (Debian `chromium` and
`chromium-driver`, driven by selenium) and skip, saying why, when either is not installed.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from helpers import curated_sources, curated_statements
from mirkg import paths
from mirkg.pipeline import curie_expander
from mirkg.queries import bind, find_query, load_queries, parse_term_text, run_oxigraph, store_from_ntriples
from mirkg.release import sorted_ntriples

SVG = "{http://www.w3.org/2000/svg}"
E = "https://w3id.org/mirkg/id/entity/"
C = "https://w3id.org/mirkg/id/claim/"
MIRNA_KINDS = {"mirna", "mirna_class"}

# --- the curated input, read here without the project's own reader ------------------------------

SOURCE = (paths.DATA / "sources" / "review" / "text.txt").read_bytes().decode("utf-8")
# every source's statements (the claims table, the figure), and the paragraph's (its highlights)
STATEMENTS = curated_statements()
PARAGRAPH_STATEMENTS = [s for s in STATEMENTS if s["source"] == "review"]
ENTITIES = {e["id"]: e for e in yaml.safe_load((paths.DATA / "entities.yaml").read_text(encoding="utf-8"))["entities"]}
PREFIXES = {
    row["prefix"]: row["uri_prefix"]
    for row in csv.DictReader(
        [ln for ln in (paths.DATA / "reference" / "prefixes.tsv").read_text(encoding="utf-8").splitlines()
         if ln and not ln.startswith("#")],
        delimiter="\t",
    )
}


def quote_span(record: dict) -> tuple[int, int]:
    """Where the record's quote sits in the paragraph (its `occurrence`-th match, the first by default)."""
    quote = record["quote"]
    start = -1
    for _ in range(record.get("occurrence", 1)):
        start = SOURCE.find(quote, start + 1)
    assert start >= 0, f"{record['id']}: quote not in the source"
    return start, start + len(quote)


SPANS = {s["id"]: quote_span(s) for s in PARAGRAPH_STATEMENTS}
HEDGED = {s["id"] for s in STATEMENTS if s.get("hedge")}


def expected_edges() -> set[tuple[str, str, str, bool, str]]:
    """The figure's edges as a reader of the curated statements would draw them: one per miRNA,
    relation, direction, hedge and object, for every claim whose subject is a miRNA."""
    return {
        (s["subject"], s["relation"], s.get("direction", ""), bool(s.get("hedge")), s["object"])
        for s in STATEMENTS
        if ENTITIES[s["subject"]]["kind"] in MIRNA_KINDS
    }


def expected_nodes() -> set[str]:
    return {e[0] for e in expected_edges()} | {e[4] for e in expected_edges()}


# --- the built page ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(built_dist) -> Path:
    return built_dist / "site"


def svg_edges(svg: ET.Element) -> list[dict]:
    return [dict(g.attrib) for g in svg.iter(f"{SVG}g") if "edge" in g.get("class", "").split()]


def svg_nodes(svg: ET.Element) -> list[dict]:
    return [dict(g.attrib) for g in svg.iter(f"{SVG}g") if "node" in g.get("class", "").split()
            and "legend-item" not in g.get("class", "").split()]


def edge_key(attrs: dict) -> tuple[str, str, str, bool, str]:
    return (attrs["data-source"], attrs["data-relation"], attrs["data-direction"],
            attrs["data-hedged"] == "true", attrs["data-target"])


@pytest.fixture(scope="module")
def figure(site) -> ET.Element:
    return ET.parse(site / "network.svg").getroot()


@pytest.fixture(scope="module")
def query_rows(build) -> list[dict[str, str]]:
    """The stored figure query, run here on the built graph, independently of the page builder."""
    store = store_from_ntriples(sorted_ntriples(build.data) + sorted_ntriples(build.ontology))
    query = find_query(load_queries(paths.QUERIES), "90")
    answer = run_oxigraph(store, query, bind(query, {}, curie_expander(build.curation)))
    return [
        {col: (parse_term_text(term).value if term else "") for col, term in zip(answer.columns, row)}
        for row in answer.rows
    ]


def test_figure_query_is_documented():
    query = find_query(load_queries(paths.QUERIES), "90")
    assert query.name == "90-network-figure-edges"
    assert query.title and query.answer and query.question.endswith("?")
    assert query.form == "SELECT"


def test_figure_nodes_and_edges_are_the_stored_query_rows(figure, query_rows):
    assert query_rows, "the figure query returns nothing"
    direction = {"https://w3id.org/mirkg/Increase": "increase", "https://w3id.org/mirkg/Decrease": "decrease", "": ""}
    rows = {}
    for r in query_rows:
        key = (r["mirna"].removeprefix(E), r["relationName"], direction[r["direction"]], r["hedged"] == "true",
               r["target"].removeprefix(E))
        rows.setdefault(key, set()).add(r["claim"].removeprefix(C))
    edges = svg_edges(figure)
    # One drawn edge per distinct row key, none twice, none extra.
    assert sorted(edge_key(e) for e in edges) == sorted(rows)
    # Each edge carries exactly the claims of its rows; every row's claim is on exactly one edge.
    for e in edges:
        assert set(e["data-claims"].split()) == rows[edge_key(e)]
    drawn = sorted(c for e in edges for c in e["data-claims"].split())
    assert drawn == sorted(r["claim"].removeprefix(C) for r in query_rows)
    nodes = [n["data-id"] for n in svg_nodes(figure)]
    assert len(nodes) == len(set(nodes))
    ends = {r["mirna"].removeprefix(E) for r in query_rows} | {r["target"].removeprefix(E) for r in query_rows}
    assert set(nodes) == ends
    assert figure.get("data-node-count") == str(len(nodes)) and figure.get("data-edge-count") == str(len(edges))


def test_figure_draws_what_the_statements_say(figure):
    # Independent of the query: the curated statements with a miRNA subject.
    edges = svg_edges(figure)
    assert {edge_key(e) for e in edges} == expected_edges()
    assert {n["data-id"] for n in svg_nodes(figure)} == expected_nodes()
    # Hedged claims are drawn differently (dashed), and only they.
    hedged = {edge_key(e) for e in edges if "hedged" in e["class"].split()}
    assert hedged == {k for k in expected_edges() if k[3]}
    assert hedged, "the paragraph hedges claims about miRNAs ('might', 'suggesting'): some edge must be hedged"
    # Edge style by what the claim says: targets/represses, raises, lowers, other.
    for e in edges:
        _, relation, direction, _, _ = edge_key(e)
        style = ("represses" if relation in ("targets", "represses_expression_of")
                 else {"increase": "raises", "decrease": "lowers"}.get(direction, "other"))
        assert f"edge-{style}" in e["class"].split(), e
    # A legend names every edge style used and the hedge.
    legend = " ".join(t.text or "" for t in figure.iter(f"{SVG}text") if t.text)
    for words in ("targets or represses", "raises", "lowers", "hedges"):
        assert words in legend


def test_figure_is_layered_and_boxes_do_not_overlap(figure):
    boxes = {}
    for g in figure.iter(f"{SVG}g"):
        if "node" in g.get("class", "").split() and g.get("data-id"):
            rect = next(g.iter(f"{SVG}rect"))
            boxes[g.get("data-id")] = tuple(float(rect.get(k)) for k in ("x", "y", "width", "height"))
    mirnas = {n for n in boxes if ENTITIES[n]["kind"] in MIRNA_KINDS}
    others = set(boxes) - mirnas
    # miRNAs form the first layer, right-aligned; what they act on the next, left-aligned.
    assert len({round(boxes[n][0] + boxes[n][2], 1) for n in mirnas}) == 1
    assert len({boxes[n][0] for n in others}) == 1
    assert min(boxes[n][0] for n in others) > max(boxes[n][0] + boxes[n][2] for n in mirnas)
    items = sorted(boxes.values())
    for i, (x1, y1, w1, h1) in enumerate(items):
        for x2, y2, w2, h2 in items[i + 1:]:
            assert x1 + w1 <= x2 or x2 + w2 <= x1 or y1 + h1 <= y2 or y2 + h2 <= y1, "two node boxes overlap"


class _Page(HTMLParser):
    """Collects the paragraph's text, the text of each highlighted piece, table rows and entities."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.paragraph, self.marks, self.rows, self.entities, self.hrefs = [], [], [], [], []
        self.resources: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "link", "img", "iframe", "object", "embed", "source", "video", "audio"):
            self.resources.append((tag, attrs))
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
        if tag == "tr" and attrs.get("data-claim"):
            self.rows.append(attrs["data-claim"])
        if tag == "li" and attrs.get("data-entity"):
            self.entities.append(attrs["data-entity"])
        if tag == "mark":
            self.marks.append([attrs.get("data-claims", "").split(), ""])
        if tag not in ("br", "meta", "input"):
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if any(a.get("id") == "paragraph" for _, a in self.stack):
            self.paragraph.append(data)
            if self.stack and self.stack[-1][0] == "mark":
                self.marks[-1][1] += data


@pytest.fixture(scope="module")
def parsed(site) -> _Page:
    page = _Page()
    page.feed((site / "index.html").read_text(encoding="utf-8"))
    return page


def test_paragraph_is_the_source_with_every_quote_highlighted(parsed):
    assert "".join(parsed.paragraph) == SOURCE
    for sid, (start, end) in SPANS.items():
        pieces = "".join(text for claims, text in parsed.marks if sid in claims)
        assert pieces == SOURCE[start:end], f"{sid}: its highlighted pieces do not spell its quote"
    # Highlighted pieces cover exactly the characters some quote covers.
    covered = {i for a, b in SPANS.values() for i in range(a, b)}
    assert sum(len(text) for _, text in parsed.marks) == len(covered)


def test_claims_table_and_entity_index(parsed):
    assert parsed.rows == [s["id"] for s in STATEMENTS]  # one row per record, in the file's order
    assert sorted(parsed.entities) == sorted(ENTITIES)
    for e in ENTITIES.values():
        for curie in ([e["id_curie"]] if e.get("id_curie") else []) + e.get("xrefs", []):
            prefix, local = curie.split(":", 1)
            assert PREFIXES[prefix] + local in parsed.hrefs, f"{e['id']}: no link for {curie}"
    assert "../docs/index.html" in parsed.hrefs
    # Confirmed DOIs and PMIDs of the cited works are linked.
    works = yaml.safe_load((paths.DATA / "citations.yaml").read_text(encoding="utf-8"))["works"]
    for w in works:
        for prefix, key in (("doi", "doi"), ("pubmed", "pmid")):
            if w.get(key):
                assert PREFIXES[prefix] + str(w[key]) in parsed.hrefs, f"{w['id']}: no {key} link"


def test_page_works_offline(site, parsed):
    """Nothing is loaded from elsewhere: no external script, style sheet, font or image."""
    for tag, attrs in parsed.resources:
        assert not attrs.get("src") and not attrs.get("href"), f"<{tag}> loads {attrs}"
    text = (site / "index.html").read_text(encoding="utf-8") + (site / "network.svg").read_text(encoding="utf-8")
    assert "@import" not in text and "@font-face" not in text
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text)
    assert '<meta name="viewport"' in text


@pytest.mark.slow  # two compilations in fresh processes
def test_site_is_byte_identical_across_runs(site, tmp_path):
    """Two fresh processes with different hash seeds write the same page and figure."""
    code = (
        "import hashlib, sys\n"
        "from mirkg import paths\n"
        "from mirkg.pipeline import Paths, make_release\n"
        "from rdflib import Graph\n"
        "from mirkg.site import site_files\n"
        "p = Paths(paths.DATA, paths.ONTOLOGY, paths.SHAPES, paths.QUERIES, paths.DIST)\n"
        "r = make_release(p, reason=False)\n"
        "void = Graph().parse(sys.argv[1], format='turtle')  # the description the page's Dataset JSON-LD is read from\n"
        "for name, data in sorted(site_files(r, void).items()):\n"
        "    print(name, hashlib.sha256(data).hexdigest())\n"
    )
    outputs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run([sys.executable, "-c", code, str(site.parent / "void.ttl")], cwd=paths.ROOT, env=env,
                              capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    built = "".join(f"site/{p.name} {hashlib.sha256(p.read_bytes()).hexdigest()}\n" for p in sorted(site.iterdir()))
    assert outputs[0] == built


def test_build_without_the_figure_query_stops_and_says_why(tmp_path, capsys):
    from helpers import run

    queries = tmp_path / "queries"
    shutil.copytree(paths.QUERIES, queries)
    (queries / "90-network-figure-edges.rq").unlink()
    dist = tmp_path / "dist"
    code, _, err = run(["--queries", str(queries), "--dist", str(dist)], capsys)
    assert code == 2
    assert "90-network-figure-edges.rq" in err and "missing" in err
    assert not dist.exists()  # nothing half-written


# --- in the browser ------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium")
# Debian's chromium-driver puts the driver in /usr/bin; selenium is pointed at it so it downloads nothing.
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM or not CHROMEDRIVER:
        pytest.skip("headless Chromium is not installed (apt-get install -y chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (requirements-test.txt)")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="mirkg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage",
                 "--window-size=1280,1000", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser, site):
    browser.set_window_size(1280, 1000)
    browser.get((site / "index.html").as_uri())
    return browser


def js(driver, script, *args):
    return driver.execute_script(script, *args)


@pytest.mark.browser
@pytest.mark.slow
def test_browser_renders_figure_paragraph_and_table(page, tmp_path):
    # The figure: every node and edge drawn, with a visible size.
    assert js(page, "return document.querySelectorAll('svg.network g.node[data-id]').length") == len(expected_nodes())
    assert js(page, "return document.querySelectorAll('svg.network g.edge').length") == len(expected_edges())
    width, height = js(page, "var r = document.querySelector('svg.network').getBoundingClientRect();"
                             "return [r.width, r.height]")
    assert width > 300 and height > 300
    assert js(page, "return Array.from(document.querySelectorAll('svg.network g.node[data-id]'))"
                    ".every(g => g.getBBox().width > 0)")
    # The paragraph: each claim's highlighted pieces spell its quote; as many distinct spans as quotes.
    spelled = js(page, """
        var out = {};
        document.querySelectorAll('#paragraph mark.span').forEach(function (m) {
          m.getAttribute('data-claims').split(' ').forEach(function (id) {
            out[id] = (out[id] || '') + m.textContent;
          });
        });
        return out;""")
    assert spelled == {sid: SOURCE[a:b] for sid, (a, b) in SPANS.items()}
    assert len(set(spelled.values())) == len({s["quote"] for s in PARAGRAPH_STATEMENTS})
    assert js(page, "return document.getElementById('paragraph').textContent") == SOURCE
    # The table: one row per record of data/sources/review/statements.yaml.
    assert js(page, "return document.querySelectorAll('#claims-table tbody tr').length") == len(STATEMENTS)
    count = js(page, "return document.getElementById('claim-count').textContent")
    assert count == f"{len(STATEMENTS)} of {len(STATEMENTS)} claims"
    assert js(page, "return document.querySelectorAll('li.entity').length") == len(ENTITIES)
    shot = tmp_path / "dataset-page.png"
    page.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000


@pytest.mark.browser
@pytest.mark.slow
def test_browser_click_a_span_shows_its_claims(page, tmp_path):
    from selenium.webdriver.common.by import By

    # A hedged claim: click the first highlighted piece of its quote.
    sid = next(s["id"] for s in PARAGRAPH_STATEMENTS if s.get("hedge"))
    mark = page.find_element(By.CSS_SELECTOR, f'#paragraph mark.span[data-claims~="{sid}"]')
    page.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
    mark.click()
    panel = page.find_element(By.ID, "span-panel")
    assert panel.is_displayed()
    # The panel lists exactly the claims whose quotes cover that piece of text.
    start, end = int(mark.get_attribute("data-start")), int(mark.get_attribute("data-end"))
    covering = sorted(c for c, (a, b) in SPANS.items() if a <= start and end <= b)
    listed = [a.get_attribute("data-claim") for a in panel.find_elements(By.CSS_SELECTOR, "a.panel-claim")]
    assert sorted(listed) == covering and sid in listed
    links = panel.find_elements(By.CSS_SELECTOR, "a.panel-claim")
    link = next(a for a in links if a.get_attribute("data-claim") == sid)
    row = page.find_element(By.ID, f"claim-{sid}")
    assert link.text == row.get_attribute("data-label") and link.text
    page.save_screenshot(str(tmp_path / "span-clicked.png"))
    # The claim links to its row, and the row back to its span in the text.
    link.click()
    assert js(page, "return location.hash") == f"#claim-{sid}"
    back = row.find_element(By.CSS_SELECTOR, "a.to-span")
    page.execute_script("arguments[0].scrollIntoView({block: 'center'})", back)
    back.click()
    assert js(page, "return location.hash") == f"#q-{sid}"
    active = js(page, "return Array.from(document.querySelectorAll('#paragraph mark.span.active'))"
                      ".map(m => m.textContent).join('')")
    a, b = SPANS[sid]
    assert active == SOURCE[a:b]


@pytest.mark.browser
@pytest.mark.slow
def test_browser_filter_and_sort_the_table(page):
    from selenium.webdriver.common.by import By

    visible = ("return Array.from(document.querySelectorAll('#claims-table tbody tr'))"
               ".filter(r => !r.hidden).map(r => r.dataset.claim)")
    checkbox = page.find_element(By.ID, "only-hedged")
    page.execute_script("arguments[0].scrollIntoView({block: 'center'})", checkbox)
    checkbox.click()
    assert sorted(js(page, visible)) == sorted(HEDGED)
    checkbox.click()
    box = page.find_element(By.ID, "claim-filter")
    box.send_keys("TRAF6")
    shown = js(page, visible)
    # The filter matches words anywhere in a row: the entities' names, the quote, the note, the id.
    def row_text(s):
        named = [s["subject"], s["object"], s.get("via") or "", *s.get("context", {}).values()]
        return " ".join([s["id"], s["quote"], s.get("note", ""), *(ENTITIES[n]["name"] for n in named if n)]).lower()

    expected = sorted(s["id"] for s in STATEMENTS if "traf6" in row_text(s))
    assert 0 < len(expected) < len(STATEMENTS)
    assert sorted(shown) == expected
    box.clear()
    box.send_keys(" ")  # an input event with no words: every row again
    assert len(js(page, visible)) == len(STATEMENTS)
    button = page.find_element(By.CSS_SELECTOR, 'button.sort[data-col="1"]')
    button.click()
    subjects = js(page, "return Array.from(document.querySelectorAll('#claims-table tbody tr'))"
                        ".map(r => r.cells[1].textContent.trim().toLowerCase())")
    assert subjects == sorted(subjects)


@pytest.mark.browser
@pytest.mark.slow
def test_browser_phone_width(page, tmp_path):
    page.set_window_size(390, 844)
    page.get(page.current_url)
    # No sideways scrolling of the page itself (the wide table scrolls in its own box).
    assert js(page, "return document.documentElement.scrollWidth <= window.innerWidth")
    assert js(page, "return document.querySelector('svg.network').getBoundingClientRect().width <= window.innerWidth")
    page.save_screenshot(str(tmp_path / "dataset-page-phone.png"))


def test_the_page_marks_the_conflict_and_shows_every_source(built_dist):
    """Issue 17: the let-7f title and the paragraph's 'high levels of let-7f-5p' disagree: each
    row links the other; every source's text is on the page, its claims' quotes highlighted."""
    html = (built_dist / "site" / "index.html").read_text(encoding="utf-8")
    for sid, other in (("let7f5p-alleviates-inflammation", "title-let7f-reduced-in-sle-bm-mscs"),
                       ("title-let7f-reduced-in-sle-bm-mscs", "let7f5p-alleviates-inflammation")):
        row = html.split(f'id="claim-{sid}"', 1)[1].split("</tr>", 1)[0]
        assert f'conflict (level) with <a href="#claim-{other}">' in row
    assert html.count('class="tag conflict"') == 2
    for source in curated_sources():
        if source != "review":
            assert f'id="source-{source}"' in html
            for s in curated_sources()[source]["statements"]:
                assert f'id="q-{s["id"]}"' in html  # the "show in text" anchor of every claim


@pytest.mark.browser
@pytest.mark.slow
def test_browser_a_stored_querys_page_and_every_kinds_at_phone_width(browser, built_dist, tmp_path):
    """A stored query's page (id/query/NAME's document) opened from the file system: its SPARQL
    as the catalogue holds it, read back as the browser shows it; its links to the answer file
    and to the example's entity go to files of the release; no sideways scroll at phone width."""
    from urllib.parse import unquote, urlsplit

    from rdflib import Graph, URIRef
    from rdflib.namespace import RDFS

    catalog = Graph().parse(built_dist / "queries" / "catalog.ttl", format="turtle")
    iri = URIRef("https://w3id.org/mirkg/id/query/01-mirna-targets")
    (body,) = catalog.objects(iri, URIRef("http://www.w3.org/ns/shacl#select"))
    browser.set_window_size(1280, 1000)
    browser.get((built_dist / "doc" / "query" / "01-mirna-targets.html").as_uri())
    assert js(browser, "return document.querySelector('h1').textContent") == str(catalog.value(iri, RDFS.label))
    assert js(browser, "return document.querySelector('pre.sparql').textContent") == str(body)
    targets = js(browser, "return Array.from(document.querySelectorAll('#query a')).map(a => a.href)")
    files = [Path(unquote(urlsplit(t).path)) for t in targets]
    assert {f.relative_to(built_dist).as_posix() for f in files} == {"queries/01-mirna-targets.tsv",
                                                                     "doc/entity/TRAF6.html"}
    assert all(f.is_file() for f in files)
    browser.set_window_size(390, 844)
    browser.get(browser.current_url)
    assert js(browser, "return document.documentElement.scrollWidth <= window.innerWidth")
    browser.save_screenshot(str(tmp_path / "query-page-phone.png"))
    # and the first page of every kind of record, at the same width (long IRIs wrap)
    for kind in sorted(p for p in (built_dist / "doc").iterdir() if p.is_dir()):
        first = min(kind.rglob("*.html"))  # doc/graph/ holds its pages a version deeper
        browser.get(first.as_uri())
        assert js(browser, "return document.documentElement.scrollWidth <= window.innerWidth"), first.name


@pytest.fixture(scope="module")
def release():
    from mirkg.pipeline import Paths, make_release

    return make_release(Paths(paths.DATA, paths.ONTOLOGY, paths.SHAPES, paths.QUERIES, paths.DIST), reason=False)


def test_a_curation_too_large_for_one_page_shows_the_sources_that_fit(release, built_dist, monkeypatch):
    """Issue 15: past PAGE_MAX_CLAIMS the page shows the paragraph and then the sources, in folder
    order, whose claims fit; it counts what it leaves out, links a left-out claim to its own page,
    and every link inside the page has its target on the page."""
    from rdflib import Graph

    from mirkg import site as site_module

    sources = curated_sources()
    titles = [sid for sid in sources if sid != "review"]  # folder order: the paragraph's folder is first
    fits = len(sources["review"]["statements"]) + sum(len(sources[t]["statements"]) for t in titles[:2])
    monkeypatch.setattr(site_module, "PAGE_MAX_CLAIMS", fits)
    html = site_module.site_files(release, Graph().parse(built_dist / "void.ttl"))["site/index.html"].decode("utf-8")

    shown = ["review", *titles[:2]]
    on_page = [s["id"] for sid in shown for s in sources[sid]["statements"]]
    left_out = [s for sid in titles[2:] for s in sources[sid]["statements"]]
    rows = re.findall(r'<tr id="claim-([^"]+)"', html)
    assert sorted(rows) == sorted(on_page) and len(rows) == fits
    assert f"The other {len(left_out)} claims, from {len(titles) - 2} more sources" in html
    for t in titles:
        assert (f'id="source-{t}"' in html) == (t in shown)
    # The let-7f conflict: the paragraph's claim is on the page, the title's claim is not, so the
    # row links the title's claim's own page, which the release holds.
    assert "title-let7f-reduced-in-sle-bm-mscs" in {s["id"] for s in left_out}
    row = html.split('id="claim-let7f5p-alleviates-inflammation"', 1)[1].split("</tr>", 1)[0]
    assert 'with <a href="../doc/claim/title-let7f-reduced-in-sle-bm-mscs.html">' in row
    assert (built_dist / "doc" / "claim" / "title-let7f-reduced-in-sle-bm-mscs.html").is_file()
    # Links inside the page land on the page.
    anchors = set(re.findall(r'id="([^"]+)"', html))
    for target in re.findall(r'href="#([^"]+)"', html):
        assert target in anchors, target
    # The entity index: exactly the entities the shown claims name.
    named = {s[k] for sid in shown for s in sources[sid]["statements"] for k in ("subject", "object")}
    named |= {v for sid in shown for s in sources[sid]["statements"] for v in (s.get("context") or {}).values()}
    named |= {s["via"] for sid in shown for s in sources[sid]["statements"] if s.get("via")}
    assert set(re.findall(r'<li class="entity" id="entity-([^"]+)"', html)) == named
