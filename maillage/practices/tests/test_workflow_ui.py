"""Workflow: sections edited by the authors, expertise comments per section, a section sent back and answered,
publication scope chosen in the UI, audit; capitalisation of a collective into a draft."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from maillage.core.models import AuditEvent
from maillage.practices import services, services_workflow
from maillage.practices.capitalise import practice_draft_from_collective
from maillage.practices.models import Practice

pytestmark = pytest.mark.django_db


def test_sent_back_section_is_answered_before_publication(workspace_practice, karim, josiane, paul):
    practice = workspace_practice
    services_workflow.practice_section_update(
        actor=josiane, practice=practice, section="contexte", values={"context": "Un quartier sans atelier."}
    )
    services.practice_set_status(actor=josiane, practice=practice, status=Practice.Status.SUBMITTED)
    with pytest.raises(PermissionDenied):  # submitted: no more editing until sent back
        services_workflow.practice_section_update(
            actor=josiane, practice=practice, section="contexte", values={"context": "x"}
        )
    services.practice_set_status(actor=karim, practice=practice, status=Practice.Status.IN_REVIEW)
    with pytest.raises(PermissionDenied):  # only reviewers comment
        services_workflow.practice_comment_add(actor=josiane, practice=practice, section="contexte", text="?")
    services_workflow.practice_comment_add(
        actor=karim,
        practice=practice,
        section="contexte",
        text="Dites qui a lancé l'atelier.",
        sends_back=True,
    )
    services_workflow.practice_comment_add(
        actor=karim, practice=practice, section="actions", text="Très clair."
    )
    assert services_workflow.open_sendbacks(practice) == {"contexte"}
    assert services_workflow.can_edit_section(josiane, practice, "contexte")
    assert not services_workflow.can_edit_section(josiane, practice, "actions")
    assert not services_workflow.can_edit_section(paul, practice, "contexte")
    with pytest.raises(ValidationError):  # a section waits for its authors
        services.practice_set_status(actor=karim, practice=practice, status=Practice.Status.PUBLISHED)
    services_workflow.practice_section_update(
        actor=josiane,
        practice=practice,
        section="contexte",
        values={"context": "Des habitants ont lancé l'atelier avec le centre social."},
    )
    services_workflow.practice_comment_answer(
        actor=josiane, practice=practice, section="contexte", text="C'est précisé."
    )
    assert services_workflow.open_sendbacks(practice) == set()
    services.practice_set_status(
        actor=karim, practice=practice, status=Practice.Status.PUBLISHED, scope=Practice.Scope.PUBLIC
    )
    practice.refresh_from_db()
    assert practice.validation_level == Practice.Validation.EXPERT and practice.is_public
    actions = list(AuditEvent.objects.filter(target_id=str(practice.pk)).values_list("action", flat=True))
    assert actions.count("practice.status") == 3 and "practice.section_sent_back" in actions


def test_workflow_pages(client, workspace_practice, karim, josiane, paul, outsider):
    practice = workspace_practice
    url = reverse("practices:workflow", args=[practice.slug])
    for user in (paul, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(josiane)
    html = client.get(url).content.decode()
    assert "Soumettre à l&#x27;expertise" in html or "Soumettre à l'expertise" in html
    edit = client.get(url, {"rubrique": "contexte"}).content.decode()
    assert 'name="contexte-context"' in edit
    bad = client.post(
        reverse("practices:section_edit", args=[practice.slug, "chapeau"]), {"chapeau-title": ""}
    )
    assert bad.status_code == 400
    client.post(
        reverse("practices:section_edit", args=[practice.slug, "contexte"]), {"contexte-context": "Nouveau."}
    )
    practice.refresh_from_db()
    assert practice.context == "Nouveau."
    client.post(reverse("practices:status", args=[practice.slug]), {"status": "soumise"})
    client.force_login(karim)
    client.post(reverse("practices:status", args=[practice.slug]), {"status": "en_expertise"})
    client.post(
        reverse("practices:comment", args=[practice.slug, "contexte"]),
        {"text": "Précisez la date.", "sends_back": "on"},
    )
    client.force_login(josiane)
    html = client.get(url).content.decode()
    assert "Précisez la date." in html and "Renvoyée à l" in html and "Répondre" in html
    client.post(
        reverse("practices:comment", args=[practice.slug, "contexte"]), {"answer": "1", "text": "Fait."}
    )
    client.force_login(karim)
    client.post(reverse("practices:status", args=[practice.slug]), {"status": "publiee", "scope": "network"})
    practice.refresh_from_db()
    assert practice.status == Practice.Status.PUBLISHED and practice.scope == Practice.Scope.NETWORK


@pytest.fixture
def collective(workspace, territories):
    from maillage.collectives.models import Collective, Decision, Member
    from maillage.collectives.services import MemberSpec, collective_create, decision_record, session_create
    from maillage.territories.models import Territory

    group = collective_create(
        actor=None,
        workspace=workspace,
        name="Les jardiniers du lundi",
        kind=Collective.Kind.GROUPE_PROJET,
        origin=Collective.Origin.DIAGNOSTIC,
        origin_label="Préconisation 2 du diagnostic partagé",
        purpose="Cultiver une parcelle ensemble et accueillir les nouveaux habitants.",
        themes=["jardins", "accueil"],
        territory=Territory.objects.get(kind="commune", code="15014"),
        members=[
            MemberSpec(
                pseudonym="Lucienne", category=Member.Category.HABITANT, consent_given_at=timezone.now()
            ),
            MemberSpec(pseudonym="Ahmed", category=Member.Category.HABITANT, consent_given_at=timezone.now()),
            MemberSpec(
                pseudonym="Claire", category=Member.Category.PROFESSIONNEL, consent_given_at=timezone.now()
            ),
        ],
    )
    start = timezone.now() - timedelta(days=60)
    session_create(actor=None, collective=group, starts_at=start, agenda="Choisir la parcelle")
    session_create(
        actor=None, collective=group, starts_at=start + timedelta(days=14), agenda="Plan des semis"
    )
    decision_record(
        actor=None,
        collective=group,
        text="Ouvrir le jardin le samedi matin",
        level=Decision.Level.CODECISION,
        method=Decision.Method.CONSENSUS,
    )
    return group


def test_practice_draft_from_collective(collective, referentials, karim, paul):
    with pytest.raises(PermissionDenied):
        practice_draft_from_collective(actor=paul, collective=collective)
    practice = practice_draft_from_collective(actor=karim, collective=collective)
    assert practice.status == Practice.Status.DRAFT and practice.workspace == collective.workspace
    assert practice.title == "Les jardiniers du lundi"
    assert "Préconisation 2 du diagnostic partagé" in practice.context and "jardins" in practice.context
    assert "3 personnes" in practice.public and "Habitant ou habitante : 2" in practice.public
    assert "2 séances" in practice.actions and "Plan des semis" in practice.actions
    assert "Ouvrir le jardin le samedi matin (codécision)" in practice.project_participation
    assert practice.import_report["levels"] == {"codecision": 1}
    assert list(practice.territories.values_list("code", flat=True)) == ["15014"]
    assert practice.start_date is not None and "Lucienne" not in practice.public
    assert AuditEvent.objects.filter(action="practice.from_collective").exists()


def test_capitalise_page(client, collective, referentials, karim, paul):
    url = reverse("practices:capitalise", args=[collective.workspace.slug])
    client.force_login(paul)
    assert client.get(url).status_code == 404
    client.force_login(karim)
    assert "Les jardiniers du lundi" in client.get(url).content.decode()
    response = client.post(url, {"collective": collective.slug})
    practice = Practice.objects.get(title="Les jardiniers du lundi")
    assert response["Location"] == reverse("practices:workflow", args=[practice.slug])
    assert client.post(url, {"collective": "inconnu"}).status_code == 404


def test_pages_query_counts(client, workspace_practice, karim, django_assert_max_num_queries):
    from maillage.practices import services_network as network

    practice = workspace_practice
    services.practice_set_status(actor=karim, practice=practice, status=Practice.Status.SUBMITTED)
    services.practice_set_status(actor=karim, practice=practice, status=Practice.Status.IN_REVIEW)
    for section in ("contexte", "actions", "evaluation"):
        services_workflow.practice_comment_add(
            actor=karim, practice=practice, section=section, text="À préciser.", sends_back=True
        )
    group = network.working_group_create(actor=karim, name="Vélo solidaire")
    for n in range(5):
        network.thread_start(actor=karim, group=group, title=f"Sujet {n}", text="Bonjour", practice=practice)
    client.force_login(karim)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("practices:workflow", args=[practice.slug])).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(group.get_absolute_url()).status_code == 200
    thread = group.threads.first()
    for n in range(5):
        network.message_post(actor=karim, thread=thread, text=f"Message {n}")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("practices:thread", args=[group.slug, thread.pk])).status_code == 200
