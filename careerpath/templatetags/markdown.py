"""Filters that show admin-written content as safe Markdown (careerpath/markdown.py holds the rule).

{{ area.description|markdown }} for blocks, {{ choice.text|markdown_inline }} inside a label or a
span, and {% with text=question.text|markdown_lead %} when the first paragraph goes in a heading.
Never apply them to what learners or mentors write.
"""

from django import template
from django.utils.safestring import SafeString

from careerpath.markdown import LeadAndRest, render_markdown, render_markdown_inline, render_markdown_lead

register = template.Library()


@register.filter
def markdown(text: str | None) -> SafeString:
    return render_markdown(str(text or ""))


@register.filter
def markdown_inline(text: str | None) -> SafeString:
    return render_markdown_inline(str(text or ""))


@register.filter
def markdown_lead(text: str | None) -> LeadAndRest:
    return render_markdown_lead(str(text or ""))
