import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from maillage.collectives.models import Collective
from maillage.core.models import AuditEvent
from maillage.workshops import selectors, services
from maillage.workshops.models import CODE_ALPHABET, Contribution, Participant, Template, Vote, Workshop


def uid():
    return str(uuid.uuid4())


def test_load_is_idempotent_and_ships_three_templates(templates):
    call_command("workshops_load", verbosity=0)
    assert Template.objects.filter(workspace=None).count() == 3
    avenir = templates["atelier-de-l-avenir"]
    assert [p.title for p in avenir.phases.all()][1:4] == [
        "Phase critique",
        "Phase imaginative",
        "Phase constructive",
    ]
    assert "1445-1479" in avenir.source
    assert "2574-2723" in templates["session-dpa"].source


def test_create_copies_phases_and_makes_an_unambiguous_code(avenir, templates):
    assert avenir.phases.count() == templates["atelier-de-l-avenir"].phases.count()
    assert len(avenir.join_code) == 6 and set(avenir.join_code) <= set(CODE_ALPHABET)
    assert avenir.status == Workshop.Status.DRAFT and len(avenir.board_key) >= 20


def test_only_animators_create(workspace, josiane, templates):
    with pytest.raises(PermissionDenied):
        services.workshop_create(
            actor=josiane, workspace=workspace, template=templates["session-dpa"], title="DPA"
        )


def test_custom_template(workspace, karim):
    t = services.template_create(
        actor=karim,
        workspace=workspace,
        name="Mon atelier",
        phases=[{"title": "Un", "can_vote": True}, {"title": "Deux"}],
    )
    assert [(p.order, p.can_vote) for p in t.phases.all()] == [(1, True), (2, False)]
    with pytest.raises(ValidationError):
        services.template_create(actor=karim, workspace=workspace, name="Vide", phases=[])


def test_join_needs_consent_and_a_name(running):
    with pytest.raises(ValidationError):
        services.workshop_join(workshop=running, display_name="Léa", role_as="habitant", consent=False)
    with pytest.raises(ValidationError):
        services.workshop_join(workshop=running, display_name="  ", role_as="habitant", consent=True)
    code_lower = running.join_code.lower()
    assert services.open_workshop_by_code(f" {code_lower} ") == running


def test_join_with_account_is_once(running, josiane):
    a = services.workshop_join(workshop=running, user=josiane, role_as="habitant", consent=True)
    b = services.workshop_join(workshop=running, user=josiane, role_as="habitant", consent=True)
    assert a == b and a.display_name == "Josiane"


def test_post_is_idempotent_by_client_id(running, nadia):
    cid = uid()
    a, created = services.contribution_post(
        workshop=running, client_id=cid, text="Pas de bancs", participant=nadia
    )
    b, again = services.contribution_post(
        workshop=running, client_id=cid, text="Pas de bancs", participant=nadia
    )
    assert created and not again and a.pk == b.pk
    assert Contribution.objects.count() == 1 and a.phase.order == 2


def test_post_refused_before_start_and_when_too_long(avenir, running, nadia):
    with pytest.raises(ValidationError):
        services.contribution_post(workshop=running, client_id=uid(), text="x" * 501, participant=nadia)
    with pytest.raises(ValidationError):
        services.contribution_post(workshop=running, client_id=uid(), text="  ", participant=nadia)
    with pytest.raises(ValidationError):
        services.contribution_post(workshop=running, client_id="not-a-uuid", text="ok", participant=nadia)


def test_scribe_types_for_someone(running, karim, josiane):
    mo = services.participant_add_by_scribe(
        actor=karim, workshop=running, display_name="Mohamed", role_as="habitant", consent=True
    )
    c, _ = services.contribution_post(
        workshop=running,
        client_id=uid(),
        text="Le bus ne passe plus",
        participant=None,
        actor=karim,
        on_behalf_of=mo.pk,
    )
    assert c.author == mo and c.typed_by == karim and mo.created_via == Participant.Via.SCRIBE
    data = selectors.contribution_dict(c, phase_order=2)
    assert data["author_label"] == "Mohamed" and data["typed_by_label"] == "Karim"
    josiane_p = services.workshop_join(workshop=running, user=josiane, role_as="habitant", consent=True)
    with pytest.raises(PermissionDenied):
        services.contribution_post(
            workshop=running,
            client_id=uid(),
            text="x",
            participant=josiane_p,
            actor=josiane,
            on_behalf_of=mo.pk,
        )


def test_dots_are_limited_per_phase_and_several_on_one_target(running, nadia, karim):
    c, _ = services.contribution_post(workshop=running, client_id=uid(), text="Propreté", participant=nadia)
    running.dots_per_participant = 3
    running.save()
    for _ in range(3):
        vote, created, left = services.vote_cast(
            workshop=running, client_id=uid(), participant=nadia, target_kind="contribution", target_id=c.pk
        )
    assert left == 0 and Vote.objects.filter(contribution=c).count() == 3
    with pytest.raises(ValidationError):
        services.vote_cast(
            workshop=running, client_id=uid(), participant=nadia, target_kind="contribution", target_id=c.pk
        )
    # replaying a vote already made does not count twice
    again = services.vote_cast(
        workshop=running,
        client_id=vote.client_id,
        participant=nadia,
        target_kind="contribution",
        target_id=c.pk,
    )
    assert again[1] is False and Vote.objects.count() == 3
    assert services.vote_remove(workshop=running, participant=nadia, vote_id=vote.pk) == 1
    # next phase: a fresh set of dots
    services.phase_control(actor=karim, workshop=running, action="next")
    running.refresh_from_db()
    assert selectors.dots_left(running, nadia.pk, running.phases.get(order=3).pk) == 3


def test_clusters_moderation_and_merge(running, nadia, karim, josiane):
    a, _ = services.contribution_post(
        workshop=running, client_id=uid(), text="Trop de voitures", participant=nadia
    )
    b, _ = services.contribution_post(
        workshop=running, client_id=uid(), text="trop de voitures !", participant=nadia
    )
    cluster, created = services.cluster_create(
        actor=karim, workshop=running, client_id=uid(), title="Circulation", contribution_ids=[a.pk]
    )
    a.refresh_from_db()
    assert created and a.cluster == cluster
    services.contribution_move(actor=karim, contribution=b, cluster=cluster)
    services.contribution_merge(actor=karim, contribution=b, into=a)
    b.refresh_from_db()
    assert b.merged_into == a
    with pytest.raises(ValidationError):
        services.contribution_hide(actor=karim, contribution=a, reason="")
    services.contribution_hide(actor=karim, contribution=a, reason="Propos injurieux")
    assert AuditEvent.objects.filter(action="workshop.hide", details__reason="Propos injurieux").exists()
    with pytest.raises(PermissionDenied):
        services.cluster_create(actor=josiane, workshop=running, client_id=uid(), title="X")
    participant_state = selectors.snapshot(running, selectors.Viewer(selectors.PARTICIPANT, nadia.pk))
    pilot_state = selectors.snapshot(running, selectors.Viewer(selectors.PILOT))
    assert participant_state["contributions"] == []
    assert {c["hidden_reason"] for c in pilot_state["contributions"]} == {"Propos injurieux", ""}


def test_votes_hidden_until_revealed(running, nadia, karim):
    c, _ = services.contribution_post(workshop=running, client_id=uid(), text="Jardins", participant=nadia)
    services.vote_cast(
        workshop=running, client_id=uid(), participant=nadia, target_kind="contribution", target_id=c.pk
    )
    assert selectors.snapshot(running, selectors.Viewer(selectors.BOARD))["votes"] == {}
    services.votes_reveal(actor=karim, workshop=running)
    assert selectors.snapshot(running, selectors.Viewer(selectors.BOARD))["votes"] == {
        f"contribution:{c.pk}": 1
    }
    assert selectors.votes_by_role(running) == {f"contribution:{c.pk}": {"habitant": 1}}


def test_snapshot_query_count_does_not_grow(running, nadia, django_assert_max_num_queries):
    for i in range(30):
        services.contribution_post(workshop=running, client_id=uid(), text=f"Idée {i}", participant=nadia)
    with django_assert_max_num_queries(6):
        state = selectors.snapshot(running, selectors.Viewer(selectors.PARTICIPANT, nadia.pk))
    assert len(state["contributions"]) == 30 and state["phase"]["order"] == 2


def test_phase_control_pause_and_resume(running, karim):
    w = services.phase_control(actor=karim, workshop=running, action="pause")
    assert w.paused_remaining is not None and w.paused_remaining > 0
    w = services.phase_control(actor=karim, workshop=w, action="start")
    assert w.paused_remaining is None and w.phase_ends_at is not None
    with pytest.raises(ValidationError):
        services.phase_control(actor=karim, workshop=w, action="goto", phase_order=99)


def test_close_creates_project_groups_with_members(running, karim, josiane, workspace):
    nadia = services.workshop_join(
        workshop=running, display_name="Nadia", role_as="habitant", consent=True, contact="nadia@example.org"
    )
    silent = services.workshop_join(
        workshop=running, display_name="Sans contact", role_as="benevole", consent=True
    )
    jo = services.workshop_join(workshop=running, user=josiane, role_as="habitant", consent=True)
    garden = services.project_create(
        actor=karim, workshop=running, title="Jardin partagé", objective="Un jardin"
    )
    cafe = services.project_create(actor=karim, workshop=running, title="Café des voisins")
    services.phase_control(actor=karim, workshop=running, action="goto", phase_order=4)
    for p in (nadia, silent, jo):
        services.project_signup(project=garden, participant=p)
    services.project_signup(project=cafe, participant=nadia)
    with pytest.raises(PermissionDenied):
        services.workshop_close(actor=josiane, workshop=running)
    collectives = services.workshop_close(actor=karim, workshop=running)
    assert {c.name for c in collectives} == {"Jardin partagé", "Café des voisins"}
    jardin = Collective.objects.get(name="Jardin partagé")
    assert jardin.origin == Collective.Origin.WORKSHOP and jardin.origin_url == f"/ateliers/{running.pk}/"
    members = {(m.user_id, m.pseudonym, m.contact) for m in jardin.members.all()}
    assert members == {(josiane.pk, "", ""), (None, "Nadia", "nadia@example.org")}
    running.refresh_from_db()
    assert running.status == Workshop.Status.CLOSED
    # closing again does not create twice
    assert len(services.workshop_close(actor=karim, workshop=running)) == 2
    assert Collective.objects.filter(origin=Collective.Origin.WORKSHOP).count() == 2


def test_broadcast_failure_never_fails_the_write(
    running, nadia, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    class Broken:
        async def group_send(self, *a, **k):
            raise ConnectionError("redis down")

    monkeypatch.setattr("maillage.workshops.services._common.get_channel_layer", lambda: Broken())
    with django_capture_on_commit_callbacks(execute=True):
        c, created = services.contribution_post(
            workshop=running, client_id=uid(), text="Toujours là", participant=nadia
        )
    assert created and Contribution.objects.filter(pk=c.pk).exists()
    assert "broadcast" in caplog.text
