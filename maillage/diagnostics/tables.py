"""The data tables printed beside each chart, built in Python like the SVG charts.

A portrait of 40 indicators × 10 years × 6 places has about 3,000 cells: rendered through template tags
they cost more than everything else in the request, so they are assembled here from escaped strings.
Markup: a real <table> with a <caption>, row and column headers (`scope`), in a focusable scrolling region
so that keyboard users can scroll it on a small screen.
"""

from html import escape  # the stdlib's: Django's wrapper checks every argument for laziness

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def _region(table_id: str, caption: str, head: list[str], body: list[str]) -> SafeString:
    tid = escape(table_id)
    return mark_safe(  # noqa: S308 - every text is escaped by the callers or here
        f'<div class="table-wrap" tabindex="0" role="region" aria-labelledby="{tid}">'
        f'<table><caption id="{tid}">{caption}</caption>'
        f"<thead><tr>{''.join(head)}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def comparison_table(*, table_id: str, caption: str, rows) -> SafeString:
    """rows: [(place name, display text or "", computed)] for one period."""
    computed_badge = f' <span class="badge badge--computed">{escape(_("calculé"))}</span>'
    missing = escape(_("pas de donnée"))
    head = [
        f'<th scope="col">{escape(_("Territoire"))}</th>',
        f'<th scope="col" class="num">{escape(_("Valeur"))}</th>',
    ]
    body = [
        f'<tr><th scope="row">{escape(name)}</th><td class="num">'
        f"{escape(display) + (computed_badge if computed else '') if display else missing}</td></tr>"
        for name, display, computed in rows
    ]
    return _region(table_id, escape(caption), head, body)


def series_table(*, table_id: str, caption: str, period_labels: list[str], rows) -> SafeString:
    """rows: [(place name, [(number text or "", computed)])], one cell per period."""
    computed_mark = (
        f'<span aria-hidden="true">*</span><span class="visually-hidden"> ({escape(_("calculé"))})</span>'
    )
    missing = (
        f'<span aria-hidden="true">–</span><span class="visually-hidden">{escape(_("pas de donnée"))}</span>'
    )
    head = [f'<th scope="col">{escape(_("Territoire"))}</th>']
    head += [f'<th scope="col" class="num">{escape(label)}</th>' for label in period_labels]
    body = []
    for name, cells in rows:
        tds = "".join(
            f'<td class="num">{escape(number) + (computed_mark if computed else "") if number else missing}</td>'
            for number, computed in cells
        )
        body.append(f'<tr><th scope="row">{escape(name)}</th>{tds}</tr>')
    return _region(table_id, escape(caption), head, body)
