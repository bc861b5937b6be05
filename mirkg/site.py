"""The dataset page: dist/site/index.html and dist/site/network.svg.

One static page that people can read offline from the file system (no server, no CDN, no
external fonts): the network of miRNAs and what they act on, the source paragraph with every
quoted span highlighted, the claims table and the entity index.

The network figure is drawn from the answer of the stored query
queries/90-network-figure-edges.rq (one row per claim whose subject is a miRNA); its layout comes
from a layered (Sugiyama) layout engine, grandalf, pure Python, so the main job stays pip-only
and the figure is the same on every machine. The page and the figure are rendered from the
templates site.html.j2 and network.svg.j2 (mirkg/templates/); everything is given to them in a
fixed order, so two builds give byte-identical files.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from grandalf.graphs import Edge as _GEdge
from grandalf.graphs import Graph as _GGraph
from grandalf.graphs import Vertex as _GVertex
from grandalf.layouts import SugiyamaLayout

from .errors import BuildError
from .iris import claim_iri, local_id
from .namespaces import MIRKG
from .ontology import label_of
from .queries import Answer, parse_term_text
from .schema_dataset import schema_dataset
from .templates import render

FIGURE_QUERY = "90-network-figure-edges"
DOCS_LINK = "../docs/index.html"
# The page lists the claims of the sources it shows, and shows sources (the paragraph first, then
# the others in folder order) while their claims stay within this many: a curation of thousands of
# sources would otherwise make a page of hundreds of megabytes. What it leaves out it counts, and
# every claim, entity and source keeps its own page (doc/...) and its text (sources/...).
PAGE_MAX_CLAIMS = 1000

# Edge styles, by what the claim says the miRNA does (see edge_style).
EDGE_STYLES = {
    "represses": "targets or represses",
    "raises": "raises, promotes (or is higher in)",
    "lowers": "lowers, reduces, alleviates",
    "other": "other relation, no direction stated",
}
HEDGE_LEGEND = "dashed: the text hedges it (might, suggesting)"
# Node kinds of the figure, by the entity kinds of data/entities.yaml.
NODE_GROUPS = {
    "mirna": "miRNA",
    "mirna_class": "miRNA",
    "gene": "gene or gene product",
    "protein_complex": "gene or gene product",
    "process": "biological process",
    "cell_type": "cell or cell population",
    "cell_balance": "cell or cell population",
    "cell_population_change": "cell or cell population",
    "disease": "disease",
}
OTHER_GROUP = "other (vesicle, phenotype, ...)"
GROUP_CLASS = {
    "miRNA": "mirna",
    "gene or gene product": "gene",
    "biological process": "process",
    "cell or cell population": "cell",
    "disease": "disease",
    OTHER_GROUP: "other",
}
# External databases, by CURIE prefix, as the entity index names them.
DATABASES = {
    "mirbase.mature": "miRBase (mature)",
    "mirbase": "miRBase (precursor)",
    "HGNC": "HGNC",
    "NCBIGene": "NCBI Gene",
    "uniprot": "UniProt",
    "CL": "Cell Ontology",
    "GO": "Gene Ontology",
    "UBERON": "UBERON",
    "MONDO": "MONDO",
    "DOID": "Disease Ontology",
    "MESH": "MeSH",
    "SO": "Sequence Ontology",
}
RELATED_LABEL = {"precursor": "precursor", "gene": "encoded by", "has_part": "subunit"}

# Figure geometry (pixels of the SVG's own coordinate system).
FONT = 12
CHAR_W = 6.8  # a generous average advance of a sans-serif character at 12 px
LINE_H = 15
PAD_X, PAD_Y = 10, 7
WRAP = 30  # characters per line of a node label
LAYER_GAP = 300  # horizontal room between two layers, for the edges and their labels
NODE_GAP = 10  # vertical room between two nodes of a layer
COMPONENT_GAP = 26
MARGIN = 16


def _num(x: float) -> str:
    """A coordinate written the same way on every machine."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


# ------------------------------------------------------------------------------------------------
# The figure's edges, from the stored query's answer


@dataclass(frozen=True)
class FigureEdge:
    source: str  # entity id of the miRNA
    target: str  # entity id of the object
    relation: str  # curation name of the claim relation
    direction: str  # increase | decrease | "" (none stated)
    hedged: bool
    claims: tuple[str, ...]  # ids of the claims behind the edge, sorted

    @property
    def key(self) -> tuple[str, str, str, str, bool]:
        return (self.source, self.relation, self.direction, self.hedged, self.target)


def _value(term: str) -> str:
    return "" if term == "" else parse_term_text(term).value


def figure_edges(answer: Answer) -> tuple[dict[str, str], list[FigureEdge]]:
    """Nodes (entity id -> label) and edges of the figure, from the rows of the stored query."""
    col = {name: i for i, name in enumerate(answer.columns)}
    nodes: dict[str, str] = {}
    grouped: dict[tuple, list[str]] = {}
    for row in answer.rows:
        source = local_id(_value(row[col["mirna"]]), "entity")
        target = local_id(_value(row[col["target"]]), "entity")
        nodes[source] = _value(row[col["mirnaLabel"]])
        nodes[target] = _value(row[col["targetLabel"]])
        direction = _value(row[col["direction"]])
        direction = {str(MIRKG.Increase): "increase", str(MIRKG.Decrease): "decrease"}.get(direction, "")
        hedged = _value(row[col["hedged"]]) == "true"
        key = (source, _value(row[col["relationName"]]), direction, hedged, target)
        grouped.setdefault(key, []).append(local_id(_value(row[col["claim"]]), "claim"))
    edges = [
        FigureEdge(source=s, target=t, relation=r, direction=d, hedged=hd, claims=tuple(sorted(claims)))
        for (s, r, d, hd, t), claims in sorted(grouped.items())
    ]
    return dict(sorted(nodes.items())), edges


# The figure's size is bounded: a layered layout of thousands of nodes is neither readable nor
# cheap (grandalf's cost grows faster than the graph). Past this many edges the figure shows the
# miRNAs with the most claims, whole, and says so; stored query 90 lists every edge.
FIGURE_MAX_EDGES = 40


def top_edges(nodes: dict[str, str], edges: list[FigureEdge], limit: int = FIGURE_MAX_EDGES):
    """The figure's share of the network: the edges of the miRNAs with the most claims (ties by
    id), each miRNA with all its edges, as many miRNAs as fit in `limit` edges (at least one);
    (nodes, edges, miRNAs shown, miRNAs in all)."""
    by_mirna: dict[str, list[FigureEdge]] = {}
    for edge in edges:
        by_mirna.setdefault(edge.source, []).append(edge)
    if len(edges) <= limit:
        return nodes, edges, len(by_mirna), len(by_mirna)
    ranked = sorted(by_mirna, key=lambda m: (-sum(len(e.claims) for e in by_mirna[m]), m))
    kept: list[FigureEdge] = []
    shown = 0
    for mirna in ranked:
        if kept and len(kept) + len(by_mirna[mirna]) > limit:
            break
        kept += by_mirna[mirna]
        shown += 1
    kept.sort(key=lambda e: e.key)
    used = {e.source for e in kept} | {e.target for e in kept}
    return {n: label for n, label in nodes.items() if n in used}, kept, shown, len(by_mirna)


def edge_style(edge: FigureEdge) -> str:
    if edge.relation in ("targets", "represses_expression_of"):
        return "represses"
    if edge.direction == "increase":
        return "raises"
    if edge.direction == "decrease":
        return "lowers"
    return "other"


# ------------------------------------------------------------------------------------------------
# Layout: grandalf's Sugiyama layout, turned to run left to right


class _Vertex(_GVertex):
    """A vertex whose hash is its input position, so that the sets grandalf builds iterate in
    the same order on every run (the default hash is the object's memory address)."""

    def __init__(self, index: int, data: str):
        super().__init__(data)
        self.order = index

    def __hash__(self) -> int:
        return self.order


class _Edge(_GEdge):
    def __init__(self, index: int, x: _Vertex, y: _Vertex):
        super().__init__(x, y)
        self.order = index

    def __hash__(self) -> int:
        return self.order


class _View:
    def __init__(self, w: float, h: float):
        self.w, self.h, self.xy = w, h, (0.0, 0.0)


def wrap(label: str, width: int = WRAP) -> list[str]:
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


@dataclass
class Box:
    x: float  # left
    y: float  # top
    w: float
    h: float
    lines: list[str]
    layer: int

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


def layout(nodes: dict[str, str], edges: list[FigureEdge]) -> dict[str, Box]:
    """Boxes for the nodes: layers (ranks) run left to right, miRNAs first."""
    sizes = {}
    for nid, label in nodes.items():
        lines = wrap(label)
        sizes[nid] = (max(len(ln) for ln in lines) * CHAR_W + 2 * PAD_X, len(lines) * LINE_H + 2 * PAD_Y, lines)
    vertices = {nid: _Vertex(i, nid) for i, nid in enumerate(nodes)}
    for nid, v in vertices.items():
        # The engine lays out top to bottom; its x (within a layer) becomes our y.
        v.view = _View(w=sizes[nid][1], h=sizes[nid][0])
    pairs = sorted({(e.source, e.target) for e in edges})
    g_edges = [_Edge(i, vertices[s], vertices[t]) for i, (s, t) in enumerate(pairs)]
    graph = _GGraph(list(vertices.values()), g_edges, directed=True)

    placed: list[tuple[tuple[str, str], dict[str, tuple[int, float]]]] = []
    for component in graph.C:
        sug = SugiyamaLayout(component)
        sug.xspace, sug.yspace = NODE_GAP, LAYER_GAP
        roots = sorted((v for v in component.sV if not v.e_in()), key=lambda v: v.order)
        sug.init_all(roots=roots)
        sug.draw(3)
        spots = {v.data: (sug.grx[v].rank, v.view.xy[0]) for v in component.sV}
        first = min((nodes[v.data].lower(), v.data) for v in roots) if roots else (nodes[next(iter(spots))].lower(), "")
        placed.append((first, spots))
    # Components one below the other, in the order of their first miRNA's name.
    placed.sort(key=lambda item: item[0])

    layers = max((rank for _, spots in placed for rank, _ in spots.values()), default=0) + 1
    widths = [0.0] * layers
    for _, spots in placed:
        for nid, (rank, _) in spots.items():
            widths[rank] = max(widths[rank], sizes[nid][0])
    lefts, x = [], float(MARGIN)
    for w in widths:
        lefts.append(x)
        x += w + LAYER_GAP

    boxes: dict[str, Box] = {}
    top = 0.0
    for _, spots in placed:
        low = min(pos - sizes[nid][1] / 2 for nid, (_, pos) in spots.items())
        high = max(pos + sizes[nid][1] / 2 for nid, (_, pos) in spots.items())
        for nid, (rank, pos) in spots.items():
            w, hgt, lines = sizes[nid]
            # Layer 0 is right-aligned against the edges, the others left-aligned.
            left = lefts[rank] + (widths[rank] - w if rank == 0 else 0)
            boxes[nid] = Box(round(left, 1), round(top + pos - low - hgt / 2, 1), round(w, 1), hgt, lines, rank)
        top += high - low + COMPONENT_GAP
    return {nid: boxes[nid] for nid in nodes}


# ------------------------------------------------------------------------------------------------
# The SVG


@dataclass
class Figure:
    nodes: dict[str, str]
    edges: list[FigureEdge]
    svg: str  # the <svg> element
    note: str = ""  # what the figure leaves out, when the network is too large to draw whole
    network_edges: int = 0  # edges in the whole network, drawn or not


def _node_group(kind: str) -> str:
    return NODE_GROUPS.get(kind, OTHER_GROUP)


def _bezier(p0, p1, p2, p3, t):
    u = 1 - t
    return tuple(u**3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t**3 * d for a, b, c, d in zip(p0, p1, p2, p3))


# Arrow heads, by edge style: (path, colour); an open head for "other".
MARKERS = {
    "raises": ("M0,0 L10,5 L0,10 z", "#1b7a3a"),
    "lowers": ("M7,0 L10,0 L10,10 L7,10 z", "#1f5fa8"),
    "represses": ("M7,0 L10,0 L10,10 L7,10 z", "#b3261e"),
    "other": ("M0,1 L9,5 L0,9", "#6b6b6b"),
}


def network_svg(build, answer: Answer) -> Figure:
    c = build.curation
    all_nodes, all_edges = figure_edges(answer)
    nodes, edges, shown, mirnas = top_edges(all_nodes, all_edges)
    note = (f"The network has {mirnas} miRNAs: the figure shows the {shown} with the most claims, with all "
            f"their edges; queries/90-network-figure-edges.rq lists every edge." if shown < mirnas else "")
    boxes = layout(nodes, edges)
    relations = c.relations

    def relation_label(edge: FigureEdge) -> str:
        relation = relations[edge.relation]
        direction = {"increase": MIRKG.Increase, "decrease": MIRKG.Decrease}.get(edge.direction)
        return label_of(build.ontology, relation.direct_property(direction))

    groups_present = sorted({_node_group(c.entities[n].kind) for n in nodes}, key=list(GROUP_CLASS).index)
    styles_present = [s for s in EDGE_STYLES if any(edge_style(e) == s for e in edges)]
    legend_rows = len(styles_present) + 1 + len(groups_present)
    legend_h = 24 + legend_rows * 20
    legend_texts = [EDGE_STYLES[s] for s in styles_present] + [HEDGE_LEGEND] + groups_present
    legend_w = 64 + max(len(t) for t in legend_texts) * CHAR_W + 10
    graph_w = max((b.x + b.w for b in boxes.values()), default=0) + MARGIN
    width = max(graph_w, legend_w + 2 * MARGIN)
    graph_top = MARGIN + legend_h + 12
    height = graph_top + max((b.y + b.h for b in boxes.values()), default=0) + MARGIN

    legend: list[dict] = []
    y = 36
    for style in styles_present:
        legend.append({"kind": "edge", "style": style, "y": y, "text": EDGE_STYLES[style]})
        y += 20
    legend.append({"kind": "hedge", "y": y, "text": HEDGE_LEGEND})
    y += 20
    for group in groups_present:
        legend.append({"kind": "node", "group": GROUP_CLASS[group], "y": y, "text": group})
        y += 20

    # Edges: parallel edges between the same two nodes are spread apart.
    pair_count: dict[tuple[str, str], int] = {}
    for e in edges:
        pair_count[(e.source, e.target)] = pair_count.get((e.source, e.target), 0) + 1
    pair_seen: dict[tuple[str, str], int] = {}
    statements = {s.id: s for s in c.statements}  # an edge's claims, by id (a scan per edge was edges x claims)
    drawn: list[dict] = []
    for i, e in enumerate(edges):
        pair = (e.source, e.target)
        k = pair_seen.get(pair, 0)
        pair_seen[pair] = k + 1
        shift = (k - (pair_count[pair] - 1) / 2) * 14
        a, b = boxes[e.source], boxes[e.target]
        p0 = (a.x + a.w, a.cy + shift / 3)
        p3 = (b.x - 1, b.cy + shift / 3)
        mid = (p0[0] + p3[0]) / 2
        p1, p2 = (mid, p0[1] + shift), (mid, p3[1] + shift)
        # The label sits nearer the object, where the edges of one miRNA have fanned out; labels of
        # parallel edges are spread further apart.
        lx, ly = _bezier(p0, p1, p2, p3, 0.72)
        ly += shift * 0.6
        label = relation_label(e)
        cells = {statement.context["cell_type"] for statement in (statements[claim] for claim in e.claims)
                 if "cell_type" in statement.context}
        context = sorted(c.entities[cell].name for cell in cells)
        tip = f"{nodes[e.source]} {label} {nodes[e.target]}" + (" (hedged)" if e.hedged else "")
        if context:
            tip += f"; in {', '.join(context)}"
        tip += f"; claim{'s' if len(e.claims) > 1 else ''}: {', '.join(e.claims)}"
        drawn.append({
            "n": i + 1, "e": e, "style": edge_style(e), "claims": " ".join(e.claims), "tip": tip, "label": label,
            "d": f"M{_num(p0[0])},{_num(p0[1])} C{_num(p1[0])},{_num(p1[1])} {_num(p2[0])},{_num(p2[1])} "
                 f"{_num(p3[0])},{_num(p3[1])}",
            "lx": _num(lx), "ly": _num(ly - 3),
        })
    placed = [{"id": nid, "group": GROUP_CLASS[_node_group(c.entities[nid].kind)], "label": nodes[nid],
               "kind": c.entities[nid].kind.replace("_", " "), "x": _num(box.x), "y": _num(box.y),
               "w": _num(box.w), "h": _num(box.h), "cx": _num(box.x + box.w / 2), "ty": _num(box.y + PAD_Y + FONT),
               "lines": box.lines, "line_h": LINE_H}
              for nid, box in boxes.items()]
    svg = render("network.svg.j2", width=_num(width), height=_num(height), nodes=placed, edges=drawn, note=note,
                 legend=legend, legend_w=_num(legend_w), legend_h=legend_h, margin=MARGIN,
                 graph_top=_num(graph_top), markers=MARKERS).rstrip("\n")
    return Figure(nodes, edges, svg, note, len(all_edges))


# ------------------------------------------------------------------------------------------------
# The page


@dataclass(frozen=True)
class WorkView:
    who: str
    year: object
    title: str
    links: tuple[tuple[str, str], ...]  # (url, text): DOI, PMID, PMC


@dataclass(frozen=True)
class CitationView:
    cited_as: str | None  # as the text writes it; None when it gives none
    kind: str  # "joint", "resolved", "ambiguous" or "unidentified"
    works: tuple[WorkView, ...]


def claim_label(release, sid: str) -> str:
    return release.claim_labels.get(str(claim_iri(sid)), sid)


def resource_page(kind: str, rid: str) -> str:
    """The per-resource page (mirkg/resource_pages.py) of a curated record, from the dataset page."""
    return f"../doc/{kind}/{rid}.html"


def _work(c, wid: str) -> WorkView:
    w = c.works[wid]
    who = w.authors.split(",")[0].split(" et al")[0]
    links = tuple((c.reference.iri(f"{prefix}:{value}"), f"{name} {value}")
                  for prefix, value, name in (("doi", w.doi, "DOI"), ("pubmed", w.pmid, "PMID"), ("pmc", w.pmcid, "PMC"))
                  if value)
    return WorkView(who, w.year, w.title, links)


def citation_view(c, s) -> CitationView:
    if s.citation is None:
        return CitationView(None, "unidentified", ())
    if len(s.citation_numbers) > 1:
        joint = c.joints.get(s.citation)
        works = joint.works if joint else []
        return CitationView(s.citation, "joint" if works else "unidentified", tuple(_work(c, w) for w in works))
    ref = c.references[s.citation_numbers[0]]
    if ref.status == "resolved" and ref.work:
        return CitationView(s.citation, "resolved", (_work(c, ref.work),))
    if ref.status == "ambiguous":
        return CitationView(s.citation, "ambiguous", tuple(_work(c, w) for w in ref.candidates))
    return CitationView(s.citation, "unidentified", ())


def _segments(text: str, spans: dict[str, tuple[int, int]]) -> list[tuple[int, int, list[str]]]:
    """The text cut at every span boundary: (start, end, ids of the claims covering it)."""
    cuts = sorted({0, len(text)} | {a for a, _ in spans.values()} | {b for _, b in spans.values()})
    return [
        (a, b, sorted(sid for sid, (s, e) in spans.items() if s <= a and b <= e))
        for a, b in zip(cuts, cuts[1:])
    ]


def shown_source(c):
    """The source whose text the page shows highlighted: the first paragraph among the sources
    (the page shows one text; the statements of the other sources are in the claims table)."""
    return next((s for s in c.sources.values() if s.part == "paragraph"), next(iter(c.sources.values())))


def paragraph_pieces(c, source=None) -> list[dict]:
    """A source's text (the shown source's by default) cut at every quote's start and end: each
    piece with the claims whose quotes cover it, and the claims whose quote starts there (their
    anchors)."""
    source = source or shown_source(c)
    text = source.text.text
    spans = {s.id: (s.span.start, s.span.end) for s in c.statements if s.source == source.id}
    starts: dict[int, list[str]] = {}
    for sid, (a, _) in spans.items():
        starts.setdefault(a, []).append(sid)
    return [{"start": a, "end": b, "text": text[a:b], "claims": claims, "depth": min(len(claims), 4),
             "anchors": sorted(starts.get(a, []))}
            for a, b, claims in _segments(text, spans)]


def source_label(c, source) -> str:
    """How the page names a source: its part, and its work as the citations name it."""
    if source.work in c.works:
        work = c.works[source.work]
        return f"{source.part} of {work.authors.split(',')[0].split()[0]} et al. ({work.year}): {source.id}"
    return f"{source.part} of the review ({c.source_info.journal}, {c.source_info.year}): {source.id}"


def page_sources(c) -> list:
    """The sources the page shows, with their texts and claims: the shown source, then the
    others in folder order while the claims stay within PAGE_MAX_CLAIMS."""
    first = shown_source(c)
    claims = Counter(s.source for s in c.statements)
    found, total = [first], claims[first.id]
    for source in c.sources.values():
        if source is first:
            continue
        if total + claims[source.id] > PAGE_MAX_CLAIMS:
            break
        found.append(source)
        total += claims[source.id]
    return found


def other_sources(c, shown: list) -> list[dict]:
    """The shown sources but the first, each with its highlighted text, in folder order."""
    return [{"id": s.id, "folder": s.folder.name, "label": source_label(c, s), "pieces": paragraph_pieces(c, s)}
            for s in shown[1:]]


def claim_href(sid: str, on_page: set[str]) -> str:
    """A claim's row on the page, or its own page when the page leaves it out."""
    return f"#claim-{sid}" if sid in on_page else resource_page("claim", sid)


def claim_rows(build, on_page: set[str]) -> list[dict]:
    c = build.curation
    conflicts: dict[str, list[tuple[str, str]]] = {}  # claim id -> (kind, the other claim's id), for each conflict
    for k in build.merged.conflicts:
        conflicts.setdefault(k.first.id, []).append((k.kind, k.second.id))
        conflicts.setdefault(k.second.id, []).append((k.kind, k.first.id))
    rows = []
    for n, s in enumerate(c.statements, start=1):
        if s.id not in on_page:
            continue
        context = [(key.replace("_", " "), eid) for key, eid in sorted(s.context.items())]
        if s.via:
            context.append(("via", s.via))
        rows.append({
            "n": n, "s": s, "label": claim_label(build, s.id), "context": context,
            "subject": c.entities[s.subject], "object": c.entities[s.object],
            "entity_names": {eid: c.entities[eid].name for _, eid in context},
            "attributed": c.agents[s.attributed_to].label, "citation": citation_view(c, s),
            "page": resource_page("claim", s.id),
            # the other sources that say the same (its assertion's evidence), by source id
            "also": sorted({e.source for e in build.merged.assertion_of[s.id].evidence} - {s.source}),
            "source": s.source,
            # the claims of other sources it conflicts with: (kind, other claim id), listed, never resolved
            "conflicts": sorted((kind, other, claim_href(other, on_page)) for kind, other in conflicts.get(s.id, ())),
        })
    return rows


def _mentions(c, on_page: set[str]) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {eid: [] for eid in c.entities}
    for s in c.statements:
        if s.id not in on_page:
            continue
        roles = [("subject", s.subject), ("object", s.object)]
        roles += [(key.replace("_", " "), eid) for key, eid in sorted(s.context.items())]
        if s.via:
            roles.append(("via", s.via))
        for role, eid in roles:
            if (s.id, role) not in found[eid]:
                found[eid].append((s.id, role))
    return found


KIND_HEADINGS = {
    "mirna": "microRNAs", "mirna_class": "microRNAs in general", "gene": "Genes and gene products",
    "protein_complex": "Protein complexes", "cell_type": "Cell types", "anatomy": "Tissues", "disease": "Disease",
    "process": "Biological processes", "vesicle": "Vesicles", "intervention": "Interventions",
    "phenotype": "Phenotypes", "cell_balance": "Immune-cell balances",
    "cell_population_change": "Cell population changes", "sequence_feature": "Sequence features", "other": "Other",
}


def entity_groups(build, on_page: set[str], every_source: bool) -> list[tuple[str, list[dict]]]:
    """The entity index: a heading per kind, each entity with its identifiers and the claims of
    the page that mention it; every entity when the page shows every source, otherwise those its
    claims mention."""
    c = build.curation
    mentions = _mentions(c, on_page)
    listed = [e for e in c.entities.values() if every_source or mentions[e.id]]
    groups = []
    # the kinds in the order data/entities.yaml first uses them
    for kind in dict.fromkeys(e.kind for e in listed):
        members = sorted((e for e in listed if e.kind == kind), key=lambda e: (e.name.lower(), e.id))
        if not members:
            continue
        items = []
        for e in members:
            links = []
            for curie in ([e.curie] if e.curie else []) + e.xrefs:
                prefix = curie.split(":", 1)[0]
                links.append((DATABASES.get(prefix, prefix), c.reference.iri(curie), curie))
            for related, curies in sorted(e.related.items()):
                for curie in curies:
                    prefix = curie.split(":", 1)[0]
                    links.append((f"{RELATED_LABEL.get(related, related)}, {DATABASES.get(prefix, prefix)}",
                                  c.reference.iri(curie), curie))
            items.append({"e": e, "links": links, "page": resource_page("entity", e.id),
                          "mentions": [(sid, claim_label(build, sid), role) for sid, role in mentions[e.id]]})
        groups.append((KIND_HEADINGS.get(kind, kind), items))
    return groups


def page(build, figure: Figure, dataset: dict) -> str:
    c = build.curation
    shown = page_sources(c)
    shown_ids = {source.id for source in shown}
    on_page = {s.id for s in c.statements if s.source in shown_ids}
    groups = entity_groups(build, on_page, every_source=len(shown) == len(c.sources))
    claims = claim_rows(build, on_page)
    return render(
        "site.html.j2",
        info=c.source_info, figure=figure, claims=claims, groups=groups, left_out={
            "sources": len(c.sources) - len(shown), "claims": len(c.statements) - len(claims),
            "entities": len(c.entities) - sum(len(items) for _, items in groups),
        },
        paragraph=paragraph_pieces(c), docs_link=DOCS_LINK,
        hedged=sum(s.hedge is not None for s in c.statements), claim_count=len(c.statements),
        spans=len({(s.source, s.span.start, s.span.end) for s in c.statements}), entity_count=len(c.entities),
        shown_source=shown_source(c).folder.name, shown_label=source_label(c, shown_source(c)),
        other_sources=other_sources(c, shown),
        dataset_jsonld=script_json(dataset),
    )


def script_json(data: dict) -> str:
    """JSON for a <script> element: `</` escaped, so no string can close the element."""
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


def standalone_svg(figure: Figure) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + figure.svg + "\n"


def site_files(build, description) -> dict[str, bytes]:
    """dist/site/: the page and its figure. Needs the stored queries' answers (build.answers) and
    the dataset description (an rdflib graph of void.ttl), whose schema.org form the page embeds."""
    if FIGURE_QUERY not in build.answers:
        raise BuildError(
            f"the dataset page draws its network from the stored query queries/{FIGURE_QUERY}.rq, which is "
            "missing; restore it from git"
        )
    figure = network_svg(build, build.answers[FIGURE_QUERY])
    return {
        "site/index.html": page(build, figure, schema_dataset(description)).encode("utf-8"),
        "site/network.svg": standalone_svg(figure).encode("utf-8"),
    }



