from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString

from careerpath.markdown import ALLOWED_TAGS, render_markdown, render_markdown_inline, render_markdown_lead

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="https://example.com" onclick="alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<div style="position:fixed">styled</div>',
    '<iframe src="https://example.com"></iframe>',
    "<!-- a comment -->",
    "[x](https://example.com 'title\" onmouseover=\"alert(1)')",
]


def _tags(html: str) -> set[str]:
    return {tag for tag, _ in _elements(html)}


def _elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Each start tag with its attributes, as a browser's parser reads them."""
    found: list[tuple[str, dict[str, str | None]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collector().feed(html)
    return found


def test_it_renders_backticks_as_code():
    assert render_markdown("Calling `next()` passes control on.") == (
        "<p>Calling <code>next()</code> passes control on.</p>"
    )


def test_it_renders_a_fenced_block_as_pre_and_code():
    html = render_markdown("Given:\n\n```python\nif x < 1:\n    pass\n```")
    assert '<pre tabindex="0"><code>if x &lt; 1:\n    pass\n</code></pre>' in html


def test_a_code_block_can_be_scrolled_from_the_keyboard():
    # It scrolls sideways on a phone; axe-core's scrollable-region-focusable wants it focusable.
    assert render_markdown("    indented code").startswith('<pre tabindex="0">')


def test_it_drops_the_language_class_of_a_fenced_block():
    assert "class=" not in render_markdown("```python\nx = 1\n```")


def test_it_renders_emphasis_lists_and_quotes():
    html = render_markdown("*one* **two**\n\n- a\n- b\n\n1. c\n\n> said")
    assert _tags(html) == {"p", "em", "strong", "ul", "ol", "li", "blockquote"}


def test_it_keeps_a_written_line_break():
    assert render_markdown("first\nsecond") == "<p>first<br>\nsecond</p>"


@pytest.mark.parametrize("attack", ATTACKS)
def test_it_lets_no_script_handler_style_or_foreign_tag_through(attack):
    for html in (render_markdown(attack), render_markdown_inline(attack)):
        for tag, attributes in _elements(html):
            assert tag in ALLOWED_TAGS, html
            assert set(attributes) <= {"a": {"href", "title", "rel"}, "pre": {"tabindex"}}.get(tag, set()), html
            assert (attributes.get("href") or "https:").startswith(("https:", "http:", "mailto:")), html


def test_it_shows_raw_html_as_text():
    assert render_markdown("<script>alert(1)</script>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_a_javascript_link_is_not_a_link():
    assert "<a" not in render_markdown("[click](javascript:alert(1))")


def test_links_go_to_http_https_and_mailto_with_rel():
    html = render_markdown('[a](https://example.com "Docs") [b](http://example.org) [c](mailto:team@example.com)')
    assert '<a href="https://example.com" title="Docs" rel="noopener noreferrer nofollow">a</a>' in html
    assert 'href="http://example.org"' in html
    assert 'href="mailto:team@example.com"' in html


def test_a_relative_or_other_scheme_link_loses_its_address():
    html = render_markdown("[r](/admin/) [f](ftp://example.com/file)")
    assert "href" not in html


def test_headings_images_and_rules_stay_text():
    html = render_markdown("# Not a heading\n\n![alt](https://example.com/a.png)\n\n***")
    assert _tags(html) <= {"p", "a"}
    assert "# Not a heading" in html and "<img" not in html


def test_the_inline_variant_has_no_paragraph():
    assert render_markdown_inline("Use `select_for_update()` *inside* atomic()") == (
        "Use <code>select_for_update()</code> <em>inside</em> atomic()"
    )


def test_the_lead_is_the_first_paragraph_and_the_rest_its_other_blocks():
    text = "What does `f()` print?\n\n```\nprint(1)\n```"
    assert render_markdown_lead(text) == (
        "What does <code>f()</code> print?",
        '<pre tabindex="0"><code>print(1)\n</code></pre>',
    )


def test_a_text_that_starts_with_a_block_has_no_lead():
    lead, rest = render_markdown_lead("```\nx\n```\n\nWhy?")
    assert lead == "" and rest.startswith("<pre ") and "<p>Why?</p>" in rest


def test_the_output_is_safe_for_templates():
    assert isinstance(render_markdown("x"), SafeString)
    assert isinstance(render_markdown_inline("x"), SafeString)
    assert all(isinstance(part, SafeString) for part in render_markdown_lead("x\n\ny"))


def test_it_renders_each_text_once():
    render_markdown.cache_clear()
    for _ in range(3):
        render_markdown("Once `only`.")
    assert render_markdown.cache_info().misses == 1
    assert render_markdown.cache_info().maxsize


def test_the_filters_apply_the_rule_and_take_an_empty_value():
    template = Template(
        "{% load markdown %}{{ block|markdown }}|{{ short|markdown_inline }}|{{ none|markdown }}"
        "{% with q=block|markdown_lead %}|{{ q.lead }}{% endwith %}"
    )
    html = template.render(Context({"block": "`a`", "short": "`b`", "none": None}))
    assert html == "<p><code>a</code></p>|<code>b</code>||<code>a</code>"
