"""The embeddable "Vem ansvarar?" box: how tall its iframe must be to show it whole.

An iframe cannot grow with its content without a script on the host page, so the snippet names a
height. It is reckoned from the box's own HTML as a phone (390 px) lays it out: each block (a
heading, a paragraph, a list item) is wrapped at the number of characters that fit on its line,
with the line heights and margins of ``static/public/embed.css``. On a wider screen the box is
shorter than that; on a phone it fits without a scroll bar of its own. ``tests/browser`` compares
the figure with Chromium's.
"""

from __future__ import annotations

import html
import re
import textwrap

# static/public/embed.css: 15 px text, line height 1.45, body padding .6rem.
LINE = 15 * 1.45
PADDING = 2 * 0.6 * 16
# Per block: characters on a 390 px line, its line height, the space around it.
BLOCKS = {
    "h1": (34, 1.15 * 15 * 1.45, 0.4 * 16),
    "h2": (42, 15 * 1.45, 1.0 * 16),
    "p": (47, LINE, 0.4 * 16),
    "li": (44, LINE, 0),
    "ul": (None, 0, 0.4 * 16),
}
SAFETY = 1.08  # fonts differ between devices
TAG = re.compile(r"<(h1|h2|p|li|ul)\b[^>]*>(.*?)</\1>", re.S)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def fitting_height(page: str) -> int:
    """Return the height in pixels that shows the embed page ``page`` (its HTML) whole at 390
    px, rounded up to ten."""
    body = page.split("<main>", 1)[-1]
    height = PADDING
    for tag, inner in TAG.findall(body):
        width, line, space = BLOCKS[tag]
        if tag == "ul":
            height += space + sum(
                _block(BLOCKS["li"], li) for li in re.findall(r"<li\b[^>]*>(.*?)</li>", inner, re.S)
            )
            continue
        height += space + _block((width, line, 0), inner)
    return int(-(-height * SAFETY // 10) * 10)


def _block(spec, fragment: str) -> float:
    width, line, space = spec
    lines = textwrap.wrap(_text(fragment), width=width, break_long_words=False) or [""]
    return space + len(lines) * line
