"""Reading a tagged PDF's structure tree with pypdf, for the tests of the PDFs' tables."""

from __future__ import annotations

import io

import pypdf


def structure_elements(content: bytes):
    """Yield every structure element of the PDF, walking from /StructTreeRoot."""
    root = pypdf.PdfReader(io.BytesIO(content)).trailer["/Root"]
    stack = [root["/StructTreeRoot"].get_object()]
    seen = set()
    while stack:
        node = stack.pop()
        if isinstance(node, pypdf.generic.IndirectObject):
            if node.idnum in seen:
                continue
            seen.add(node.idnum)
            node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            stack.extend(reversed(node))
            continue
        if not isinstance(node, pypdf.generic.DictionaryObject):
            continue  # a marked-content id
        if node.get("/Type") == "/StructElem":
            yield node
        kids = node.get("/K")
        if kids is not None:
            stack.append(kids)


def table_headers(content: bytes) -> list[tuple[str, object]]:
    """Return every TH structure element as (the /S of its row's parent, its /Scope or None):
    ("/THead", "/Column") for a column header in the table's head."""
    headers = []
    for element in structure_elements(content):
        if element.get("/S") == "/TH":
            row = element["/P"].get_object()
            headers.append((row["/P"].get_object().get("/S"), scope(element)))
    return headers


def scope(element):
    """The /Scope in the element's attributes (one dictionary, or an array of them)."""
    attributes = element.get("/A")
    if attributes is None:
        return None
    attributes = attributes.get_object()
    if isinstance(attributes, pypdf.generic.ArrayObject):  # several attribute owners
        for owner in attributes:
            owner = owner.get_object()
            if isinstance(owner, pypdf.generic.DictionaryObject) and "/Scope" in owner:
                return owner["/Scope"]
        return None
    return attributes.get("/Scope")
