"""The Segreteria's texts of the Relazione (presentation, context), written in Markdown and shown as HTML
cleaned of anything but headings, paragraphs, lists, emphasis, links and tables.

Headings are moved under the section that holds them: ``#`` and ``##`` become ``h3``, deeper ones ``h4``,
so a text never breaks the page's heading order."""

from __future__ import annotations

import re

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "h3", "h4", "p", "br", "ul", "ol", "li", "strong", "em", "blockquote", "code",
    "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}
_HEADING = re.compile(r"<(/?)h([1-6])>")


def _shift(match: re.Match) -> str:
    level = 3 if int(match.group(2)) <= 2 else 4
    return f"<{match.group(1)}h{level}>"


def render_markdown(text: str) -> SafeString:
    """``text`` (Markdown) as safe HTML: anything outside the allowed tags is dropped, scripts and
    event attributes included."""
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    html = _HEADING.sub(_shift, html)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - cleaned by nh3 just above
