"""Demo additions for the directory: approximate coordinates of the demo structures and commune centres (for the
map and the orientation), a few agenda events, and one saved actor map (OUTIL 4) drawn from the partners of the
réseau Île (actions inspirantes lines 1258-1703: two social workers of the Département and the MSA, the mairie
and its adjoint, the bailleur social, the inhabitants of the Petit Gibou, the CARILE steering group). Idempotent."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from maillage.directory import agenda, maps
from maillage.directory.demo import SOURCE
from maillage.directory.models import (
    ActorMap,
    CommuneCentre,
    Event,
    LinkKind,
    Network,
    Place,
    Scheme,
    Structure,
)
from maillage.territories.models import Territory

MAP_NAME = "Réseau Île : qui fait vivre le développement social au Château-d'Oléron"
# Approximate centres of the demo communes (rounded to about 1 km: enough to sort by distance).
COMMUNE_CENTRES = {
    "17093": (45.888, -1.201),
    "17140": (45.913, -1.262),
    "17385": (45.947, -1.306),
    "17337": (45.978, -1.327),
}
# Small offsets around the commune centre so that the markers of one commune do not sit on top of each other.
OFFSETS = [(0.002, 0.001), (-0.002, 0.002), (0.001, -0.003), (-0.003, -0.001), (0.003, 0.003), (0.0, -0.004)]
# (structure key, legend key, theme, intervention, stage)
MAP_MEMBERS = [
    ("reseau-ile", "porteur", "lien social, initiatives d'habitants", "animation", "mise_en_oeuvre"),
    ("collectif-gibou", "habitants", "vie du quartier du Petit Gibou", "animation", "emergence"),
    ("jardins-partages", "habitants", "jardins partagés", "animation", "mise_en_oeuvre"),
    (
        "mairie-chateau",
        "financeur",
        "maisons de village, programmation culturelle",
        "financement",
        "mise_en_oeuvre",
    ),
    (
        "departement-mds",
        "ressource",
        "accompagnement social, appui méthodologique",
        "accompagnement",
        "emergence",
    ),
    ("msa-permanence", "ressource", "accompagnement social des familles", "accompagnement", "emergence"),
    ("caf-antenne", "financeur", "animation de la vie sociale", "financement", "evaluation"),
    ("bailleur-social", "ressource", "cadre de vie du quartier", "expertise", "mise_en_oeuvre"),
    ("ccas-chateau", "ressource", "aides et orientation", "accueil", "mise_en_oeuvre"),
]
# (title, structure key, days from the first of next month, hour, duration h, public, cost, accessibility)
EVENTS = [
    ("Repas de village à la Chevalerie", "reseau-ile", 5, 12, 3, "Tous les habitants", "Chacun apporte un plat",
     "Salle de plain-pied, toilettes adaptées"),
    ("Atelier « Mes démarches en ligne »", "epn-dolus", 8, 14, 2, "Adultes débutants", "Gratuit",
     "Ordinateurs à hauteur réglable"),
    ("Permanence de l'assistante sociale MSA", "msa-permanence", 10, 9, 3, "Ressortissants agricoles", "Gratuit",
     "Accès de plain-pied"),
    ("Troc de graines aux jardins partagés", "jardins-partages", 13, 10, 2, "Familles, jardiniers", "Gratuit",
     "Allées stabilisées"),
    ("Réunion d'accueil des nouveaux habitants", "mairie-chateau", 20, 18, 2, "Nouveaux habitants", "Gratuit",
     "Salle du conseil, boucle magnétique"),
]  # fmt: skip


def _structures(workspace) -> dict[str, Structure]:
    return {s.source_id: s for s in Structure.objects.filter(workspace=workspace, source=SOURCE)}


def _coordinates(structures: dict[str, Structure]) -> None:
    centres = {
        t.code: t for t in Territory.objects.filter(kind=Territory.Kind.COMMUNE, code__in=COMMUNE_CENTRES)
    }
    for code, (lat, lon) in COMMUNE_CENTRES.items():
        if code in centres:
            CommuneCentre.objects.update_or_create(
                territory=centres[code], defaults={"latitude": lat, "longitude": lon}
            )
    for index, structure in enumerate(sorted(structures.values(), key=lambda s: s.source_id)):
        code = structure.commune.code if structure.commune_id else ""
        if code in COMMUNE_CENTRES and structure.latitude is None:
            dlat, dlon = OFFSETS[index % len(OFFSETS)]
            Structure.objects.filter(pk=structure.pk).update(
                latitude=round(COMMUNE_CENTRES[code][0] + dlat, 4),
                longitude=round(COMMUNE_CENTRES[code][1] + dlon, 4),
            )


def _events(workspace, structures: dict[str, Structure]) -> int:
    if Event.objects.filter(workspace=workspace).exists():
        return 0
    today = timezone.localdate()
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    place = Place.objects.filter(workspace=workspace).first()
    tz = timezone.get_current_timezone()
    count = 0
    for title, key, day, hour, hours, public, cost, access in EVENTS:
        if key not in structures:
            continue
        for start_day in (today + timedelta(days=day % 9 + 2), first + timedelta(days=day)):
            starts = datetime.combine(start_day, time(hour), tzinfo=tz)
            agenda.event_create(
                actor=None,
                structure=structures[key],
                title=title,
                starts_at=starts,
                ends_at=starts + timedelta(hours=hours),
                place=place if key == "reseau-ile" else None,
                location=""
                if key == "reseau-ile" and place
                else (structures[key].address or "Le Château-d'Oléron"),
                public=public,
                cost=cost,
                accessibility=access,
            )
            count += 1
    return count


def _actor_map(workspace, structures: dict[str, Structure]) -> int:
    if ActorMap.objects.filter(workspace=workspace, name=MAP_NAME).exists():
        return 0
    actor_map = maps.actor_map_create(
        actor=None,
        workspace=workspace,
        name=MAP_NAME,
        purpose="Montrer aux nouveaux partenaires qui fait vivre la démarche engagée en 2004 par deux assistantes "
        "sociales (Département, MSA) avec les habitants du Petit Gibou, devenue en 2009 le réseau Île, et repérer "
        "qui manque encore autour de la table.",
        legend=[
            {"key": "porteur", "label": "Porteurs de la démarche", "colour": "#1d4ed8"},
            {"key": "habitants", "label": "Habitants et leurs collectifs", "colour": "#047857"},
            {"key": "financeur", "label": "Financeurs", "colour": "#b45309"},
            {"key": "ressource", "label": "Professionnels en appui", "colour": "#7c3aed"},
        ],
    )
    territories = list(Territory.objects.filter(kind=Territory.Kind.COMMUNE, code="17093"))
    schemes = list(Scheme.objects.filter(workspace__isnull=True, acronym__in=["CTG", "EVS"]))
    maps.actor_map_update(
        actor=None,
        actor_map=actor_map,
        version=actor_map.version,
        territories=territories,
        schemes=schemes,
        networks=list(Network.objects.filter(workspace=workspace)),
        perimeter_note="La commune du Château-d'Oléron, en partant du quartier du Petit Gibou",
        step=7,
    )
    for key, legend, theme, intervention, stage in MAP_MEMBERS:
        if key in structures:
            maps.member_add(
                actor=None,
                actor_map=actor_map,
                record=structures[key],
                legend_key=legend,
                theme=theme,
                intervention=intervention,
                stage=stage,
            )
    maps.import_directory_links(actor=None, actor_map=actor_map)
    members = {m.structure.source_id: m for m in actor_map.members.select_related("structure")}
    if {"msa-permanence", "collectif-gibou"} <= set(members):
        maps.map_link_add(
            actor=None,
            actor_map=actor_map,
            source=members["msa-permanence"],
            target=members["collectif-gibou"],
            kind=LinkKind.objects.get(code="partenaire_technique"),
            scale="local",
            stage="emergence",
            note="Les deux assistantes sociales à l'origine de la démarche (2004)",
        )
    return 1


@transaction.atomic
def load_demo_extras(workspace) -> dict[str, int]:
    structures = _structures(workspace)
    if not structures:
        return {"events": 0, "maps": 0}
    _coordinates(structures)
    return {"events": _events(workspace, structures), "maps": _actor_map(workspace, structures)}
