"""The Markdown of admin-written content (questions, choices, explanations, descriptions), made safe.

Content is written by admins in Markdown: `code` spans, fenced code blocks, *emphasis*, **strong**,
links, lists, quotes. markdown-it-py (CommonMark) turns it into HTML without passing raw HTML through
(it is shown as text), and nh3 then keeps only the allow-list below, whatever the parser let out:
links only to http, https and mailto, each with rel="noopener noreferrer nofollow"; no style, class
or event attribute (the CSP forbids inline styles and scripts); no headings, images or rules, which
the parser leaves as plain text. The one attribute the rule adds itself is tabindex="0" on a code
block: it scrolls sideways on a narrow screen, and a keyboard must reach what is scrolled off.

Text written by learners and mentors (comments, notes, links) is never rendered here: it stays
escaped plain text.

Rendering is pure, so each text is rendered once per process and kept (bounded: the shipped bank
has about 3,000 texts, most of them choices).
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset({"p", "br", "code", "pre", "em", "strong", "a", "ul", "ol", "li", "blockquote"})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"
CACHE_SIZE = 4096

# "breaks": a new line written in the admin stays a line break, as linebreaksbr showed it before.
_parser = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable(["heading", "lheading", "hr", "image"])

_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=set(LINK_SCHEMES),
    url_relative="deny",
    link_rel=LINK_REL,
    set_tag_attribute_values={"pre": {"tabindex": "0"}},
    strip_comments=True,
)


class LeadAndRest(NamedTuple):
    """A text's first paragraph as inline HTML (for a heading or after a label) and its other blocks."""

    lead: SafeString
    rest: SafeString


def _safe(html: str) -> SafeString:
    return mark_safe(_cleaner.clean(html).strip())  # noqa: S308 - sanitized to the allow-list just above


@functools.lru_cache(maxsize=CACHE_SIZE)
def render_markdown(text: str) -> SafeString:
    """Block Markdown: paragraphs, lists, quotes and code blocks, sanitized."""
    return _safe(_parser.render(text))


@functools.lru_cache(maxsize=CACHE_SIZE)
def render_markdown_inline(text: str) -> SafeString:
    """Inline Markdown only (code spans, emphasis, links), with no wrapping <p>: choices, short labels."""
    return _safe(_parser.renderInline(text))


@functools.lru_cache(maxsize=CACHE_SIZE)
def render_markdown_lead(text: str) -> LeadAndRest:
    """The first paragraph inline and the rest as blocks.

    A question's first paragraph is its heading (a legend's heading holds phrasing content only),
    and a code block under it follows the heading; an explanation's first paragraph follows "Why:".
    A text that does not start with a paragraph has no lead: all of it is the rest.
    """
    env: dict = {}
    tokens = _parser.parse(text, env)
    if len(tokens) >= 3 and tokens[0].type == "paragraph_open":
        lead = _parser.renderer.renderInline(tokens[1].children or [], _parser.options, env)
        return LeadAndRest(_safe(lead), _safe(_parser.renderer.render(tokens[3:], _parser.options, env)))
    return LeadAndRest(SafeString(""), _safe(_parser.renderer.render(tokens, _parser.options, env)))
