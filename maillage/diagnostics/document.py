"""The diagnostic document as plain data: what the HTML page, the PDF and a frozen version all render.

`build_document` turns the live diagnostic into a JSON-serialisable dict (charts included, as SVG text
computed by the observatoire). Validating stores that dict as the version's snapshot, so the PDF of a
validated version shows exactly what was validated, even after the data or the items changed.
`public_view` drops the sections the team kept for itself.
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maillage.diagnostics import selectors as observatory
from maillage.diagnostics import selectors_diagnostic as selectors
from maillage.diagnostics.models_diagnostic import Diagnostic, Item, Step

SNAPSHOT_FORMAT = 1


def provenance(item: Item) -> str:
    """ "Saisi par Karim pour Mme D., le 12 mars 2025 — porte-à-porte · repris du diagnostic X (2024)"."""
    if item.created_by_id:
        text = _("Saisi par %(who)s") % {"who": item.created_by.display_name}
        if item.speaker:
            text += " " + _("pour %(whom)s") % {"whom": item.speaker}
    elif item.speaker:
        text = _("Apporté par %(whom)s") % {"whom": item.speaker}
    else:
        text = _("Auteur ou autrice non conservé")
    when = item.collected_on or (timezone.localdate(item.created_at) if item.created_at else None)
    if when:
        text += ", " + _("le %(date)s") % {"date": date_format(when, "j F Y")}
    if item.method:
        text += " — " + str(item.get_method_display()).lower()
    if item.copied_from_label:
        text += " · " + _("repris du %(source)s") % {"source": item.copied_from_label}
    return text


def area_name(diagnostic: Diagnostic) -> str:
    area = diagnostic.area
    return area.name if area is not None else ""


def _charts(diagnostic: Diagnostic, indicator_codes: list[str]) -> dict[str, dict]:
    """The observatoire's charts and tables for the chosen indicators on the diagnostic's area."""
    if not indicator_codes:
        return {}
    if diagnostic.perimeter_id:
        main = observatory.place_for_perimeter(diagnostic.perimeter)
        comparisons = observatory.comparisons_for_perimeter(diagnostic.perimeter)
    else:
        main = observatory.place_for_territory(diagnostic.territory)
        comparisons = observatory.comparisons_for_territory(diagnostic.territory)
    charts = {}
    for section in observatory.portrait(main, comparisons, codes=indicator_codes):
        for block in section.blocks:
            charts[block.indicator.code] = {
                "has_data": block.has_data,
                "trend": _trend(block),
                "period": block.latest_label,
                "bar_svg": str(block.bar_svg),
                "bar_table": str(block.bar_table),
                "line_svg": str(block.line_svg),
                "series_table": str(block.series_table),
            }
    return charts


def _trend(block) -> str:
    """The main place's first and last values in words ("2013 : 12,0 % → 2022 : 15,3 %"), for paper."""
    if not block.rows:
        return ""
    known = [
        (label, cell.display)
        for label, cell in zip(block.period_labels, block.rows[0].cells, strict=True)
        if cell.value is not None
    ]
    if len(known) < 2:
        return ""
    (first, first_value), (last, last_value) = known[0], known[-1]
    return f"{first} : {first_value} → {last} : {last_value}"


def _item_data(item: Item, charts: dict, votes: dict) -> dict:
    data = {
        "id": item.pk,
        "title": item.title,
        "body": item.body,
        "provenance": provenance(item),
        "speaker": item.speaker,
        "method": item.method,
        "copied_from": item.copied_from_label,
    }
    if item.indicator_id:
        indicator = item.indicator
        data["indicator"] = {
            "code": indicator.code,
            "label": indicator.label,
            "definition": indicator.definition,
            "source": indicator.source,
            "licence": indicator.licence,
        }
        data["chart"] = charts.get(indicator.code)
    if item.resource_kind:
        data["resource_kind"] = str(item.get_resource_kind_display())
    link = item.structure or item.place or item.service
    if link is not None:
        data["directory"] = getattr(link, "name", None) or getattr(link, "nom", "")
        data["directory_url"] = item.structure.get_absolute_url() if item.structure_id else ""
    if item.section == Item.Section.ENJEUX:
        result = votes.get(item.pk, selectors.VoteResult())
        data["votes"] = {
            "total": result.total,
            "by_role": [[label, dots] for _code, label, dots in result.rows()],
        }
    if item.section == Item.Section.PRECONISATIONS:
        data["enjeux"] = [enjeu.title for enjeu in item.enjeux.all()]
    return data


def build_document(diagnostic: Diagnostic) -> dict:
    """Every published item of every section, with the restricted flag of each section."""
    grouped = selectors.items_by_section(diagnostic)
    codes = [i.indicator.code for i in grouped[Item.Section.DONNEES] if i.indicator_id]
    charts = _charts(diagnostic, codes)
    votes = selectors.vote_results(diagnostic)
    grouped[Item.Section.ENJEUX].sort(key=lambda i: -(votes[i.pk].total if i.pk in votes else 0))
    restricted = set(diagnostic.restricted_sections)
    steps = {s.kind: s for s in diagnostic.steps.all()}
    return {
        "format": SNAPSHOT_FORMAT,
        "title": diagnostic.title,
        "summary": diagnostic.summary,
        "area": area_name(diagnostic),
        "workspace": diagnostic.workspace.name,
        "themes": diagnostic.theme_labels(),
        "version": diagnostic.version_number,
        "generated_at": timezone.now().isoformat(),
        "steps": [
            {
                "label": str(label),
                "date": date_format(steps[code].date, "j F Y") if code in steps and steps[code].date else "",
                "done": bool(code in steps and steps[code].done),
            }
            for code, label in Step.Kind.choices
        ],
        "team": [
            {"name": m.display_name, "role": str(m.get_role_display()), "organisation": m.organisation}
            for m in selectors.team(diagnostic)
        ],
        "dots_per_person": diagnostic.dots_per_person,
        "sections": [
            {
                "code": code,
                "label": str(label),
                "restricted": code in restricted,
                "items": [_item_data(item, charts, votes) for item in grouped[code]],
            }
            for code, label in Item.Section.choices
        ],
    }


def public_view(document: dict) -> dict:
    """The document without its restricted sections (a shallow copy)."""
    return {**document, "sections": [s for s in document["sections"] if not s["restricted"]]}


def counts(document: dict) -> list[tuple[str, int]]:
    return [(s["label"], len(s["items"])) for s in document["sections"] if s["items"]]
