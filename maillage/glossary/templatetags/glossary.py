"""`glossarize`: marks known acronyms in any text with an accessible <abbr>. Built in to every template."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from maillage.glossary.selectors import acronym_matcher

register = template.Library()


@register.filter(needs_autoescape=True)
def glossarize(value, autoescape=True):
    text = conditional_escape(value) if autoescape else str(value)
    pattern, index = acronym_matcher()
    if pattern is None:
        return mark_safe(text)  # noqa: S308 - escaped above

    def replace(match):
        term = index[match.group(1)]
        return format_html('<abbr title="{}">{}</abbr>', term.expansion, match.group(1))

    # Only replace outside of HTML tags that the escaped text may carry (it carries none when autoescaped;
    # for already-safe HTML, tags are skipped by splitting on them).
    parts = str(text).split("<")
    out = [pattern.sub(replace, parts[0])]
    for part in parts[1:]:
        tag, sep, rest = part.partition(">")
        out.append("<" + tag + sep + (pattern.sub(replace, rest) if sep else ""))
    return mark_safe("".join(out))  # noqa: S308 - built from escaped text and format_html
