"""Fixtures: a groupe projet of the Quartier des Tilleuls, led by Karim (animateur), with Josiane
(habitante, with an account), Fatou (habitante without account) and Marc (élu)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from maillage.collectives.models import Collective, Member
from maillage.collectives.services import MemberSpec, collective_create, session_create

SINCE = timezone.localdate() - timedelta(days=120)


@pytest.fixture
def collective(workspace, karim, josiane, marc):
    return collective_create(
        actor=karim,
        workspace=workspace,
        name="Jardins partagés",
        kind=Collective.Kind.GROUPE_PROJET,
        origin=Collective.Origin.WORKSHOP,
        origin_label="Atelier de l'Avenir du 12 mars",
        origin_url="/ateliers/avenir-12-mars/",
        themes="jardins, convivialité",
        members=[
            MemberSpec(user=karim, category=Member.Category.PROFESSIONNEL, joined_on=SINCE),
            MemberSpec(user=josiane, category=Member.Category.HABITANT, joined_on=SINCE),
            MemberSpec(
                pseudonym="Fatou",
                contact="06 12 34 56 78",
                consent_given_at=timezone.now(),
                category=Member.Category.HABITANT,
                joined_on=SINCE,
            ),
            MemberSpec(user=marc, category=Member.Category.ELU, joined_on=SINCE),
        ],
    )


@pytest.fixture
def member(collective):
    """Member rows by display name."""

    def get(name):
        return next(m for m in collective.members.select_related("user") if m.display_name == name)

    return get


@pytest.fixture
def past_session(collective, karim):
    return session_create(
        actor=karim,
        collective=collective,
        starts_at=timezone.now() - timedelta(hours=2),
        place="Centre social",
        agenda="Choisir la parcelle",
    )
