"""Demo content for the demo workspace: a groupe projet born from an Atelier de l'Avenir, with sessions,
attendance (one member fading away), a co-decision answering a habitante's proposal, and a steering body."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from maillage.accounts.models import User
from maillage.collectives.models import Collective, Member
from maillage.collectives.services import (
    MemberSpec,
    attestation_issue,
    charter_adopt,
    charter_edit,
    charter_sign,
    collective_change_stage,
    collective_create,
    collective_set_referent,
    coordination_set,
    decision_record,
    funding_line_save,
    member_set_binome,
    minutes_save,
    proposal_add,
    session_close,
    session_create,
    session_record_attendance,
    task_create,
)

CHARTER = """1. Chacun parle à son tour ; la parole d'un habitant pèse autant que celle d'une institution.
2. On décide ensemble, et on dit à chacun ce que sa proposition est devenue.
3. Ce qui se dit de personnel reste dans le groupe.
4. On s'excuse quand on ne peut pas venir : le groupe prend des nouvelles."""

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
    _charter_plan_attestation(garden, session, users)
    session_close(
        actor=None,
        session=session,
        next_objectives="Préparer le terrain et planifier les semis",
        next_starts_at=timezone.now() + timedelta(days=10),
        next_place="Parcelle de la rue des Écoles",
    )
    steering = collective_create(
        actor=None,
        workspace=workspace,
        name="Comité de pilotage du diagnostic partagé",
        kind=Collective.Kind.COMITE_PILOTAGE,
        origin=Collective.Origin.SPONTANEOUS,
        themes=["diagnostic"],
        members=[MemberSpec(user=u, category=PEOPLE[email], joined_on=since) for email, u in users.items()],
    )
    committee = collective_create(
        actor=None,
        workspace=workspace,
        name="Comité de coordination des collectifs de l'île",
        kind=Collective.Kind.COMITE_COORDINATION,
        themes=["coordination"],
        members=[MemberSpec(user=u, category=PEOPLE[email], joined_on=since) for email, u in users.items()],
    )
    coordination_set(actor=None, committee=committee, collectives=[garden, steering])
    return 3


def _charter_plan_attestation(garden, session, users) -> None:
    """The garden group writes and adopts its charter, shares out tasks, and Ahmed gets his attestation."""
    animateur = users.get("animateur@demo.maillage.fr")
    members = {m.display_name: m for m in garden.members.select_related("user")}
    v1 = charter_edit(actor=animateur, collective=garden, text=CHARTER.rsplit("\n", 1)[0], base_version=0)
    charter_edit(
        actor=animateur,
        collective=garden,
        text=CHARTER,
        base_version=v1.number,
        note="Règle sur les absences",
    )
    adoption = decision_record(
        actor=None,
        collective=garden,
        text="Le groupe adopte sa charte.",
        level="codecision",
        method="consensus",
        session=session,
    )
    charter_adopt(actor=None, collective=garden, decision=adoption)
    for name in ("Ahmed", "Gisèle"):
        charter_sign(actor=None, member=members[name])
    minutes_save(
        actor=animateur,
        session=session,
        text="Tour de table. Le groupe répartit les premières tâches et adopte sa charte.",
        base_version=0,
    )
    today = timezone.localdate()
    task_create(
        actor=None,
        collective=garden,
        title="Demander la clé du local à la mairie",
        owner=members["Ahmed"],
        due_on=today - timedelta(days=2),
    )
    task_create(
        actor=None,
        collective=garden,
        title="Acheter les graines",
        owner=members["Gisèle"],
        due_on=today + timedelta(days=5),
    )
    task_create(
        actor=None,
        collective=garden,
        title="Afficher l'invitation dans le hall",
        owner=members["Lucienne"],
        due_on=today + timedelta(days=12),
        decision=adoption,
    )
    funding_line_save(
        actor=None,
        collective=garden,
        label="Outils et graines",
        funder_name="Commune de Dolus",
        amount_requested="600",
        amount_obtained="400",
        status="accorde",
    )
    funding_line_save(
        actor=None,
        collective=garden,
        label="Composteur",
        funder_name="Communauté de communes",
        amount_requested="350",
        status="demande",
    )
    if animateur is not None:
        referent = members[animateur.display_label]
        collective_set_referent(actor=None, collective=garden, referent=referent)
        member_set_binome(actor=None, member=referent, binome=members["Gisèle"])
        attestation_issue(
            actor=None,
            member=members["Ahmed"],
            skills_chosen=["prise_de_parole", "organisation", "negociation"],
            extra_roles=["Responsable des clés"],
        )
