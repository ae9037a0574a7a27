"""The partner network as files: GEXF, GraphML and JSON node-link of the graph, and the figures
per organisation as CSV and XLSX. Bytes only; the views send them through register/downloads.py."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from .. import graph
from . import xlsx as writer

# The figures' columns: (key in OrgFigures.as_json() or a derived one, Swedish heading).
COLUMNS = (
    ("code", "Kod"),
    ("name", "Organisation"),
    ("arrangements", "Samverkan"),
    ("partners", "Parter"),
    ("weighted_degree", "Gemensamma samverkan med parterna (summa)"),
    ("weighted_degree_money", "Gemensamma kostnader med parterna (kr)"),
    ("top_shared", "Flest gemensamma samverkan med"),
    ("top_money", "Mest gemensamma kostnader med"),
    ("cross_county_partners", "Parter i annat län"),
    ("distinct_partner_groups", "Olika partnergrupper"),
    ("minority_cost_share", "Andel av kostnaden där vi har minoritet av platserna (%)"),
    ("minority_cost_reason", "Anmärkning"),
)


def graph_gexf(net: graph.Network, nodes=None) -> bytes:
    """Return the graph as GEXF 1.2 (networkx's default version), valid against its schema."""
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(graph.export_graph(net, nodes))
    # networkx always writes <graph name="…">, an attribute GEXF 1.2's schema does not have
    # (1.3 added it); the graph has no name, so the file leaves it out.
    writer.graph_element.attrib.pop("name", None)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def graph_graphml(net: graph.Network, nodes=None) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(graph.export_graph(net, nodes), buffer)
    return buffer.getvalue()


def graph_json(net: graph.Network, nodes=None) -> bytes:
    data = nx.node_link_data(graph.export_graph(net, nodes))
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def _rows(figures: list[graph.OrgFigures]):
    for f in figures:
        row = f.as_json()
        row["code"] = f.org.code or ""
        row["top_shared"] = f.top_partner_shared[0].name if f.top_partner_shared else ""
        row["top_money"] = f.top_partner_money[0].name if f.top_partner_money else ""
        share = row["minority_cost_share"]
        row["minority_cost_share"] = "" if share is None else round(100 * share, 1)
        row["minority_cost_reason"] = row["minority_cost_reason"] or ""
        yield [row[key] for key, _ in COLUMNS]


def _text(value):
    """A cell's text that no spreadsheet reads as a formula."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return "'" + value
    return value


def figures_csv(figures: list[graph.OrgFigures]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([title for _, title in COLUMNS])
    for row in _rows(figures):
        writer.writerow([_text(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads it as UTF-8


def figures_xlsx(figures: list[graph.OrgFigures], *, title: str) -> bytes:
    book = writer.Book()
    sheet = book.add_sheet("Nätverksmått")
    sheet.title_rows(title[:200])
    sheet.table([heading for _, heading in COLUMNS], _rows(figures), row=3)
    return book.to_bytes()
