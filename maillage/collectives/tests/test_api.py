import json
from datetime import timedelta

import pytest
from django.utils import timezone

from maillage.accounts.services import api_token_create
from maillage.collectives.services import decision_record, proposal_add, session_close
from maillage.workspaces.models import Workspace

API = "/api/v1/collectives"


def get(client, path, **headers):
    response = client.get(path, headers=headers)
    return response.status_code, response.json()


def test_list_needs_a_visible_workspace(client, collective, outsider, josiane):
    status, body = get(client, f"{API}?workspace={collective.workspace.slug}")
    assert status == 404 and body["error"]["code"] == "not_found"
    client.force_login(outsider)
    assert get(client, f"{API}?workspace={collective.workspace.slug}")[0] == 404
    client.force_login(josiane)
    status, body = get(client, f"{API}?workspace={collective.workspace.slug}")
    assert status == 200 and body["count"] == 1
    item = body["items"][0]
    assert item["name"] == "Jardins partagés" and item["member_count"] == 4
    assert item["origin"] == "atelier" and item["themes"] == ["jardins", "convivialité"]
    assert item["url"] == collective.get_absolute_url()


def test_list_without_workspace_is_a_typed_error(client, db):
    status, body = get(client, API)
    assert status == 422 and body["error"]["code"] == "invalid_input"


def test_detail_lists_members_by_chosen_name_never_contacts(client, collective, josiane):
    client.force_login(josiane)
    status, body = get(client, f"{API}/{collective.pk}")
    assert status == 200
    assert sorted(m["name"] for m in body["members"]) == ["Fatou", "Josiane", "Karim", "Marc"]
    raw = json.dumps(body)
    assert "06 12 34 56 78" not in raw and "@example.org" not in raw and "contact" not in raw
    assert body["composition"]["people_percent"] == 50 and body["composition"]["below_target"] is False
    assert body["stage_history"][0]["to_stage"] == "emergence"


def test_anonymous_on_a_public_workspace_gets_no_member_list(client, collective):
    Workspace.objects.filter(pk=collective.workspace.pk).update(visibility=Workspace.Visibility.PUBLIC)
    status, body = get(client, f"{API}/{collective.pk}")
    assert status == 200 and body["members"] is None and body["composition"]["total"] == 4
    assert "Fatou" not in json.dumps(body)
    assert get(client, f"{API}?workspace={collective.workspace.slug}")[0] == 200


def test_bearer_token_and_wrong_token(client, collective, karim):
    _token, raw = api_token_create(user=karim, name="Logiciel CAF")
    assert get(client, f"{API}/{collective.pk}", Authorization=f"Bearer {raw}")[0] == 200
    assert get(client, f"{API}/{collective.pk}", Authorization="Bearer faux")[0] == 401


def test_sessions_and_decisions(client, collective, past_session, karim, josiane):
    proposal = proposal_add(actor=josiane, collective=collective, text="Un composteur")
    decision_record(
        actor=karim,
        collective=collective,
        text="Composteur adopté",
        level="codecision",
        method="consensus",
        session=past_session,
        answers={proposal: "Installé en avril"},
    )
    session_close(
        actor=karim,
        session=past_session,
        next_objectives="Visiter la parcelle",
        next_starts_at=timezone.now() + timedelta(days=7),
    )
    client.force_login(josiane)
    status, body = get(client, f"{API}/{collective.pk}/sessions")
    assert status == 200 and body["count"] == 2
    assert body["items"][0]["objectives"] == "Visiter la parcelle" and body["items"][0]["closed"] is False
    assert body["items"][1]["closed"] is True
    status, body = get(client, f"{API}/{collective.pk}/decisions")
    assert status == 200 and body["count"] == 1
    decision = body["items"][0]
    assert decision["level"] == "codecision" and decision["session_id"] == past_session.pk
    assert decision["answered_proposals"] == [
        {
            "id": proposal.pk,
            "text": "Un composteur",
            "author": "Josiane",
            "retour": "Installé en avril",
            "retour_at": decision["answered_proposals"][0]["retour_at"],
        }
    ]
    status, detail = get(client, f"{API}/{collective.pk}")
    assert detail["next_session"]["objectives"] == "Visiter la parcelle"


@pytest.mark.parametrize("suffix", ["", "/sessions", "/decisions"])
def test_forbidden_and_missing_collectives_are_404(client, collective, outsider, suffix):
    client.force_login(outsider)
    assert get(client, f"{API}/{collective.pk}{suffix}")[0] == 404
    assert get(client, f"{API}/999999{suffix}")[0] == 404


def test_pagination_bounds_are_checked(client, collective, josiane):
    client.force_login(josiane)
    assert get(client, f"{API}/{collective.pk}/sessions?limit=0")[0] == 422
    assert get(client, f"{API}/{collective.pk}/decisions?offset=-1")[0] == 422


# --- Writes -------------------------------------------------------------------------------------------------


def post(client, path, payload, method="post", **headers):
    response = getattr(client, method)(
        path, data=json.dumps(payload), content_type="application/json", headers=headers
    )
    return response.status_code, response.json()


def test_writes_need_authentication_and_rights(client, collective, josiane, paul):
    path = f"{API}/{collective.pk}/tasks"
    assert post(client, path, {"title": "x"})[0] == 401
    for persona in (josiane, paul):
        _t, raw = api_token_create(user=persona, name="app")
        status, body = post(client, path, {"title": "x"}, Authorization=f"Bearer {raw}")
        assert status == 403 and body["error"]["code"] == "forbidden"


def test_members_without_account_need_consent(client, collective, karim):
    _t, raw = api_token_create(user=karim, name="app")
    auth = {"Authorization": f"Bearer {raw}"}
    path = f"{API}/{collective.pk}/members"
    status, body = post(client, path, {"pseudonym": "Léa", "category": "habitant"}, **auth)
    assert status == 400 and "accord" in body["error"]["message"]
    status, body = post(
        client, path, {"pseudonym": "Léa", "consent": True, "contact": "06", "category": "habitant"}, **auth
    )
    assert status == 201 and body["name"] == "Léa" and "contact" not in body
    status, body = post(client, path, {"pseudonym": "Léa", "consent": True, "category": "astronaute"}, **auth)
    assert status == 422


def test_session_attendance_decision_and_tasks_through_the_api(client, collective, karim, josiane):
    _t, raw = api_token_create(user=karim, name="app")
    auth = {"Authorization": f"Bearer {raw}"}
    start = (timezone.now() - timedelta(hours=1)).isoformat()
    status, session = post(
        client, f"{API}/{collective.pk}/sessions", {"starts_at": start, "place": "Mairie"}, **auth
    )
    assert status == 201
    members = list(collective.members.values_list("pk", flat=True))
    status, body = post(
        client,
        f"{API}/{collective.pk}/sessions/{session['id']}/attendance",
        {"statuses": {str(pk): "present" for pk in members}},
        **auth,
    )
    assert status == 200 and body["recorded"] == 4
    status, body = post(
        client, f"{API}/{collective.pk}/sessions/{session['id']}/attendance", {"statuses": {}}, **auth
    )
    assert status == 400 and "présentes" in body["error"]["message"]
    proposal = proposal_add(actor=josiane, collective=collective, text="Un composteur")
    payload = {
        "text": "Composteur en avril",
        "level": "codecision",
        "method": "consensus",
        "session_id": session["id"],
        "answers": [{"proposal_id": proposal.pk, "retour": "Retenue"}],
    }
    status, body = post(client, f"{API}/{collective.pk}/decisions", payload, **auth)
    assert status == 201 and body["answered"] == 1
    proposal.refresh_from_db()
    assert proposal.retour == "Retenue"
    fatou = collective.members.get(pseudonym="Fatou").pk
    status, task = post(
        client,
        f"{API}/{collective.pk}/tasks",
        {"title": "Graines", "owner_id": fatou, "due_on": "2030-01-01"},
        **auth,
    )
    assert status == 201 and task["owner"] == "Fatou"
    status, body = post(
        client, f"{API}/{collective.pk}/tasks/{task['id']}", {"status": "faite"}, method="patch", **auth
    )
    assert status == 200 and body["status"] == "faite"
    assert (
        post(client, f"{API}/{collective.pk}/tasks/{task['id']}", {"status": "bof"}, method="patch", **auth)[
            0
        ]
        == 422
    )
    assert post(client, f"{API}/{collective.pk}/tasks", {"title": "x", "owner_id": 999999}, **auth)[0] == 400
    status, body = get(client, f"{API}/{collective.pk}/tasks", **auth)
    assert status == 200 and body[0]["title"] == "Graines"


def test_writes_on_an_invisible_collective_are_404(client, collective, outsider):
    _t, raw = api_token_create(user=outsider, name="app")
    status, body = post(client, f"{API}/{collective.pk}/tasks", {"title": "x"}, Authorization=f"Bearer {raw}")
    assert status == 404
