"""The dataset page: dist/site/index.html and dist/site/network.svg.

One static page that people can read offline from the file system (no server, no CDN, no
external fonts): the network of miRNAs and what they act on, the source paragraph with every
quoted span highlighted, the claims table and the entity index.

The network figure is drawn from the answer of the stored query
queries/90-network-figure-edges.rq (one row per claim whose subject is a miRNA); its layout comes
from a layered (Sugiyama) layout engine, grandalf, pure Python, so the main job stays pip-only
and the figure is the same on every machine. Everything is written in a fixed order, so two builds
give byte-identical files.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from grandalf.graphs import Edge as _GEdge
from grandalf.graphs import Graph as _GGraph
from grandalf.graphs import Vertex as _GVertex
from grandalf.layouts import SugiyamaLayout

from .errors import BuildError
from .iris import claim_iri, local_id
from .namespaces import MIRKG
from .ontology import label_of
from .queries import Answer, parse_term_text

FIGURE_QUERY = "90-network-figure-edges"
ASSETS = Path(__file__).resolve().parent / "site_assets"
DOCS_LINK = "../docs/index.html"

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


def h(text: object) -> str:
    return html.escape(str(text), quote=True)


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

    out: list[str] = []
    add = out.append
    add(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="network" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}" role="img" aria-labelledby="network-title network-desc" '
        f'data-node-count="{len(nodes)}" data-edge-count="{len(edges)}">'
    )
    add('<title id="network-title">miRNAs and what the paragraph says they act on</title>')
    add(
        '<desc id="network-desc">Drawn from the answer of the stored query queries/90-network-figure-edges.rq: '
        "one edge per miRNA, relation, direction, hedge and object, with the claims behind it. "
        f"Layered layout by grandalf (Sugiyama).{' ' + h(note) if note else ''}</desc>"
    )
    add(_read_asset("network.svg.css", wrap_tag="style"))
    add("<defs>")
    for style, (shape, colour) in {
        "raises": ("M0,0 L10,5 L0,10 z", "#1b7a3a"),
        "lowers": ("M7,0 L10,0 L10,10 L7,10 z", "#1f5fa8"),
        "represses": ("M7,0 L10,0 L10,10 L7,10 z", "#b3261e"),
        "other": ("M0,1 L9,5 L0,9", "#6b6b6b"),
    }.items():
        fill = "none" if style == "other" else colour
        add(
            f'<marker id="head-{style}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto-start-reverse"><path d="{shape}" fill="{fill}" stroke="{colour}" '
            'stroke-width="1.2"/></marker>'
        )
    add("</defs>")

    # Legend
    add(f'<g class="legend" transform="translate({MARGIN},{MARGIN})">')
    add(f'<rect class="legend-box" x="0" y="0" width="{_num(legend_w)}" height="{legend_h}"/>')
    add('<text class="legend-title" x="10" y="17">Legend</text>')
    y = 36
    for style in styles_present:
        add(
            f'<g class="legend-item edge-{style}"><path class="edge-line" d="M10,{y - 4} L54,{y - 4}" '
            f'marker-end="url(#head-{style})"/><text x="64" y="{y}">{h(EDGE_STYLES[style])}</text></g>'
        )
        y += 20
    add(
        f'<g class="legend-item edge-other hedged"><path class="edge-line" d="M10,{y - 4} L54,{y - 4}"/>'
        f'<text x="64" y="{y}">{h(HEDGE_LEGEND)}</text></g>'
    )
    y += 20
    for group in groups_present:
        add(
            f'<g class="legend-item node kind-{GROUP_CLASS[group]}">'
            f'<rect x="18" y="{y - 13}" width="28" height="16" rx="4"/>'
            f'<text x="64" y="{y}">{h(group)}</text></g>'
        )
        y += 20
    add("</g>")

    # Edges: parallel edges between the same two nodes are spread apart.
    add(f'<g class="edges" transform="translate(0,{_num(graph_top)})">')
    pair_count: dict[tuple[str, str], int] = {}
    for e in edges:
        pair_count[(e.source, e.target)] = pair_count.get((e.source, e.target), 0) + 1
    pair_seen: dict[tuple[str, str], int] = {}
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
        style = edge_style(e)
        label = relation_label(e)
        claims = " ".join(e.claims)
        cells = {s.context["cell_type"] for s in c.statements if s.id in e.claims and "cell_type" in s.context}
        context = sorted(c.entities[cell].name for cell in cells)
        tip = f"{nodes[e.source]} {label} {nodes[e.target]}" + (" (hedged)" if e.hedged else "")
        if context:
            tip += f"; in {', '.join(context)}"
        tip += f"; claim{'s' if len(e.claims) > 1 else ''}: {', '.join(e.claims)}"
        add(
            f'<g class="edge edge-{style}{" hedged" if e.hedged else ""}" id="edge-{i + 1}" '
            f'data-source="{h(e.source)}" data-target="{h(e.target)}" data-relation="{h(e.relation)}" '
            f'data-direction="{h(e.direction)}" data-hedged="{str(e.hedged).lower()}" data-claims="{h(claims)}">'
        )
        add(f"<title>{h(tip)}</title>")
        add(
            f'<a href="index.html#claim-{h(e.claims[0])}"><path class="edge-line" '
            f'd="M{_num(p0[0])},{_num(p0[1])} C{_num(p1[0])},{_num(p1[1])} {_num(p2[0])},{_num(p2[1])} '
            f'{_num(p3[0])},{_num(p3[1])}" marker-end="url(#head-{style})"/>'
            f'<text class="edge-label" x="{_num(lx)}" y="{_num(ly - 3)}">{h(label)}</text></a>'
        )
        add("</g>")
    add("</g>")

    # Nodes
    add(f'<g class="nodes" transform="translate(0,{_num(graph_top)})">')
    for nid, box in boxes.items():
        group = GROUP_CLASS[_node_group(c.entities[nid].kind)]
        add(f'<g class="node kind-{group}" id="node-{h(nid)}" data-id="{h(nid)}">')
        add(f"<title>{h(nodes[nid])} ({h(c.entities[nid].kind.replace('_', ' '))})</title>")
        add(f'<a href="index.html#entity-{h(nid)}">')
        add(f'<rect x="{_num(box.x)}" y="{_num(box.y)}" width="{_num(box.w)}" height="{_num(box.h)}" rx="6"/>')
        add(f'<text x="{_num(box.x + box.w / 2)}" y="{_num(box.y + PAD_Y + FONT)}">')
        for j, line in enumerate(box.lines):
            dy = "0" if j == 0 else str(LINE_H)
            add(f'<tspan x="{_num(box.x + box.w / 2)}" dy="{dy}">{h(line)}</tspan>')
        add("</text></a></g>")
    add("</g>")
    add("</svg>")
    return Figure(nodes, edges, "\n".join(out), note, len(all_edges))


# ------------------------------------------------------------------------------------------------
# The page


def _read_asset(name: str, wrap_tag: str | None = None) -> str:
    text = (ASSETS / name).read_text(encoding="utf-8").strip()
    return f"<{wrap_tag}>\n{text}\n</{wrap_tag}>" if wrap_tag else text


def _link(url: str, text: str) -> str:
    return f'<a href="{h(url)}">{h(text)}</a>'


def _entity_link(c, eid: str) -> str:
    return f'<a href="#entity-{h(eid)}">{h(c.entities[eid].name)}</a>'


def claim_label(release, sid: str) -> str:
    return release.claim_labels.get(str(claim_iri(sid)), sid)


def _work_links(c, wid: str) -> str:
    w = c.works[wid]
    who = w.authors.split(",")[0].split(" et al")[0]
    links = []
    for prefix, value, name in (("doi", w.doi, "DOI"), ("pubmed", w.pmid, "PMID"), ("pmc", w.pmcid, "PMC")):
        if value:
            links.append(_link(c.reference.iri(f"{prefix}:{value}"), f"{name} {value}"))
    ids = ", ".join(links) if links else "DOI and PMID not confirmed"
    return f'<span class="work" title="{h(w.title)}">{h(who)} et al. {w.year} ({ids})</span>'


def citation_cell(c, s) -> str:
    if s.citation is None:
        return '<span class="muted">none given</span>'
    parts = [f"<strong>{h(s.citation)}</strong>"]
    if len(s.citation_numbers) > 1:
        joint = c.joints.get(s.citation)
        works = joint.works if joint else []
        if works:
            parts.append("jointly: " + "; ".join(_work_links(c, w) for w in works))
        else:
            parts.append('<span class="muted">not identified</span>')
    else:
        ref = c.references[s.citation_numbers[0]]
        if ref.status == "resolved" and ref.work:
            parts.append(_work_links(c, ref.work))
        elif ref.status == "ambiguous":
            parts.append("one of: " + "; ".join(_work_links(c, w) for w in ref.candidates))
        else:
            parts.append('<span class="muted">not identified</span>')
    return "<br>".join(parts)


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


def paragraph_html(c) -> str:
    source = shown_source(c)
    text = source.text.text
    spans = {s.id: (s.span.start, s.span.end) for s in c.statements if s.source == source.id}
    starts: dict[int, list[str]] = {}
    for sid, (a, _) in spans.items():
        starts.setdefault(a, []).append(sid)
    out = []
    for a, b, claims in _segments(text, spans):
        for sid in sorted(starts.get(a, [])):
            out.append(f'<span class="q-anchor" id="q-{h(sid)}"></span>')
        piece = h(text[a:b])
        if claims:
            depth = min(len(claims), 4)
            out.append(
                f'<mark class="span d{depth}" tabindex="0" data-start="{a}" data-end="{b}" '
                f'data-claims="{h(" ".join(claims))}">{piece}</mark>'
            )
        else:
            out.append(piece)
    return "".join(out)


def claims_table(build) -> str:
    c = build.curation
    rows = []
    for n, s in enumerate(c.statements, start=1):
        relation = s.relation.label
        context = [
            f"{key.replace('_', ' ')}: {_entity_link(c, eid)}" for key, eid in sorted(s.context.items())
        ]
        if s.via:
            context.append(f"via: {_entity_link(c, s.via)}")
        if s.subject_aspect:
            context.append(f"subject aspect: {h(s.subject_aspect)}")
        hedge = h(s.hedge) if s.hedge else ""
        if s.statement_type != "finding":
            hedge += ('<br>' if hedge else "") + '<span class="tag">limitation</span>'
        note = f'<details><summary>curator note</summary>{h(s.note)}</details>' if s.note else ""
        rows.append(
            f'<tr id="claim-{h(s.id)}" data-claim="{h(s.id)}" data-label="{h(claim_label(build, s.id))}" '
            f'data-hedged="{str(s.hedge is not None).lower()}" data-order="{n}">'
            f'<td data-col="#" data-sort="{n:03d}">{n}</td>'
            f'<td data-col="Subject">{_entity_link(c, s.subject)}</td>'
            f'<td data-col="Relation">{h(relation)}</td>'
            f'<td data-col="Object">{_entity_link(c, s.object)}</td>'
            f'<td data-col="Quote" class="quote"><q>{h(s.span.exact)}</q><br>'
            f'<a class="to-span" href="#q-{h(s.id)}">show in text</a> '
            f'<span class="claim-id">claim <code>{h(s.id)}</code></span>{note}</td>'
            f'<td data-col="Context">{"<br>".join(context)}</td>'
            f'<td data-col="Direction">{h(s.direction or "")}</td>'
            f'<td data-col="Hedge">{hedge}</td>'
            f'<td data-col="Attributed to">{h(c.agents[s.attributed_to].label)}</td>'
            f'<td data-col="Citation">{citation_cell(c, s)}</td>'
            "</tr>"
        )
    head = "".join(
        f'<th scope="col"><button type="button" class="sort" data-col="{i}">{name}</button></th>'
        for i, name in enumerate(
            ["#", "Subject", "Relation", "Object", "Quote", "Context", "Direction", "Hedge", "Attributed to",
             "Citation"]
        )
    )
    return (
        '<div class="table-wrap"><table id="claims-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _mentions(c) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {eid: [] for eid in c.entities}
    for s in c.statements:
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


def _entity_item(build, e, mentions) -> str:
    c = build.curation
    links = []
    for curie in ([e.curie] if e.curie else []) + e.xrefs:
        prefix = curie.split(":", 1)[0]
        links.append(f"{h(DATABASES.get(prefix, prefix))}: {_link(c.reference.iri(curie), curie)}")
    for kind, curies in sorted(e.related.items()):
        for curie in curies:
            prefix = curie.split(":", 1)[0]
            links.append(
                f"{h(RELATED_LABEL.get(kind, kind))}, {h(DATABASES.get(prefix, prefix))}: "
                f"{_link(c.reference.iri(curie), curie)}"
            )
    ids = "".join(f"<li>{ln}</li>" for ln in links)
    unresolved = f'<p class="muted">No confirmed identifier: {h(e.unresolved)}</p>' if e.unresolved else ""
    claims = "".join(
        f'<li><a href="#claim-{h(sid)}">{h(claim_label(build, sid))}</a> <span class="muted">({h(role)})</span></li>'
        for sid, role in mentions
    )
    return (
        f'<li class="entity" id="entity-{h(e.id)}" data-entity="{h(e.id)}">'
        f'<h4>{h(e.name)}</h4>'
        f'<p class="written">as written: {", ".join(f"<q>{h(w)}</q>" for w in e.written)}</p>'
        + (f'<ul class="ids">{ids}</ul>' if ids else "")
        + unresolved
        + (f'<details class="note"><summary>curator note</summary>{h(e.note)}</details>' if e.note else "")
        + (f'<p class="mentions-head">{len(mentions)} claim(s) mention it:</p><ul class="mentions">{claims}</ul>'
           if claims else '<p class="muted">No claim mentions it.</p>')
        + "</li>"
    )


def entity_index(build) -> str:
    c = build.curation
    mentions = _mentions(c)
    out = []
    # the kinds in the order data/entities.yaml first uses them
    for kind in dict.fromkeys(e.kind for e in c.entities.values()):
        group = sorted((e for e in c.entities.values() if e.kind == kind), key=lambda e: (e.name.lower(), e.id))
        if group:
            out.append(f'<h3 class="kind-head">{h(KIND_HEADINGS.get(kind, kind))}</h3>')
            items = "".join(_entity_item(build, e, mentions[e.id]) for e in group)
            out.append(f'<ul class="entities">{items}</ul>')
    return "\n".join(out)


def page(build, figure: Figure) -> str:
    figure_note = f'\n<p class="figure-note">{h(figure.note)}</p>' if figure.note else ""
    c = build.curation
    info = c.source_info
    hedged = sum(s.hedge is not None for s in c.statements)
    spans = len({(s.source, s.span.start, s.span.end) for s in c.statements})
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mirkg: microRNAs, mesenchymal stem cells and lupus, claim by claim</title>
{_read_asset("site.css", wrap_tag="style")}
</head>
<body>
<header>
<h1>mirkg: microRNAs, mesenchymal stem cells and lupus</h1>
<p>Every claim one paragraph of a review ({h(info.journal)}, {info.year}) makes about how microRNAs act on
mesenchymal stem cells (MSCs) in systemic lupus erythematosus (SLE), as a knowledge graph: each claim
anchored to the exact words of the source, with its citation, who the text attributes it to, and whether
the text hedges it.</p>
<p class="counts">{len(c.statements)} claims ({hedged} hedged) &middot; {spans} quoted spans &middot;
{len(c.entities)} entities &middot; {figure.network_edges} edges in the network</p>
<nav><a href="#network">Network</a> <a href="#source">Source paragraph</a> <a href="#claims">Claims</a>
<a href="#entities">Entities</a> <a href="{DOCS_LINK}">Ontology documentation</a>
<a href="#downloads">Downloads</a></nav>
</header>
<main>
<section id="network">
<h2>The network at a glance</h2>
<p>Each miRNA (left) and what the paragraph says it does to a gene, a process, a cell population or the
disease (right). Click a node for its identifiers, an edge for its claim; hover for details.
The figure is drawn from the stored query <code>queries/90-network-figure-edges.rq</code>
(also as <a href="network.svg">network.svg</a>).</p>{figure_note}
<figure class="figure">
{figure.svg}
</figure>
</section>
<section id="source">
<h2>The source paragraph</h2>
<p>Every quoted span is highlighted; the darker, the more claims rest on it. Hover over or click a span to
see the claims it supports.</p>
<blockquote class="paragraph" id="paragraph" cite="data/sources/{h(shown_source(c).folder.name)}/text.txt">{paragraph_html(c)}</blockquote>
<aside id="span-panel" class="span-panel" aria-live="polite" hidden>
<button type="button" class="panel-close" aria-label="close">&times;</button>
<p class="panel-head"></p><ul class="panel-claims"></ul>
</aside>
</section>
<section id="claims">
<h2>Claims</h2>
<div class="filters">
<label>Filter <input type="search" id="claim-filter" placeholder="gene, miRNA, words of the quote..."></label>
<label><input type="checkbox" id="only-hedged"> only hedged claims</label>
<span id="claim-count" aria-live="polite">{len(c.statements)} of {len(c.statements)} claims</span>
</div>
{claims_table(build)}
</section>
<section id="entities">
<h2>Entities</h2>
<p>Every entity the paragraph mentions, with its external identifiers and the claims that mention it. The
classes and relations are described in the <a href="{DOCS_LINK}">ontology documentation</a>.</p>
{entity_index(build)}
</section>
<section id="downloads">
<h2>Downloads</h2>
<ul>
<li><a href="../mirkg.ttl">mirkg.ttl</a> and <a href="../mirkg.nt">mirkg.nt</a>: the instance data</li>
<li><a href="../ontology.ttl">ontology.ttl</a>: the ontology with its import module</li>
<li><a href="../build-report.md">build-report.md</a>: counts, validation and the stored queries' answers</li>
</ul>
</section>
</main>
<footer><p>Source: {h(info.journal)} ({info.year}), published online {h(info.published_online)}. Curation,
ontology and shapes under CC BY 4.0.</p></footer>
{_read_asset("site.js", wrap_tag="script")}
</body>
</html>
"""


def standalone_svg(figure: Figure) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + figure.svg + "\n"


def site_files(build) -> dict[str, bytes]:
    """dist/site/: the page and its figure. Needs the stored queries' answers (build.answers)."""
    if FIGURE_QUERY not in build.answers:
        raise BuildError(
            f"the dataset page draws its network from the stored query queries/{FIGURE_QUERY}.rq, which is "
            "missing; restore it from git"
        )
    figure = network_svg(build, build.answers[FIGURE_QUERY])
    return {
        "site/index.html": page(build, figure).encode("utf-8"),
        "site/network.svg": standalone_svg(figure).encode("utf-8"),
    }



