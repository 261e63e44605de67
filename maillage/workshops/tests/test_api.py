import uuid

import pytest

from maillage.accounts.services import api_token_create
from maillage.workshops.models import Contribution, Participant, Workshop

API = "/api/v1/workshops"


@pytest.fixture
def bearer(karim):
    _token, raw = api_token_create(user=karim, name="Banc d'essai")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, path, data, **headers):
    return client.post(API + path, data, content_type="application/json", **headers)


def test_a_whole_workshop_through_the_api(client, workspace, templates, bearer):
    listed = client.get(f"{API}/templates?workspace={workspace.slug}", **bearer).json()
    avenir = next(t for t in listed if t["key"] == "atelier-de-l-avenir")
    r = post(
        client,
        "",
        {"workspace": workspace.slug, "template": avenir["id"], "title": "Avenir", "dots_per_participant": 3},
        **bearer,
    )
    assert r.status_code == 201, r.content
    w = r.json()
    assert w["board_key"] and w["ws_path"] == f"/ws/ateliers/{w['id']}/"
    assert (
        post(client, f"/{w['id']}/phase", {"action": "goto", "phase_order": 2}, **bearer).status_code == 200
    )

    joined = post(
        client,
        "/join",
        {
            "code": w["join_code"].lower(),
            "display_name": "Léa",
            "role_as": "habitant",
            "first_time": True,
            "consent": True,
        },
    )
    assert joined.status_code == 201
    me = {"HTTP_X_PARTICIPANT_TOKEN": joined.json()["token"]}
    cid = str(uuid.uuid4())
    first = post(
        client, f"/{w['id']}/contributions", {"client_id": cid, "text": "<script>alert(1)</script>"}, **me
    )
    again = post(
        client, f"/{w['id']}/contributions", {"client_id": cid, "text": "<script>alert(1)</script>"}, **me
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and again.json()["created"] is False
    target = first.json()["id"]
    vote = post(
        client,
        f"/{w['id']}/votes",
        {"client_id": str(uuid.uuid4()), "target_kind": "contribution", "target_id": target},
        **me,
    )
    assert vote.status_code == 201 and vote.json()["dots_left"] == 2
    state = client.get(f"{API}/{w['id']}/state", **me).json()
    assert state["my_dots_left"] == 2 and state["votes"] == {}  # not revealed
    assert state["contributions"][0]["text"] == "<script>alert(1)</script>"
    board = client.get(f"{API}/{w['id']}/state?board_key={w['board_key']}").json()
    assert len(board["contributions"]) == 1
    assert client.delete(f"{API}/{w['id']}/votes/{vote.json()['id']}", **me).json() == {"dots_left": 3}

    cluster = post(
        client,
        f"/{w['id']}/clusters",
        {"client_id": str(uuid.uuid4()), "title": "Sécurité", "contribution_ids": [target]},
        **bearer,
    )
    assert cluster.status_code == 201
    r = client.put(
        f"{API}/{w['id']}/contributions/{target}/cluster",
        {"cluster_id": None},
        content_type="application/json",
        **bearer,
    )
    assert r.status_code == 200 and Contribution.objects.get(pk=target).cluster_id is None
    assert post(client, f"/{w['id']}/suggestions", {}, **bearer).json() == []  # a single post-it
    assert (
        post(client, f"/{w['id']}/contributions/{target}/hide", {"reason": "Test"}, **bearer).status_code
        == 200
    )
    project = post(client, f"/{w['id']}/projects", {"title": "Jardin", "objective": "Cultiver"}, **bearer)
    assert project.status_code == 201
    post(client, f"/{w['id']}/phase", {"action": "goto", "phase_order": 4}, **bearer)
    signup = post(client, f"/{w['id']}/projects/{project.json()['id']}/signups", {}, **me)
    assert signup.status_code == 200
    closed = post(client, f"/{w['id']}/close", {}, **bearer)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert [c["name"] for c in closed.json()["collectives"]] == ["Jardin"]
    record = client.get(f"{API}/{w['id']}", **bearer).json()
    assert record["figures"]["participants"] == 1 and record["figures"]["first_timers"] == 1
    assert record["collectives"] == ["Jardin"]


def test_typed_errors(client, running, bearer, josiane):
    assert post(client, "/join", {"code": "ZZZZZZ", "display_name": "A", "consent": True}).status_code == 400
    r = post(
        client,
        "/join",
        {"code": running.join_code, "display_name": "A", "role_as": "habitant", "consent": False},
    )
    assert r.status_code == 400 and "accord" in r.json()["error"]["message"]
    # no token, wrong token, forged token
    assert (
        post(
            client, f"/{running.pk}/contributions", {"client_id": str(uuid.uuid4()), "text": "x"}
        ).status_code
        == 401
    )
    bad = {"HTTP_X_PARTICIPANT_TOKEN": "nope"}
    assert (
        post(
            client, f"/{running.pk}/contributions", {"client_id": str(uuid.uuid4()), "text": "x"}, **bad
        ).status_code
        == 401
    )
    assert client.get(f"{API}/{running.pk}/state").status_code == 404
    assert client.get(f"{API}/{running.pk}/state?board_key=wrong").status_code == 404
    assert post(client, f"/{running.pk}/phase", {"action": "next"}).status_code == 401
    client.force_login(josiane)
    assert post(client, f"/{running.pk}/phase", {"action": "next"}).status_code == 403
    assert client.get(f"{API}/999999").status_code == 404
    joined = post(
        client, "/join", {"code": running.join_code, "display_name": "B", "role_as": "elu", "consent": True}
    )
    me = {"HTTP_X_PARTICIPANT_TOKEN": joined.json()["token"]}
    r = post(
        client,
        f"/{running.pk}/votes",
        {"client_id": str(uuid.uuid4()), "target_kind": "cluster", "target_id": 12345},
        **me,
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request"


def test_session_writes_need_csrf(running, karim):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(karim)
    r = post(client, f"/{running.pk}/phase", {"action": "next"})
    assert r.status_code == 403
    running.refresh_from_db()
    assert running.current_phase == 2


def test_join_with_account_links_it(client, running, josiane):
    _token, raw = api_token_create(user=josiane, name="x")
    r = post(
        client,
        "/join",
        {"code": running.join_code, "role_as": "habitant", "consent": True},
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert r.status_code == 201
    assert Participant.objects.get(pk=r.json()["participant_id"]).user == josiane
    assert Workshop.objects.count() == 1


def test_odd_input_is_a_typed_error_never_a_500(client, running, bearer, nadia):
    from maillage.workshops.services import participant_token

    me = {"HTTP_X_PARTICIPANT_TOKEN": participant_token(nadia)}
    huge = 2**70
    assert client.get(f"{API}/{running.pk}/state?board_key=clé-é").status_code == 404
    assert client.get(f"{API}/{huge}").status_code == 404
    r = post(
        client,
        f"/{running.pk}/votes",
        {"client_id": str(uuid.uuid4()), "target_kind": "cluster", "target_id": huge},
        **me,
    )
    assert r.status_code in (400, 422)
    r = post(
        client,
        f"/{running.pk}/contributions",
        {"client_id": str(uuid.uuid4()), "text": "x", "on_behalf_of": huge},
        **bearer,
    )
    assert r.status_code in (400, 422)
    r = post(
        client,
        f"/{running.pk}/clusters",
        {"client_id": str(uuid.uuid4()), "title": "x", "contribution_ids": [huge]},
        **bearer,
    )
    assert r.status_code in (200, 201, 400, 422)
    r = post(client, f"/{running.pk}/projects", {"title": "x", "cluster_id": huge}, **bearer)
    assert r.status_code in (400, 422)
    r = post(client, f"/{running.pk}/phase", {"action": "goto", "phase_order": huge}, **bearer)
    assert r.status_code in (400, 422)
    r = post(client, "/join", {"code": "é" * 6, "display_name": "A", "consent": True})
    assert r.status_code == 400
