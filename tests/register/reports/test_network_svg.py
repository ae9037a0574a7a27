"""The shared network picture: the caller's links, and a node without a page is drawn unlinked."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from register.reports import network_svg

SVG = "{http://www.w3.org/2000/svg}"


def picture(url: str) -> network_svg.Picture:
    node = network_svg.Node(
        10, 10, "Roslagsvatten AB", "Roslagsvatten AB: 1 samverkan", url, "diamond"
    )
    return network_svg.Picture(nodes=[node], edges=[], height=100, label="Nätverket")


def test_a_node_with_a_link_is_an_svg_link_with_its_title():
    root = ET.fromstring(network_svg.render(picture("/insyn/0160/")))
    links = list(root.iter(f"{SVG}a"))
    assert [a.get("href") for a in links] == ["/insyn/0160/"]
    assert links[0].find(f"{SVG}title").text == "Roslagsvatten AB: 1 samverkan"


def test_a_node_without_a_page_is_drawn_with_its_title_and_no_link():
    root = ET.fromstring(network_svg.render(picture("")))
    assert list(root.iter(f"{SVG}a")) == []
    assert [t.text for t in root.iter(f"{SVG}title")] == ["Roslagsvatten AB: 1 samverkan"]
    assert "href" not in network_svg.render(picture(""))
