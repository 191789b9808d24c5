"""Markdown to safe HTML: rendered once when text is written, sanitised with nh3."""

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

_ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}


def render_markdown(source: str) -> str:
    """Return sanitised HTML for a markdown text.

    >>> render_markdown("**Bring** a <script>x</script> [link](https://example.org)")
    '<p><strong>Bring</strong> a &lt;script&gt;x&lt;/script&gt; <a href="https://example.org" rel="noopener noreferrer">link</a></p>\\n'
    >>> render_markdown("[bad](javascript:alert(1))")  # never becomes a link
    '<p>[bad](javascript:alert(1))</p>\\n'
    >>> render_markdown('<img src=x onerror=alert(1)>')
    '<p>&lt;img src=x onerror=alert(1)&gt;</p>\\n'
    """
    html = _markdown.render(source or "")
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


# What a spreadsheet runs as a formula when a cell starts with it (and the full-width forms some read), and the
# control characters that can smuggle one in after them.
FORMULA_START = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
CONTROL_START = frozenset("\t\r\n")


def spreadsheet_safe(text: str) -> str:
    """Text for a CSV or XLSX cell as a spreadsheet will show it, never run it: a leading apostrophe when it
    could start a formula. Every export of what people typed writes its text cells through this."""
    text = text or ""
    if text[:1] in CONTROL_START or text.lstrip()[:1] in FORMULA_START:
        return "'" + text
    return text
