import io
import uuid

import pytest
from django.urls import reverse
from pypdf import PdfReader

from maillage.accounts.services import user_export_data
from maillage.core.registry import personal_data_erasers
from maillage.workshops import services
from maillage.workshops.models import Cluster, Contribution, Participant
from maillage.workspaces.selectors import workspace_timeline

XSS = '<img src=x onerror="alert(1)">'


def join(client, workshop, name="Léa", **extra):
    data = {"display_name": name, "role_as": "habitant", "consent": "on", **extra}
    return client.post(reverse("workshops:participate", args=[workshop.pk]), data)


def test_list_and_create(client, workspace, karim, josiane, templates, django_assert_max_num_queries):
    client.force_login(karim)
    url = reverse("workshops:create", args=[workspace.slug])
    template = templates["atelier-de-l-avenir"]
    r = client.post(url, {"template": template.pk, "title": "", "dots_per_participant": 5})
    assert r.status_code == 400
    r = client.post(
        url, {"template": template.pk, "title": "Avenir", "dots_per_participant": 4, "place": "MJC"}
    )
    assert r.status_code == 302
    with django_assert_max_num_queries(12):
        page = client.get(reverse("workshops:list", args=[workspace.slug]))
    assert "Avenir" in page.content.decode()
    client.force_login(josiane)
    assert client.get(url).status_code == 404
    assert client.get(reverse("workshops:list", args=[workspace.slug])).status_code == 200


def test_custom_template_editor(client, workspace, karim):
    client.force_login(karim)
    url = reverse("workshops:template_create", args=[workspace.slug])
    assert client.get(url).status_code == 200
    data = {"name": "Balade urbaine", "phases-TOTAL_FORMS": 2, "phases-INITIAL_FORMS": 0}
    data |= {"phases-0-title": "Marcher", "phases-0-duration_minutes": 30, "phases-0-can_post": "on"}
    data |= {"phases-1-title": "", "phases-1-duration_minutes": 20}
    assert client.post(url, data).status_code == 302
    template = workspace.workshop_templates.get()
    assert [p.title for p in template.phases.all()] == ["Marcher"]


def test_join_by_code_then_post_without_account(client, running):
    r = client.get(reverse("workshops:join"), {"code": "AAAAAA"})
    assert r.status_code == 400 and "Aucun atelier" in r.content.decode()
    r = client.get(reverse("workshops:join"), {"code": running.join_code.lower()})
    assert r.status_code == 302
    r = client.post(
        reverse("workshops:participate", args=[running.pk]), {"display_name": "Léa", "role_as": "habitant"}
    )
    assert r.status_code == 400 and 'value="Léa"' in r.content.decode()
    assert join(client, running).status_code == 302
    page = client.get(reverse("workshops:participate", args=[running.pk]))
    assert "Phase critique" in page.content.decode()
    post_url = reverse("workshops:post", args=[running.pk])
    cid = str(uuid.uuid4())
    assert client.post(post_url, {"client_id": cid, "text": XSS}).status_code == 302
    assert (
        client.post(post_url, {"client_id": cid, "text": XSS}).status_code == 302
    )  # resubmitted: no duplicate
    assert Contribution.objects.count() == 1
    html = client.get(reverse("workshops:participate", args=[running.pk])).content.decode()
    assert XSS not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    r = client.post(post_url, {"client_id": str(uuid.uuid4()), "text": "x" * 501})
    assert r.status_code == 400
    r = client.post(post_url, {"client_id": str(uuid.uuid4()), "text": "Encore"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and r["HX-Trigger"] == "workshop-changed"


def test_vote_and_signup_forms(client, running, karim):
    join(client, running)
    c, _ = services.contribution_post(
        workshop=running, client_id=uuid.uuid4(), text="Jardin", participant=None, actor=karim
    )
    r = client.post(
        reverse("workshops:vote", args=[running.pk]),
        {"client_id": str(uuid.uuid4()), "target_kind": "contribution", "target_id": c.pk},
        HTTP_HX_REQUEST="true",
    )
    assert "Il vous en reste 4" in r.content.decode()
    project = services.project_create(actor=karim, workshop=running, title="Jardin partagé")
    r = client.post(reverse("workshops:signup", args=[running.pk, project.pk]), HTTP_HX_REQUEST="true")
    assert 'role="alert"' in r.content.decode()  # sign-ups not open in the critique phase
    services.phase_control(actor=karim, workshop=running, action="goto", phase_order=4)
    client.post(reverse("workshops:signup", args=[running.pk, project.pk]))
    assert project.signups.count() == 1


def test_pilot_is_for_animators(client, running, josiane):
    url = reverse("workshops:pilot", args=[running.pk])
    assert client.get(url).status_code == 404
    client.force_login(josiane)
    assert client.get(url).status_code == 404
    assert client.post(reverse("workshops:pilot_action", args=[running.pk, "clore"])).status_code == 404


def test_pilot_actions(client, running, karim, nadia, django_assert_max_num_queries):
    client.force_login(karim)
    for i in range(12):
        services.contribution_post(
            workshop=running, client_id=uuid.uuid4(), text=f"Idée {i}", participant=nadia
        )
    with django_assert_max_num_queries(25):
        assert client.get(reverse("workshops:pilot", args=[running.pk])).status_code == 200
    act = lambda name, data: client.post(  # noqa: E731
        reverse("workshops:pilot_action", args=[running.pk, name]), data, HTTP_HX_REQUEST="true"
    )
    first, second = Contribution.objects.order_by("pk")[:2]
    r = act(
        "groupe", {"client_id": str(uuid.uuid4()), "title": "Espaces verts", "contribution_ids": [first.pk]}
    )
    assert r["HX-Trigger"] == "workshop-changed"
    cluster = Cluster.objects.get()
    act("deplacer", {"id": second.pk, "cluster": cluster.pk})
    assert set(cluster.contributions.values_list("pk", flat=True)) == {first.pk, second.pk}
    r = act("masquer", {"id": first.pk, "reason": ""})
    assert 'role="alert"' in r.content.decode()
    act("masquer", {"id": first.pk, "reason": "Hors sujet"})
    act(
        "saisir",
        {
            "client_id": str(uuid.uuid4()),
            "text": "Le bus",
            "new_name": "Mohamed",
            "new_role": "habitant",
            "new_consent": "on",
        },
    )
    typed = Contribution.objects.get(text="Le bus")
    assert typed.author.display_name == "Mohamed" and typed.typed_by == karim
    assert typed.author.created_via == Participant.Via.SCRIBE
    act("phase", {"do": "next"})
    running.refresh_from_db()
    assert running.current_phase == 3
    r = act("suggestions", {})
    assert r.status_code == 200  # no post-it yet in the new phase: a clear message
    assert "Pas de suggestion" in r.content.decode()


def test_suggestions_render_and_accept(client, running, karim, nadia):
    client.force_login(karim)
    for text in [
        "Les poubelles débordent",
        "Poubelles jamais vidées",
        "Le bus ne passe plus",
        "Pas assez de bus le soir",
    ]:
        services.contribution_post(workshop=running, client_id=uuid.uuid4(), text=text, participant=nadia)
    r = client.post(
        reverse("workshops:pilot_action", args=[running.pk, "suggestions"]), HTTP_HX_REQUEST="true"
    )
    html = r.content.decode()
    assert "Accepter" in html and "Poubelles jamais vidées" in html


def test_board_needs_its_key(client, running, nadia):
    services.contribution_post(workshop=running, client_id=uuid.uuid4(), text=XSS, participant=nadia)
    assert client.get(reverse("workshops:board", args=[running.pk, "wrong"])).status_code == 404
    html = client.get(reverse("workshops:board", args=[running.pk, running.board_key])).content.decode()
    assert running.join_code in html and "<svg" in html and XSS not in html
    state = client.get(reverse("workshops:state", args=[running.pk]), {"board_key": running.board_key})
    assert "&lt;img" in state.content.decode()


def test_record_pdf_csv_timeline_and_personal_data(client, running, karim, josiane, workspace):
    jo = services.workshop_join(
        workshop=running, user=josiane, role_as="habitant", consent=True, first_time=True
    )
    c, _ = services.contribution_post(
        workshop=running, client_id=uuid.uuid4(), text="=cmd|' /C calc'!A0", participant=jo
    )
    services.contribution_post(
        workshop=running, client_id=uuid.uuid4(), text="Un jardin partagé", participant=jo
    )
    project = services.project_create(
        actor=karim, workshop=running, title="Jardin des Tilleuls", objective="Cultiver"
    )
    services.project_signup(actor=karim, project=project, participant=jo)
    client.force_login(josiane)
    home = workspace_timeline(workspace, josiane)
    assert any("Avenir des Tilleuls" in item.title for item in home["next"])
    services.workshop_close(actor=karim, workshop=running)
    record = client.get(reverse("workshops:record", args=[running.pk])).content.decode()
    assert "Groupe projet « Jardin des Tilleuls »" in record and "pour la première fois" in record
    pdf = client.get(reverse("workshops:pdf", args=[running.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Un jardin partagé" in text and "Jardin des Tilleuls" in text and "Josiane" in text
    csv = client.get(reverse("workshops:csv", args=[running.pk])).content.decode()
    assert "'=cmd" in csv and "Un jardin partagé" in csv
    exported = user_export_data(user=josiane)
    assert "Un jardin partagé" in str(exported)
    personal_data_erasers()["workshops"](josiane)
    jo.refresh_from_db()
    assert jo.user is None and jo.display_name == "Participant·e parti·e"


@pytest.mark.parametrize("name", ["record", "pdf", "csv"])
def test_record_is_for_the_workspace(client, running, outsider, name):
    client.force_login(outsider)
    assert client.get(reverse(f"workshops:{name}", args=[running.pk])).status_code == 404


def test_odd_ids_are_not_server_errors(client, running, karim):
    huge = str(2**70)
    assert client.get(f"/ateliers/{huge}/").status_code == 404
    join(client, running)
    r = client.post(
        reverse("workshops:vote", args=[running.pk]),
        {"client_id": "x", "target_kind": "cluster", "target_id": huge},
    )
    assert r.status_code == 302
    client.force_login(karim)
    r = client.post(
        reverse("workshops:pilot_action", args=[running.pk, "masquer"]),
        {"id": huge, "reason": "x"},
        HTTP_HX_REQUEST="1",
    )
    assert 'role="alert"' in r.content.decode()
    r = client.post(
        reverse("workshops:pilot_action", args=[running.pk, "deplacer"]), {"id": "abc"}, HTTP_HX_REQUEST="1"
    )
    assert 'role="alert"' in r.content.decode()


def test_close_from_the_pilot_with_the_next_meeting(client, running, karim, workspace):
    client.force_login(karim)
    url = reverse("workshops:pilot_action", args=[running.pk, "clore"])
    r = client.post(url, {"next_meeting_at": "pas une date"}, follow=True)
    assert "prochain rendez-vous n&#x27;est pas valide" in r.content.decode()
    r = client.post(url, {"next_meeting_at": "2030-03-12T18:30"}, follow=True)
    assert "Atelier clos : 0 groupe(s) projet(s) créé(s)." in r.content.decode()
    running.refresh_from_db()
    assert running.status == "closed" and running.next_meeting_at.year == 2030
    home = workspace_timeline(workspace, karim)
    assert any("Prochain rendez-vous" in item.title for item in home["next"])
