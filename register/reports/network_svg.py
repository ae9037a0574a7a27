"""Server-side SVG pictures of the partner network: a deterministic layout computed in Python and a
tiny SVG writer. No JavaScript, no CSS in the markup: SVG presentation attributes (``fill=``,
``stroke=``, ``r=``) only, which a strict Content-Security-Policy allows.

Meaning never rests on colour alone: the kind of organisation is the shape (kommun a circle,
region a square, any other organisation a diamond, a samverkan a triangle), a tie that crosses a
county border is dashed, and every node has a title and is a link where it has a page; the page's
table has the same data.

Shared by the internal pages (``register/web/network.py``) and the public site
(``register/public/network.py``): the caller gives the links (``urls.organisation(id)`` and
``urls.arrangement(id)``; an empty link draws the node without one).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .. import graph

WIDTH = 1000
# Okabe–Ito, readable for the common kinds of colour blindness; communities cycle through it.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
INK = "#1b1f24"
EDGE = "#5b6670"
MAX_EDGES = 1500


@dataclass
class Node:
    x: float
    y: float
    label: str
    title: str
    url: str  # "" for a node without a page of its own
    shape: str  # circle, square, diamond, triangle
    size: float = 7.0
    fill: str = PALETTE[0]
    show_label: bool = True
    bold: bool = False
    label_angle: float | None = None  # put the label outwards at this angle (radians)


@dataclass
class Edge:
    a: Node
    b: Node
    width: float = 1.0
    dashed: bool = False


@dataclass
class Picture:
    nodes: list[Node]
    edges: list[Edge]
    height: int
    label: str
    notes: list[str] = field(default_factory=list)
    texts: list[tuple[float, float, str]] = field(default_factory=list)


def short_label(text: str, limit: int = 28) -> str:
    """A label of at most ``limit`` characters (the full name is in the node's title)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def shape_of(kind: str) -> str:
    return {graph.MUNICIPALITY: "circle", graph.REGION: "square"}.get(kind, "diamond")


def _f(value: float) -> str:
    return f"{value:.1f}"


def _shape(node: Node) -> str:
    x, y, s = node.x, node.y, node.size
    common = f'fill="{node.fill}" stroke="{INK}" stroke-width="{2 if node.bold else 1}"'
    if node.shape == "circle":
        return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(s)}" {common}/>'
    if node.shape == "square":
        return (
            f'<rect x="{_f(x - s)}" y="{_f(y - s)}" width="{_f(2 * s)}" height="{_f(2 * s)}" '
            f"{common}/>"
        )
    if node.shape == "triangle":
        points = f"{_f(x)},{_f(y - s * 1.2)} {_f(x + s * 1.1)},{_f(y + s * 0.8)} " + (
            f"{_f(x - s * 1.1)},{_f(y + s * 0.8)}"
        )
        return f'<polygon points="{points}" {common}/>'
    points = f"{_f(x)},{_f(y - s * 1.3)} {_f(x + s * 1.3)},{_f(y)} {_f(x)},{_f(y + s * 1.3)} " + (
        f"{_f(x - s * 1.3)},{_f(y)}"
    )
    return f'<polygon points="{points}" {common}/>'


def render(picture: Picture) -> str:
    """Return the picture as an SVG element (safe HTML)."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="network-svg" viewBox="0 0 {WIDTH} '
        f'{picture.height}" role="group" aria-label="{escape(picture.label)}">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{picture.height}" fill="#ffffff"/>',
        f'<g stroke="{EDGE}" stroke-opacity="0.55" fill="none">',
    ]
    for e in picture.edges:
        dash = ' stroke-dasharray="5 4"' if e.dashed else ""
        out.append(
            f'<line x1="{_f(e.a.x)}" y1="{_f(e.a.y)}" x2="{_f(e.b.x)}" y2="{_f(e.b.y)}" '
            f'stroke-width="{_f(e.width)}"{dash}/>'
        )
    out.append("</g>")
    for x, y, text in picture.texts:
        out.append(
            f'<text x="{_f(x)}" y="{_f(y)}" font-size="15" font-weight="700" fill="{INK}" '
            f'text-anchor="middle">{escape(text)}</text>'
        )
    for n in picture.nodes:
        if n.url:
            out.append(f'<a href="{escape(n.url)}" aria-label="{escape(n.title)}">')
        else:
            out.append("<g>")
        out.append(f"<title>{escape(n.title)}</title>")
        out.append(_shape(n))
        if n.show_label:
            if n.label_angle is not None:
                cos, sin = math.cos(n.label_angle), math.sin(n.label_angle)
                anchor = "start" if cos > 0.35 else "end" if cos < -0.35 else "middle"
                dx = cos * (n.size + 3)
                dy = sin * (n.size + 3) + (4 if anchor != "middle" else (12 if sin > 0 else -4))
            else:
                anchor = "start" if n.x >= WIDTH / 2 else "end"
                dx = n.size + 3 if anchor == "start" else -(n.size + 3)
                if abs(n.x - WIDTH / 2) < 1:
                    anchor, dx = "middle", 0
                dy = n.size + 14 if anchor == "middle" else 4
            weight = ' font-weight="700"' if n.bold else ""
            out.append(
                f'<text x="{_f(n.x + dx)}" y="{_f(n.y + dy)}" font-size="12" fill="{INK}" '
                f'text-anchor="{anchor}" stroke="#ffffff" stroke-width="3" '
                f'paint-order="stroke"{weight}>{escape(n.label)}</text>'
            )
        out.append("</a>" if n.url else "</g>")
    out.append("</svg>")
    return mark_safe("".join(out))


def _ring(count: int, radius: float, cx: float, cy: float, start: float = -math.pi / 2):
    for i in range(count):
        angle = start + 2 * math.pi * i / max(count, 1)
        yield cx + radius * math.cos(angle), cy + radius * math.sin(angle), angle


def _width(shared: int) -> float:
    return 1 + 1.5 * math.log2(shared) if shared > 1 else 1.0


def ego_picture(net: graph.Network, org_id: int, urls) -> Picture:
    """The organisation in the middle, its arrangements on the inner ring and its partners on the
    outer ring, each partner placed by the mean angle of the arrangements it shares (fewer
    crossings); a line joins each partner to each arrangement it takes part in."""
    orgs, arrangements = net.data.orgs, net.data.arrangements
    me = orgs[org_id]
    mine = sorted(net.arrangements_of(org_id), key=lambda a: (arrangements[a].name, a))
    partners = (
        sorted(net.graph[org_id], key=lambda p: (orgs[p].name, p)) if org_id in net.graph else []
    )
    many = len(partners) > 60
    height = 820 if len(partners) <= 40 else 1000
    cx, cy = WIDTH / 2, height / 2
    inner = min(170, 60 + 12 * len(mine))
    outer = height / 2 - 70
    centre = Node(
        cx,
        cy,
        me.name,
        f"{me.name}: {len(mine)} samverkan, {len(partners)} parter",
        urls.organisation(me.id),
        shape_of(me.kind),
        size=12,
        fill="#ffffff",
        bold=True,
    )
    a_nodes, a_angle = {}, {}
    for a, (x, y, angle) in zip(mine, _ring(len(mine), inner, cx, cy), strict=True):
        n_members = len(net.members(a))
        a_nodes[a] = Node(
            x,
            y,
            short_label(arrangements[a].name),
            f"Samverkan: {arrangements[a].name} ({n_members} parter)",
            urls.arrangement(a),
            "triangle",
            size=7,
            fill="#f0f0f0",
            show_label=len(mine) <= 30,
        )
        a_angle[a] = angle

    # Partners by the circular mean of their arrangements' angles.
    def mean_angle(p):
        shared = net.graph[org_id][p]["arrangements"]
        sx = sum(math.cos(a_angle[a]) for a in shared if a in a_angle)
        sy = sum(math.sin(a_angle[a]) for a in shared if a in a_angle)
        return (math.atan2(sy, sx) + 2.5 * math.pi) % (2 * math.pi)

    ordered = sorted(partners, key=lambda p: (round(mean_angle(p), 3), orgs[p].name, p))
    p_nodes = {}
    for p, (x, y, angle) in zip(ordered, _ring(len(ordered), outer, cx, cy), strict=True):
        o = orgs[p]
        edge = net.graph[org_id][p]
        cross = graph.crosses_county(me, o)
        county = f", {o.county_name}" if o.county_name else ""
        p_nodes[p] = Node(
            x,
            y,
            o.name,
            f"{o.name}{county}: {edge['shared']} gemensamma samverkan"
            + (" (annat län)" if cross else ""),
            urls.organisation(p),
            shape_of(o.kind),
            size=4 + min(6, 1.5 * edge["shared"]),
            fill=PALETTE[1] if cross else PALETTE[0],
            show_label=not many,
            label_angle=angle,
        )
    edges = [Edge(centre, a_nodes[a], width=1.5) for a in mine]
    for a in mine:
        for m in net.members(a):
            if m in p_nodes:
                edges.append(Edge(a_nodes[a], p_nodes[m], dashed=graph.crosses_county(me, orgs[m])))
    notes = []
    if many:
        notes.append("Med så många parter visas deras namn bara i rubrikerna och i tabellen.")
    return Picture(
        nodes=[*p_nodes.values(), *a_nodes.values(), centre],
        edges=edges,
        height=int(height),
        label=f"Partnernätverket för {me.name}: {len(mine)} samverkan och {len(partners)} parter",
        notes=notes,
    )


def strongest_ties(net: graph.Network, nodes: list[int]) -> list[tuple[int, int, dict]]:
    """The ties among ``nodes``, (u, v, tie), the most shared arrangements first, then the most
    money, then by the ends' ids.

    The ends of a tie come in the order networkx's ``graph.subgraph(nodes).edges()`` gives them
    (the picture was drawn from that before): the end its walk meets first, which is the graph's
    node order, or, when ``nodes`` are fewer than half the graph, the order of a set of them. Among
    ties of equal weight the ends decide which are drawn first and which make the cut at
    ``MAX_EDGES``; walking the graph's own dicts instead of the view is several times faster.
    """
    ties_of = net.ties
    shown = {n for n in nodes if n in ties_of}  # built as networkx builds it: the same order
    walk = shown if 2 * len(shown) < len(ties_of) else (n for n in ties_of if n in shown)
    ties, seen = [], set()
    for u in walk:
        for v, tie in ties_of[u].items():
            if v in shown and v not in seen:
                ties.append((u, v, tie))
        seen.add(u)
    ties.sort(key=lambda t: (-t[2]["shared"], -t[2]["money"], t[0], t[1]))
    return ties


def area_picture(net: graph.Network, area: graph.AreaFigures, urls, *, title: str) -> Picture:
    """Each community on a small circle of its own, the communities round a large circle
    (largest first, clockwise from the top, numbered as in the table); the organisations without
    any tie in a grid below. Everything is scaled to the picture's width."""
    orgs = net.data.orgs
    connected = [n for c in area.communities for n in c]
    isolated = [n for n in area.orgs if n not in area.community_of]
    spacing, gap = (34.0, 90.0) if len(connected) <= 60 else (16.0, 40.0)
    radii = [
        max(14.0, len(c) * spacing / (2 * math.pi)) if len(c) > 1 else 0.0 for c in area.communities
    ]
    spans = [2 * r + gap for r in radii]
    big = max(sum(spans) / (2 * math.pi), (max(radii) + gap) if radii else 0.0)
    if len(area.communities) == 1:
        big = 0.0
    # Abstract coordinates round (0, 0), scaled to fit afterwards.
    places = []
    turned = 0.0
    for r, span in zip(radii, spans, strict=True):
        angle = -math.pi / 2 + 2 * math.pi * (turned + span / 2) / max(sum(spans), 1)
        turned += span
        ccx, ccy = big * math.cos(angle), big * math.sin(angle)
        places.append((ccx, ccy, r, angle))
    extent = max((math.hypot(x, y) + r for x, y, r, _ in places), default=1.0) + 40
    scale = min(1.6, (WIDTH / 2 - 40) / extent)
    cx = WIDTH / 2
    cy = extent * scale + 30
    nodes: dict[int, Node] = {}
    texts = []
    top = {f.org.id for f in area.most_connected}
    for k, (community, (ccx, ccy, r, angle)) in enumerate(
        zip(area.communities, places, strict=True), 1
    ):
        bx, by = cx + ccx * scale, cy + ccy * scale
        texts.append(
            (
                bx + (r * scale + 34) * math.cos(angle),
                by + (r * scale + 34) * math.sin(angle) + 5,
                f"{k}",
            )
        )
        for i, n in enumerate(community):
            a = -math.pi / 2 + 2 * math.pi * i / len(community)
            f = area.figures[n]
            o = orgs[n]
            nodes[n] = Node(
                bx + r * scale * math.cos(a),
                by + r * scale * math.sin(a),
                o.name,
                f"{o.name} (grupp {k}): {f.partners} parter, {f.arrangements} samverkan",
                urls.organisation(n),
                shape_of(o.kind),
                size=3 + min(6, math.sqrt(f.partners) / 1.5),
                fill=PALETTE[(k - 1) % len(PALETTE)],
                show_label=n in top or len(connected) <= 40,
                bold=n in top,
                label_angle=a,
            )
    ties = strongest_ties(net, connected)
    notes = []
    if len(ties) > MAX_EDGES:
        notes.append(
            f"Bilden visar de {MAX_EDGES} starkaste av {len(ties)} band; tabellerna och "
            "nedladdningarna har alla."
        )
        ties = ties[:MAX_EDGES]
    edges = [
        Edge(
            nodes[u],
            nodes[v],
            width=_width(e["shared"]),
            dashed=graph.crosses_county(orgs[u], orgs[v]),
        )
        for u, v, e in ties
    ]
    height = int(cy + extent * scale + 20)
    if isolated:
        per_row = 40
        texts.append((WIDTH / 2, height, f"Utan registrerad samverkan ({len(isolated)})"))
        for i, n in enumerate(isolated):
            row, col = divmod(i, per_row)
            o = orgs[n]
            nodes[n] = Node(
                30 + col * (WIDTH - 60) / (per_row - 1),
                height + 25 + row * 22,
                o.name,
                f"{o.name}: ingen registrerad samverkan",
                urls.organisation(n),
                shape_of(o.kind),
                size=4,
                fill="#ffffff",
                show_label=False,
            )
        height += 25 + (len(isolated) // per_row + 1) * 22 + 10
    return Picture(
        nodes=list(nodes.values()),
        edges=edges,
        height=int(height),
        label=title,
        notes=notes,
        texts=texts,
    )
