"""Demo content for the demo workspace: a groupe projet born from an Atelier de l'Avenir, with sessions,
attendance (one member fading away), a co-decision answering a habitante's proposal, and a steering body."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from maillage.accounts.models import User
from maillage.collectives.models import Collective, Member
from maillage.collectives.services import (
    MemberSpec,
    collective_change_stage,
    collective_create,
    decision_record,
    proposal_add,
    session_close,
    session_create,
    session_record_attendance,
)

PEOPLE = {
    "animateur@demo.maillage.fr": Member.Category.PROFESSIONNEL,
    "habitante@demo.maillage.fr": Member.Category.HABITANT,
    "elu@demo.maillage.fr": Member.Category.ELU,
}


@transaction.atomic
def load_demo(workspace) -> int:
    """Create the demo collectives once (actor=None: a trusted command). Returns how many were created."""
    if workspace.collectives.exists():
        return 0
    users = {u.email: u for u in User.objects.filter(email__in=PEOPLE, memberships__workspace=workspace)}
    since = timezone.localdate() - timedelta(days=90)
    members = [MemberSpec(user=u, category=PEOPLE[email], joined_on=since) for email, u in users.items()]
    members += [
        MemberSpec(pseudonym=name, consent_given_at=timezone.now(), category=category, joined_on=since)
        for name, category in [
            ("Lucienne", Member.Category.HABITANT),
            ("Ahmed", Member.Category.PERSONNE_ACCOMPAGNEE),
            ("Gisèle", Member.Category.BENEVOLE),
        ]
    ]
    garden = collective_create(
        actor=None,
        workspace=workspace,
        name="Jardin partagé de Dolus",
        kind=Collective.Kind.GROUPE_PROJET,
        origin=Collective.Origin.WORKSHOP,
        origin_label="Atelier de l'Avenir au foyer rural",
        purpose="Cultiver ensemble une parcelle prêtée par la commune et en faire un lieu de rencontre.",
        themes=["jardins", "convivialité", "alimentation"],
        work_model=Collective.WorkModel.INTEREST,
        members=members,
    )
    collective_change_stage(actor=None, collective=garden, stage=Collective.Stage.CONSTITUTION, note="")
    lucienne = garden.members.get(pseudonym="Lucienne")
    objectives = [
        "Se présenter, dire ce que l'on attend",
        "Choisir la parcelle",
        "Répartir les premières tâches",
    ]
    session = None
    for weeks, aim in zip((6, 4, 2), objectives, strict=True):
        session = session_create(
            actor=None,
            collective=garden,
            starts_at=timezone.now() - timedelta(weeks=weeks),
            place="Foyer rural de Dolus",
            objectives=aim,
        )
        statuses = {m.pk: "present" for m in garden.members.all()}
        statuses[lucienne.pk] = "present" if weeks == 8 else "absent"  # she is fading away
        session_record_attendance(actor=None, session=session, statuses=statuses)
        if weeks != 2:
            session_close(actor=None, session=session, next_objectives=objectives[objectives.index(aim) + 1])
    habitante = users.get("habitante@demo.maillage.fr")
    author = garden.members.filter(user=habitante).first() if habitante else None
    proposal = proposal_add(
        actor=None,
        collective=garden,
        text="Installer un composteur collectif près de l'entrée.",
        author=author,
    )
    decision_record(
        actor=None,
        collective=garden,
        text="Le groupe installe un composteur collectif au printemps, avec l'aide du service déchets.",
        level="codecision",
        method="consensus",
        session=session,
        answers={proposal: "Retenue : installation en avril, la communauté de communes fournit le bac."},
    )
    session_close(
        actor=None,
        session=session,
        next_objectives="Préparer le terrain et planifier les semis",
        next_starts_at=timezone.now() + timedelta(days=10),
        next_place="Parcelle de la rue des Écoles",
    )
    collective_create(
        actor=None,
        workspace=workspace,
        name="Comité de pilotage du diagnostic partagé",
        kind=Collective.Kind.COMITE_PILOTAGE,
        origin=Collective.Origin.SPONTANEOUS,
        themes=["diagnostic"],
        members=[MemberSpec(user=u, category=PEOPLE[email], joined_on=since) for email, u in users.items()],
    )
    return 2
