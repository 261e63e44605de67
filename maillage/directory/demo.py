"""Demo directory of the Île d'Oléron workspace: generic structures inspired by the partners of the réseau Île
(actions inspirantes lines 1258-1703: Département, MSA, CAF, mairie du Château-d'Oléron, bailleur social,
habitants' groups, maison de village). No real person's name or phone number: every contact is made up on the
reserved "example.org" domain."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from maillage.core.text import fold
from maillage.directory.models import (
    Category,
    LinkKind,
    Network,
    Person,
    PersonRoleKind,
    Place,
    Scheme,
    Structure,
)
from maillage.directory.services import (
    ContactInput,
    RoleInput,
    ServiceInput,
    StructureInput,
    link_create,
    network_create,
    person_create,
    place_create,
    service_create,
    structure_create,
)
from maillage.territories.models import Territory

SOURCE = "maillage-demo"
CHATEAU, DOLUS, ST_PIERRE, ST_GEORGES = "17093", "17140", "17385", "17337"
OLERON_EPCI, CHARENTE_MARITIME = "241700624", "17"

# key: (name, acronym, legal form, commune, address, category label words, description, reseaux)
STRUCTURES = {
    "mairie-chateau": (
        "Mairie du Château-d'Oléron",
        "",
        "collectivite",
        CHATEAU,
        "Place de la République",
        ["Commune"],
        "La commune porte depuis 2009 une démarche de développement social avec les habitants : "
        "maisons de village confiées aux habitants, programmation culturelle construite avec eux, soutien au "
        "réseau Île. Un adjoint est chargé du développement social.",
        [],
    ),
    "ccas-chateau": (
        "Centre communal d'action sociale du Château-d'Oléron",
        "CCAS",
        "etablissement_public",
        CHATEAU,
        "Place de la République",
        ["Centres communaux d'action sociale"],
        "Accueil, écoute et orientation des "
        "habitants de la commune : aides facultatives, domiciliation, accompagnement dans les démarches, lien "
        "avec les services du Département. Le CCAS anime aussi des actions collectives contre l'isolement.",
        ["ccas-cias"],
    ),
    "reseau-ile": (
        "Association Réseau Île — Initiatives pour le lien et l'échange",
        "Réseau Île",
        "association",
        CHATEAU,
        "Maison de village de la Chevalerie",
        ["Espaces de vie sociale"],
        "Née d'une action collective dans le "
        "quartier du Petit Gibou, l'association fait vivre les groupes projets des habitants : repas de village, "
        "jardins partagés, covoiturage solidaire, accueil des nouveaux habitants, animations de quartier. Les "
        "décisions se prennent en groupes projets, à égalité entre habitants, bénévoles et professionnels.",
        [],
    ),
    "collectif-gibou": (
        "Collectif d'habitants du Petit Gibou",
        "",
        "collectif",
        CHATEAU,
        "",
        ["porteurs de projets collectifs"],
        "Des habitants du quartier qui se retrouvent pour améliorer la vie quotidienne : aire de jeux, jardin "
        "potager, coin bibliothèque, fêtes de quartier.",
        [],
    ),
    "departement-mds": (
        "Département de la Charente-Maritime — délégation territoriale d'action sociale de l'île",
        "",
        "collectivite",
        ST_PIERRE,
        "Rue de la Solidarité",
        ["Département"],
        "Les travailleurs sociaux du "
        "Département accueillent et accompagnent les familles, les personnes âgées ou handicapées et les "
        "personnes en difficulté ; ils soutiennent les actions collectives et le développement social local.",
        ["departements"],
    ),
    "caf-antenne": (
        "Caisse d'allocations familiales — permanence de l'île d'Oléron",
        "CAF",
        "securite_sociale",
        ST_PIERRE,
        "Maison France services",
        ["allocations familiales"],
        "Permanence d'accueil sur rendez-vous pour les "
        "prestations familiales, le logement et le RSA. Un agent de développement social accompagne les projets "
        "des centres sociaux, des espaces de vie sociale et des habitants.",
        ["caf"],
    ),
    "msa-permanence": (
        "Mutualité sociale agricole — permanence sociale",
        "MSA",
        "securite_sociale",
        DOLUS,
        "",
        ["Mutualité sociale agricole"],
        "Accompagnement social des ressortissants agricoles et de leurs familles, "
        "soutien aux projets collectifs en milieu rural (programme Grandir en milieu rural).",
        ["mutualite-sociale-agricole"],
    ),
    "france-services": (
        "France services de l'île d'Oléron",
        "",
        "collectivite",
        ST_PIERRE,
        "Avenue de Bel Air",
        ["Maisons France services"],
        "Un guichet unique pour les démarches administratives : CAF, impôts, retraite, "
        "santé, emploi, carte grise. Des agents aident à utiliser les services en ligne et orientent vers les "
        "bons interlocuteurs.",
        ["france-service"],
    ),
    "mission-locale": (
        "Mission locale — antenne de l'île d'Oléron",
        "",
        "association",
        ST_PIERRE,
        "",
        ["Missions locales"],
        "Accompagnement des jeunes de 16 à 25 ans : emploi, formation, logement, santé, "
        "mobilité. Permanences à la France services.",
        ["mission-locale"],
    ),
    "centre-social": (
        "Centre social et culturel de l'île",
        "",
        "association",
        DOLUS,
        "Rue des Écoles",
        ["Centres sociaux"],
        "Lieu d'accueil ouvert à tous : activités pour les familles, accueil de loisirs, "
        "ateliers numériques, sorties, projets portés par les habitants. Agréé par la CAF.",
        ["fcsf"],
    ),
    "bailleur-social": (
        "Office public de l'habitat — agence de l'île",
        "",
        "etablissement_public",
        CHATEAU,
        "",
        ["Bailleurs sociaux"],
        "Bailleur social des résidences de l'île. Met un appartement à disposition des habitants "
        "du Petit Gibou pour les permanences et la bibliothèque.",
        [],
    ),
    "epicerie-solidaire": (
        "Épicerie solidaire de l'île",
        "",
        "association",
        ST_GEORGES,
        "",
        ["Épiceries sociales et solidaires"],
        "Produits alimentaires et d'hygiène à petit prix pour les personnes orientées par les "
        "travailleurs sociaux, et ateliers cuisine ouverts à tous.",
        [],
    ),
    "epn-dolus": (
        "Espace public numérique de Dolus",
        "EPN",
        "collectivite",
        DOLUS,
        "Médiathèque",
        ["services publics de proximité"],
        "Accès libre à des ordinateurs et ateliers avec un conseiller numérique : prendre en main "
        "un smartphone, faire ses démarches en ligne, éviter les arnaques.",
        ["espaces-publics-numeriques"],
    ),
    "cc-enfance-jeunesse": (
        "Communauté de communes de l'île d'Oléron — service enfance jeunesse",
        "",
        "epci",
        ST_PIERRE,
        "",
        ["Communauté de communes"],
        "Accueils de loisirs, relais petite enfance et actions pour les jeunes sur "
        "les huit communes de l'île. Co-signataire de la convention territoriale globale avec la CAF.",
        ["communes"],
    ),
    "jardins-partages": (
        "Les jardins partagés du Château",
        "",
        "association",
        CHATEAU,
        "",
        ["porteurs de projets collectifs"],
        "Parcelles de potager cultivées ensemble, transmises par le réseau Île aux jardiniers "
        "qui les gèrent eux-mêmes.",
        [],
    ),
}

# key: (structure, nom, description, thématiques, publics, frais, modes d'accueil, modes de mobilisation, zone)
SERVICES = [
    (
        "ccas-chateau",
        "Accueil et accompagnement dans les démarches",
        "Un agent vous aide à constituer vos dossiers (aides, logement, santé) et vous oriente vers le bon service.",
        ["difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"],
        ["tous-publics"],
        "gratuit",
        ["en-presentiel"],
        ["se-presenter", "telephoner"],
        [CHATEAU],
    ),
    (
        "reseau-ile",
        "La Citadine : covoiturage solidaire vers le bourg",
        "Des bénévoles conduisent les personnes isolées vers les commerces et services du centre bourg, une fois par "
        "semaine. Il suffit d'appeler la veille.",
        ["mobilite--mobilite-douce-partagee-collective"],
        ["seniors"],
        "gratuit",
        ["en-presentiel"],
        ["telephoner"],
        [CHATEAU],
    ),
    (
        "reseau-ile",
        "Repas de village et animations de quartier",
        "Des repas partagés et des fêtes organisés par les groupes projets d'habitants, ouverts à tous.",
        ["remobilisation--lien-social"],
        ["tous-publics"],
        "gratuit",
        ["en-presentiel"],
        ["se-presenter"],
        [CHATEAU],
    ),
    (
        "caf-antenne",
        "Rendez-vous prestations familiales et logement",
        "Un conseiller vous reçoit pour vos droits aux prestations familiales, aides au logement et RSA.",
        ["difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"],
        ["familles"],
        "gratuit",
        ["en-presentiel", "a-distance"],
        ["utiliser-lien-mobilisation", "telephoner"],
        [CHARENTE_MARITIME],
    ),
    (
        "france-services",
        "Aide aux démarches en ligne",
        "Des agents vous accompagnent pas à pas pour vos démarches sur internet, avec un ordinateur sur place.",
        ["numerique--acceder-a-des-services-en-ligne"],
        ["tous-publics"],
        "gratuit",
        ["en-presentiel"],
        ["se-presenter", "telephoner"],
        [OLERON_EPCI],
    ),
    (
        "mission-locale",
        "Accompagnement vers l'emploi et la formation des 16-25 ans",
        "Un conseiller suit chaque jeune dans son projet : orientation, formation, emploi, logement, santé.",
        ["trouver-un-emploi--repondre-a-des-offres-demploi", "se-former--trouver-sa-formation"],
        ["jeunes"],
        "gratuit",
        ["en-presentiel"],
        ["telephoner", "envoyer-un-courriel"],
        [OLERON_EPCI],
    ),
    (
        "centre-social",
        "Ateliers parents-enfants",
        "Des temps de jeu et d'échange entre parents et enfants, animés par la référente familles du centre social.",
        ["famille--soutien-a-la-parentalite-et-a-leducation"],
        ["familles"],
        "gratuit",
        ["en-presentiel"],
        ["se-presenter"],
        [OLERON_EPCI],
    ),
    (
        "epicerie-solidaire",
        "Épicerie à petits prix",
        "Des produits alimentaires à 10 à 30 % du prix habituel, sur orientation d'un travailleur social.",
        ["equipement-et-alimentation--alimentation"],
        ["beneficiaires-des-minimas-sociaux", "familles"],
        "payant",
        ["en-presentiel"],
        ["se-presenter"],
        [OLERON_EPCI],
    ),
    (
        "epn-dolus",
        "Ateliers numériques pour débuter",
        "Apprendre à se servir d'un ordinateur ou d'un smartphone, en petit groupe, à son rythme.",
        ["numerique--maitriser-les-fondamentaux-du-numerique"],
        ["seniors", "demandeurs-emploi"],
        "gratuit",
        ["en-presentiel"],
        ["se-presenter", "telephoner"],
        [OLERON_EPCI],
    ),
    (
        "departement-mds",
        "Accompagnement social des familles",
        "Les assistants de service social du Département reçoivent sur rendez-vous les personnes et familles en "
        "difficulté, et proposent des actions collectives.",
        [
            "famille--soutien-a-la-parentalite-et-a-leducation",
            "difficultes-financieres--ameliorer-sa-gestion-budgetaire",
        ],
        ["familles"],
        "gratuit",
        ["en-presentiel"],
        ["telephoner"],
        [OLERON_EPCI],
    ),
]

# (source, kind, target, scale, stage)
LINKS = [
    ("caf-antenne", "financeur", "centre-social", "departemental", "mise_en_oeuvre"),
    ("caf-antenne", "financeur", "reseau-ile", "departemental", "mise_en_oeuvre"),
    ("mairie-chateau", "financeur", "reseau-ile", "local", "mise_en_oeuvre"),
    ("mairie-chateau", "hebergeur", "reseau-ile", "local", "mise_en_oeuvre"),
    ("departement-mds", "co_pilote", "caf-antenne", "departemental", "emergence"),
    ("msa-permanence", "co_pilote", "departement-mds", "departemental", "emergence"),
    ("departement-mds", "partenaire_technique", "reseau-ile", "local", "emergence"),
    ("bailleur-social", "partenaire_technique", "collectif-gibou", "local", "mise_en_oeuvre"),
    ("reseau-ile", "partenaire_technique", "collectif-gibou", "local", "mise_en_oeuvre"),
    ("reseau-ile", "partenaire_technique", "jardins-partages", "local", "evaluation"),
    ("france-services", "orienteur", "caf-antenne", "local", ""),
    ("ccas-chateau", "orienteur", "epicerie-solidaire", "local", ""),
    ("departement-mds", "orienteur", "epicerie-solidaire", "local", ""),
    ("france-services", "orienteur", "epn-dolus", "local", ""),
    ("caf-antenne", "evaluateur", "reseau-ile", "departemental", "evaluation"),
    ("cc-enfance-jeunesse", "partenaire_financier", "centre-social", "intercommunal", "mise_en_oeuvre"),
]

NETWORKS = [
    (
        "Accord-cadre pour le développement social (Département, CAF, MSA)",
        "departemental",
        "Les trois institutions s'engagent ensemble à promouvoir le développement social et l'implication des habitants.",
        ["departement-mds", "caf-antenne", "msa-permanence"],
    ),
    (
        "Réseau de l'inclusion numérique de l'île",
        "local",
        "Les lieux qui aident à utiliser le numérique se connaissent et s'orientent les personnes.",
        ["france-services", "epn-dolus", "centre-social", "mission-locale"],
    ),
]


def _categories(labels: list[str]) -> list[Category]:
    """Categories by label (the same label folded, else a label containing it): robust to the data file's codes."""
    categories = list(Category.objects.only("id", "label", "acronym", "parent_id").order_by("position"))
    chosen = []
    for label in labels:
        wanted = fold(label)
        match = next((c for c in categories if fold(c.label) == wanted), None) or next(
            (c for c in categories if wanted in fold(c.label)), None
        )
        if match and match not in chosen:
            chosen.append(match)
    return chosen


@transaction.atomic
def load_demo(workspace) -> dict[str, int]:
    """Add the demo directory to the workspace. Idempotent: does nothing if it is already there."""
    if Structure.objects.filter(workspace=workspace, source=SOURCE).exists():
        return {"structures": 0}
    territories = {
        t.code: t
        for t in Territory.objects.filter(
            code__in=[CHATEAU, DOLUS, ST_PIERRE, ST_GEORGES, OLERON_EPCI, CHARENTE_MARITIME]
        )
    }
    communes = {code: t for code, t in territories.items() if t.kind == Territory.Kind.COMMUNE}
    structures = {}
    for index, (key, (name, acronym, form, commune, address, words, description, reseaux)) in enumerate(
        STRUCTURES.items()
    ):
        structures[key] = structure_create(
            actor=None,
            workspace=workspace,
            data=StructureInput(
                name=name,
                acronym=acronym,
                legal_form=form,
                description=description,
                address=address,
                commune=communes.get(commune),
                commune_label="" if commune in communes else "Île d'Oléron",
                categories=_categories(words),
                reseaux_porteurs=reseaux,
                contacts=[
                    ContactInput("email", f"accueil.{key}@example.org", "accueil"),
                    ContactInput("phone", f"01 99 00 00 {index:02d}", "accueil", is_public=index % 3 != 0),
                ],
                opening_hours="Mo-Fr 09:00-12:00,14:00-17:00; PH off" if form != "collectif" else "",
                source=SOURCE,
                source_id=key,
            ),
        )
    zone = dict(territories)
    for key, nom, description, thematiques, publics, frais, accueil, mobilisation, zone_codes in SERVICES:
        service_create(
            actor=None,
            structure=structures[key],
            data=ServiceInput(
                nom=nom,
                description=description,
                thematiques=thematiques,
                publics=publics,
                frais=frais,
                frais_precisions="Adhésion annuelle de 5 €, puis 10 à 30 % du prix habituel"
                if frais == "payant"
                else "",
                modes_accueil=accueil,
                modes_mobilisation=mobilisation,
                mobilisable_par=["usagers", "professionnels"],
                zone_territories=[zone[c] for c in zone_codes if c in zone],
                source=SOURCE,
                source_id=f"{key}--{fold(nom).replace(' ', '-')[:60]}",
            ),
        )
    kinds = {k.code: k for k in LinkKind.objects.all()}
    for source, kind, target, scale, stage in LINKS:
        link_create(
            actor=None,
            workspace=workspace,
            kind=kinds[kind],
            source=structures[source],
            target=structures[target],
            scale=scale,
            stage=stage,
            start_date=date(2009, 4, 1) if "reseau-ile" in (source, target) else None,
        )
    for name, scale, description, members in NETWORKS:
        if not Network.objects.filter(workspace=workspace, name=name).exists():
            network_create(
                actor=None,
                workspace=workspace,
                name=name,
                scale=scale,
                description=description,
                structures=[structures[m] for m in members],
            )
    ctg = Scheme.objects.filter(workspace__isnull=True, acronym="CTG").first()
    if ctg is not None:
        ctg.pilots.add(structures["caf-antenne"], structures["cc-enfance-jeunesse"])
        ctg.funders.add(structures["caf-antenne"])
    place_create(
        actor=None,
        workspace=workspace,
        name="Maison de village de la Chevalerie",
        structure=structures["reseau-ile"],
        description="Salle réhabilitée par la mairie et gérée par les habitants du réseau Île.",
        commune=communes.get(CHATEAU),
        capacity=60,
        accessible=True,
        accessibility="Entrée de plain-pied, toilettes adaptées.",
        cost="Gratuit pour les associations de la commune",
        who_to_ask="L'accueil de l'association Réseau Île",
    )
    role_kind = PersonRoleKind.objects.filter(code__contains="travailleurs_sociaux").first()
    if not Person.objects.filter(workspace=workspace).exists():
        person_create(
            actor=None,
            workspace=workspace,
            display_name="La référente familles du centre social",
            consent_given_at=timezone.now() - timedelta(days=30),
            consent_scope="Apparaître comme personne relais du centre social, visible de tous (démonstration).",
            show_publicly=True,
            roles=[
                RoleInput(
                    structure=structures["centre-social"],
                    kind=role_kind,
                    title="Référente familles",
                    is_relay=True,
                )
            ],
        )
    return {
        "structures": len(structures),
        "services": len(SERVICES),
        "links": len(LINKS),
        "places": Place.objects.filter(workspace=workspace).count(),
    }
