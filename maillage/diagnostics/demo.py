"""Demo content: a diagnostic partagé of the demo workspace (Île d'Oléron), built like the ones the seeds
describe — temps conviviaux and a permanence in a flat lent by the social landlord, the concerns shared
with the commune's other actors, préconisations presented to the municipal team and the landlord
(../shared/seeds/hcts-guide-ds-annexe-actions-inspirantes.txt lines 1393-1417); statistics joined with
lived experience, "bien vivre" (../shared/seeds/politique-de-la-ville-demain-occitanie-2020.txt lines
431-445); building on diagnostics already made instead of redoing them
(../shared/seeds/caprural-social-et-developpement-local-2023.txt line 693); the diagnostic partagé as the
first tool to decompartmentalise social policies (../shared/seeds/egts-developpement-social-travail-social-
collectif-2015.txt lines 918 and 1898-1905).

No statistic is invented: the données items name the indicators to read; their charts appear once the
operator imports the INSEE/CAF figures into the observatoire.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from maillage.accounts.models import User
from maillage.diagnostics.models import Indicator
from maillage.diagnostics.models_diagnostic import Diagnostic, Item, Step, TeamMember
from maillage.diagnostics.services_diagnostic import (
    diagnostic_create,
    item_add,
    public_contribution,
    step_set,
    team_add,
)
from maillage.diagnostics.services_enjeux import diagnostic_validate, vote_record_participant, vote_set
from maillage.directory.models import Structure

TITLE = "Vieillir et vivre à l'année sur l'île"

DONNEES = [
    (
        "part_75_plus",
        "Une île où l'on vieillit",
        "Lire la part des 75 ans et plus à côté de celle du département : l'équipe la rapproche des récits "
        "d'isolement recueillis l'hiver.",
    ),
    (
        "part_75_plus_seules",
        "Beaucoup d'aînés vivent seuls",
        "À croiser avec les visites à domicile du CCAS : qui n'est vu par personne entre octobre et avril ?",
    ),
    (
        "taux_pauvrete",
        "La pauvreté, moins visible qu'en ville",
        "Le taux de pauvreté ne dit pas tout : les habitants parlent de fins de mois difficiles hors saison.",
    ),
    (
        "part_locataires_hlm",
        "Peu de logement social",
        "Peu de logements sociaux et des loyers tirés par les locations saisonnières.",
    ),
]

PAROLES = [
    (
        "Le bus ne passe plus le dimanche, alors je ne vois plus ma sœur à Saint-Pierre.",
        "Mme R., 81 ans, Dolus",
        Item.Method.PORTE_A_PORTE,
        "animateur",
    ),
    (
        "L'hiver, on ne croise personne dans la rue. Les volets sont fermés de novembre à Pâques.",
        "Groupe de voisins de la Cotinière",
        Item.Method.PERMANENCE,
        "animateur",
    ),
    (
        "Je travaille l'été, l'hiver je cherche : les saisonniers n'ont pas de logement à l'année.",
        "Un jeune saisonnier",
        Item.Method.RUE,
        "animateur",
    ),
    (
        "Quand on remplit un dossier en ligne, on est perdu. À la mairie on nous aide, mais il faut pouvoir y aller.",
        "Participants de l'atelier numérique",
        Item.Method.ATELIER,
        "animateur",
    ),
    (
        "On a de la place au jardin partagé : qu'on nous envoie du monde !",
        "",
        Item.Method.REUNION,
        "habitante",
    ),
]

RESSOURCES = [
    (
        "Le centre social et culturel de l'île",
        Item.ResourceKind.SERVICE,
        "Centre social et culturel de l'île",
        "Accueil, référente familles, ateliers numériques, sorties.",
    ),
    (
        "Le jardin partagé de Dolus",
        Item.ResourceKind.LIEU,
        "",
        "Des parcelles et un abri où l'on se retrouve toute l'année.",
    ),
    (
        "Des retraités qui savent réparer les vélos",
        Item.ResourceKind.COMPETENCE,
        "",
        "Trois habitants proposent d'ouvrir un atelier d'entraide le samedi matin.",
    ),
    (
        "La navette solidaire des bénévoles",
        Item.ResourceKind.INITIATIVE,
        "",
        "Une dizaine de chauffeurs bénévoles, à faire connaître.",
    ),
]

PROBLEMES = [
    "Se déplacer sans voiture hors saison",
    "L'isolement des personnes âgées l'hiver",
    "Se loger à l'année quand on travaille sur l'île",
    "Des démarches en ligne qui éloignent des droits",
]

ACTEURS = [
    (
        "Centre communal d'action sociale du Château-d'Oléron",
        "Centre communal d'action sociale du Château-d'Oléron",
    ),
    ("La communauté de communes (transports, logement)", ""),
    ("Le bailleur social", ""),
    ("Les associations de l'île et les habitants relais", ""),
]

ENJEUX = [
    ("Rompre l'isolement des aînés l'hiver", "Aller vers les personnes qu'on ne voit plus."),
    ("Se déplacer sans voiture toute l'année", "Relier les villages au bourg et aux services."),
    ("Vivre à l'année sur l'île quand on y travaille", "Logement des saisonniers et des jeunes."),
]

PRECONISATIONS = [
    ("Un réseau de visites de voisinage l'hiver, avec le CCAS et les habitants relais", [0]),
    ("Faire connaître et élargir la navette solidaire, y compris le dimanche", [1]),
    ("Une permanence d'aide aux démarches dans chaque village, une fois par mois", [0, 1]),
]


@transaction.atomic
def load_demo(workspace) -> bool:
    """Create the demo diagnostic once (services with actors from the demo accounts). True if created."""
    if workspace.diagnostics.exists() or workspace.territory is None:
        return False
    people = {u.email.split("@")[0]: u for u in User.objects.filter(memberships__workspace=workspace)}
    karim = people.get("animateur")
    if karim is None:
        return False
    diagnostic = diagnostic_create(
        actor=karim,
        workspace=workspace,
        title=TITLE,
        territory=workspace.territory,
        themes=["isolement", "mobilite", "logement", "droits"],
        visibility=Diagnostic.Visibility.PUBLIC,
        summary=(
            "Habitants, centre social, CCAS, CAF et élus font ensemble le portrait de l'île hors saison : "
            "les chiffres de l'observatoire, la parole recueillie en porte-à-porte et aux permanences, les "
            "ressources qui existent déjà. Un diagnostic utile à tous, que chaque structure enrichit au lieu "
            "de le refaire."
        ),
    )
    for key, role in (("habitante", "habitant"), ("elu", "elu"), ("partenaire", "partenaire")):
        if key in people:
            team_add(actor=karim, diagnostic=diagnostic, role=role, user=people[key])
    team_add(
        actor=karim,
        diagnostic=diagnostic,
        role=TeamMember.Role.PARTENAIRE,
        name="Nadia",
        organisation="Bailleur social",
    )
    today = timezone.localdate()
    for kind, days, done in (
        (Step.Kind.LANCEMENT, -90, True),
        (Step.Kind.RECUEIL, -60, True),
        (Step.Kind.ANALYSE, -10, True),
        (Step.Kind.RESTITUTION, 20, False),
        (Step.Kind.VALIDATION, 45, False),
    ):
        step_set(actor=karim, diagnostic=diagnostic, kind=kind, when=today + timedelta(days=days), done=done)

    indicators = {i.code: i for i in Indicator.objects.filter(code__in=[d[0] for d in DONNEES])}
    for code, title, body in DONNEES:
        if code in indicators:
            item_add(
                actor=karim,
                diagnostic=diagnostic,
                section="donnees",
                title=title,
                body=body,
                indicator=indicators[code],
                method=Item.Method.STATISTIQUE,
            )
    for n, (text, speaker, method, who) in enumerate(PAROLES):
        actor = people.get(who, karim)
        item_add(
            actor=actor,
            diagnostic=diagnostic,
            section="paroles",
            title=text,
            speaker=speaker if actor == karim else "",
            method=method,
            collected_on=today - timedelta(days=70 - 5 * n),
        )
    structures = {s.name: s for s in Structure.objects.filter(workspace=workspace)}
    for title, kind, structure, body in RESSOURCES:
        item_add(
            actor=karim,
            diagnostic=diagnostic,
            section="ressources",
            title=title,
            body=body,
            resource_kind=kind,
            structure=structures.get(structure),
        )
    for title in PROBLEMES:
        item_add(actor=karim, diagnostic=diagnostic, section="problemes", title=title)
    for title, structure in ACTEURS:
        item_add(
            actor=karim,
            diagnostic=diagnostic,
            section="acteurs",
            title=title,
            structure=structures.get(structure),
        )
    enjeux = [
        item_add(actor=karim, diagnostic=diagnostic, section="enjeux", title=t, body=b) for t, b in ENJEUX
    ]
    for title, linked in PRECONISATIONS:
        item_add(
            actor=karim,
            diagnostic=diagnostic,
            section="preconisations",
            title=title,
            enjeux=[enjeux[i] for i in linked],
        )
    # Dots: the team, then participants of the analysis meeting typed in by Karim.
    for key, votes in (("habitante", (2, 1, 0)), ("elu", (1, 1, 1)), ("partenaire", (0, 2, 1))):
        if key in people:
            for enjeu, dots in zip(enjeux, votes, strict=True):
                if dots:
                    vote_set(actor=people[key], item=enjeu, dots=dots)
    for name, role, index, dots in (
        ("Lucienne", "habitant", 0, 3),
        ("Ahmed", "habitant", 2, 2),
        ("Gisèle", "habitant", 1, 3),
        ("Le directeur de l'EHPAD", "partenaire", 0, 2),
    ):
        vote_record_participant(actor=karim, item=enjeux[index], participant=name, role=role, dots=dots)
    diagnostic_validate(actor=karim, diagnostic=diagnostic, note="Version présentée au comité de pilotage")
    # After validation: a new draft, and a contribution from the public form waiting for an animateur.
    item_add(
        actor=karim,
        diagnostic=diagnostic,
        section="paroles",
        title="Les jeunes parents ne savent pas où faire garder leurs enfants l'été.",
        speaker="Réunion de parents à l'école de Dolus",
        method=Item.Method.REUNION,
    )
    public_contribution(
        diagnostic=diagnostic,
        section="ressources",
        pseudonym="Rose",
        consent=True,
        text="La bibliothèque de Saint-Georges prête des livres en gros caractères et les porte à domicile.",
    )
    return True
