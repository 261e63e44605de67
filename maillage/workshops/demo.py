"""Demo content: a finished Atelier de l'Avenir (three phases of post-its, groups, dots, project groups)
and a DPA session in progress, in the demo workspace."""

import uuid
from datetime import timedelta

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from maillage.accounts.models import User
from maillage.workshops import services
from maillage.workshops.models import Template, Workshop

PEOPLE = [
    ("Lucienne", "habitant", True, "06 11 22 33 44"),
    ("Ahmed", "habitant", True, "ahmed.d@example.org"),
    ("Gisèle", "benevole", False, "06 55 44 33 22"),
    ("Théo", "habitant", True, ""),
    ("Nathalie", "professionnel", False, "n.roux@example.org"),
    ("Jean-Pierre", "elu", False, "mairie@example.org"),
    ("Samia", "habitant", True, "06 98 76 54 32"),
]
# phase order -> [(author index, text, group title or "")]
AVENIR = {
    2: [
        (0, "On ne se connaît plus entre voisins, chacun reste chez soi", "Isolement"),
        (1, "Quand on arrive dans la commune, personne ne vous explique rien", "Isolement"),
        (3, "Rien pour les jeunes le soir, à part l'abribus", "Jeunesse"),
        (6, "Les ados traînent faute de local", "Jeunesse"),
        (2, "Le bus pour Saint-Pierre ne passe que deux fois par jour", "Transports"),
        (5, "Sans voiture on ne peut pas aller au marché", "Transports"),
        (4, "Les parents des écoles ne se croisent qu'à la grille", "Isolement"),
    ],
    3: [
        (0, "Une fête des voisins dans chaque rue, tous les mois", "Se rencontrer"),
        (6, "Un café où les parents se retrouvent après l'école", "Se rencontrer"),
        (1, "Un accueil chaleureux pour chaque nouvel arrivant, avec un parrain", "Accueillir"),
        (3, "Un local géré par les jeunes eux-mêmes", "Jeunesse"),
        (2, "Un minibus solidaire conduit par des bénévoles", "Se déplacer"),
        (4, "Des jardins partout où il y a de la place", "Se rencontrer"),
    ],
    4: [
        (
            1,
            "Un livret d'accueil écrit par les habitants et une visite de la commune",
            "Accueil des nouveaux arrivants",
        ),
        (6, "Le mardi après l'école, un café des parents au centre social", "Café des parents"),
        (
            0,
            "Chaque nouvel arrivant est invité au prochain repas de quartier",
            "Accueil des nouveaux arrivants",
        ),
        (4, "Le centre social prête la salle et le café", "Café des parents"),
    ],
}
PROJECTS = [
    (
        "Accueil des nouveaux arrivants",
        "Que chaque personne qui s'installe connaisse quelqu'un dans le mois.",
        "Écrire le livret d'accueil ; demander à la mairie la liste des nouveaux arrivants ; fixer le premier repas.",
        "La mairie (liste et salle), le foyer rural, des habitants volontaires pour parrainer.",
        [0, 1, 5],
    ),
    (
        "Café des parents",
        "Un moment chaque semaine où les parents se retrouvent après l'école.",
        "Trouver un créneau ; en parler aux deux écoles ; premier café en janvier.",
        "Salle et café du centre social, la CAF (REAAP, réseau d'écoute et d'appui aux parents).",
        [6, 4, 2],
    ),
]


def _post(workshop, participants, rows):
    clusters = {}
    for who, text, group in rows:
        c, _ = services.contribution_post(
            workshop=workshop, client_id=uuid.uuid4(), text=text, participant=participants[who]
        )
        if group:
            if group not in clusters:
                clusters[group], _ = services.cluster_create(
                    actor=None, workshop=workshop, client_id=uuid.uuid4(), title=group
                )
            services.contribution_move(actor=None, contribution=c, cluster=clusters[group])
    return clusters


@transaction.atomic
def load_demo(workspace) -> int:
    """Create the demo workshops once (actor=None: a trusted command). Returns how many were created."""
    if workspace.workshops.exists():
        return 0
    if not Template.objects.filter(workspace=None).exists():
        call_command("workshops_load", verbosity=0)
    builtin = {t.key: t for t in Template.objects.filter(workspace=None)}
    animateur = User.objects.filter(email="animateur@demo.maillage.fr").first()
    starts = timezone.now() - timedelta(days=45)
    avenir = services.workshop_create(
        actor=None,
        workspace=workspace,
        template=builtin["atelier-de-l-avenir"],
        title="Atelier de l'Avenir de Dolus",
        starts_at=starts,
        place="Foyer rural de Dolus",
        dots_per_participant=3,
    )
    participants = [
        services.workshop_join(
            workshop=avenir, display_name=n, role_as=r, first_time=f, consent=True, contact=contact
        )
        for n, r, f, contact in PEOPLE
    ]
    for order, rows in AVENIR.items():
        services.phase_control(actor=None, workshop=avenir, action="goto", phase_order=order)
        avenir.refresh_from_db()
        clusters = _post(avenir, participants, rows)
        for i, p in enumerate(participants):  # everyone puts dots on the groups
            for title in list(clusters)[i % len(clusters) :][:2] or list(clusters)[:1]:
                services.vote_cast(
                    workshop=avenir,
                    client_id=uuid.uuid4(),
                    participant=p,
                    target_kind="cluster",
                    target_id=clusters[title].pk,
                )
    services.votes_reveal(actor=None, workshop=avenir)
    for title, objective, steps, resources, who in PROJECTS:
        project = services.project_create(
            actor=None,
            workshop=avenir,
            title=title,
            objective=objective,
            first_steps=steps,
            resources=resources,
        )
        for i in who:
            services.project_signup(actor=None, project=project, participant=participants[i])
    services.workshop_close(actor=None, workshop=avenir, next_meeting_at=timezone.now() + timedelta(days=12))
    Workshop.objects.filter(pk=avenir.pk).update(closed_at=starts + timedelta(hours=7), created_by=animateur)

    dpa = services.workshop_create(
        actor=None,
        workspace=workspace,
        template=builtin["session-dpa"],
        title="Collectif des locataires de la résidence Les Pins",
        starts_at=timezone.now(),
        place="Salle municipale des Pins",
    )
    services.phase_control(actor=None, workshop=dpa, action="start")
    dpa.refresh_from_db()
    tenants = [
        services.workshop_join(
            workshop=dpa, display_name=n, role_as="habitant", consent=True, first_time=True
        )
        for n in ("Fatou", "Marcel", "Inès")
    ]
    for p, text in zip(
        tenants,
        [
            "Nous, habitants, considérons que notre problème principal est la gestion du local poubelle",
            "Nous, habitants, considérons que notre problème principal est le silence du bailleur",
            "Le local poubelle déborde et les sacs restent dans le hall",
        ],
        strict=True,
    ):
        services.contribution_post(workshop=dpa, client_id=uuid.uuid4(), text=text, participant=p)
    return 2
