"""Exports of a practice: Markdown and JSON, in the annex's section order. Never the contact (personal data).
PDF comes in a later slice (WeasyPrint, same order)."""

from maillage.practices.models import Practice

SECTIONS = [
    ("context", "Le contexte"),
    ("diagnostic", "Diagnostic et enjeux"),
    ("project", "Le projet"),
    ("project_elected", "Place des élus"),
    ("project_transversality", "Transversalité"),
    ("project_participation", "Participation citoyenne"),
    ("actions", "Les actions réalisées"),
    ("evaluation", "L'évaluation de la démarche"),
    ("transformations", "Les transformations produites"),
    ("illustration", "En quoi cette action illustre une démarche de développement social"),
    ("perspectives", "Les perspectives"),
    ("success_keys", "Les clés de la réussite"),
    ("vigilance", "Les points de vigilance"),
    ("resources", "Moyens et financements"),
]
REPERES = [
    ("objectives", "Objectifs de l'action"),
    ("participant_objectives", "Objectifs pour les participants"),
    ("public", "Public"),
    ("porteurs", "Porteurs et partenaires"),
]


def practice_json(practice: Practice, *, base_url: str = "") -> dict:
    return {
        "title": practice.title,
        "slug": practice.slug,
        "url": base_url + practice.get_absolute_url(),
        "action_name": practice.action_name,
        "chapeau": practice.chapeau,
        "reperes": {name: getattr(practice, name) for name, _label in REPERES}
        | {
            "start_date": practice.start_date.isoformat() if practice.start_date else None,
            "start_date_precision": practice.start_date_precision,
        },
        "territories": [{"code": t.code, "kind": t.kind, "name": t.name} for t in practice.territories.all()],
        "scale": practice.scale,
        "setting": practice.setting,
        "sections": {name: getattr(practice, name) for name, _label in SECTIONS if name != "transformations"},
        "transformations": [
            {"viewpoint": t.viewpoint, "label": t.label, "text": t.text}
            for t in practice.transformations.all()
        ],
        "figures": [
            {
                "value": str(f.value),
                "unit": f.unit,
                "date": f.date.isoformat() if f.date else None,
                "measures": f.measures,
            }
            for f in practice.figures.all()
        ],
        "fiches": [{"number": f.number, "title": f.title} for f in practice.fiches.all()],
        "levers": [{"number": lv.number, "title": lv.title} for lv in practice.levers.all()],
        "methods": [{"slug": m.slug, "name": m.name} for m in practice.methods.all()],
        "sources": practice.sources,
        "licence": practice.licence,
        "status": practice.status,
        "scope": practice.scope,
        "validation_level": practice.validation_level,
        "published_at": practice.published_at.isoformat() if practice.published_at else None,
        "updated_at": practice.updated_at.isoformat(),
        "source_document": practice.source_document,
        "source_page": practice.source_page,
    }


def practice_markdown(practice: Practice, *, base_url: str = "") -> str:
    out = [f"# {practice.title}", ""]
    if practice.action_name:
        out += [f"*Nom de l'action : {practice.action_name}*", ""]
    if practice.chapeau:
        out += [practice.chapeau, ""]
    out += ["## Repères", ""]
    for name, label in REPERES:
        value = getattr(practice, name)
        if value:
            out += [f"**{label}**", "", value, ""]
    places = ", ".join(f"{t.name} ({t.code})" for t in practice.territories.all())
    if places:
        out += [f"**Territoire** : {places}", ""]
    if practice.start_date:
        out += [
            f"**Début de l'action** : {practice.start_date.year if practice.start_date_precision == 'year' else practice.start_date.isoformat()}",
            "",
        ]
    for name, label in SECTIONS:
        if name == "transformations":
            items = list(practice.transformations.all())
            if items:
                out += [f"## {label}", ""]
                for t in items:
                    out += [f"### {t.label or t.get_viewpoint_display()}", "", t.text, ""]
            continue
        value = getattr(practice, name)
        if value:
            out += [f"## {label}", "", value, ""]
    figures = list(practice.figures.all())
    if figures:
        out += ["## Les chiffres", "", "| valeur | unité | ce que ça mesure |", "|---|---|---|"]
        out += [f"| {f.display_value} | {f.unit} | {f.measures.replace('|', '/')} |" for f in figures]
        out.append("")
    tags = [f"Fiche {f.number}. {f.title}" for f in practice.fiches.all()]
    tags += [m.name for m in practice.methods.all()]
    if tags:
        out += ["## Fiches et méthodes", "", *[f"- {t}" for t in tags], ""]
    if practice.sources:
        out += ["## Sources", "", practice.sources, ""]
    footer = [f"Source : {base_url}{practice.get_absolute_url()}"]
    if practice.licence:
        footer.append(f"Licence : {practice.licence}")
    out += ["---", "", *footer, ""]
    return "\n".join(out)
