"""Rendering a practice's text: paragraphs and lists, acronyms explained, query words marked, all escaped."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from maillage.glossary.templatetags.glossary import glossarize
from maillage.practices.textindex import mark

register = template.Library()


def _inline(text: str, terms) -> str:
    safe = mark(text, set(terms)) if terms else escape(text)
    return str(glossarize(safe))


@register.filter
def practice_text(text, terms=None):
    """Paragraphs separated by blank lines become <p>; lines starting with "- " become a list."""
    out: list[str] = []
    items: list[str] = []

    def flush():
        if items:
            out.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
            items.clear()

    for block in (text or "").split("\n"):
        block = block.strip()
        if not block:
            continue
        if block.startswith("- "):
            items.append(_inline(block[2:], terms))
        else:
            flush()
            out.append(f"<p>{_inline(block, terms)}</p>")
    flush()
    return mark_safe("".join(out))  # noqa: S308 - built from escaped pieces
