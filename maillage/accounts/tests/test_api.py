from maillage.accounts.services import api_token_create, api_token_revoke


def test_me_requires_authentication_with_a_typed_error(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_me_with_a_token(client, workspace, josiane):
    _token, raw = api_token_create(user=josiane, name="Logiciel du centre social")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    body = response.json()
    assert body["display_name"] == "Josiane"
    assert body["memberships"] == [
        {"workspace": workspace.slug, "workspace_name": "Quartier des Tilleuls", "role": "habitant"}
    ]


def test_revoked_or_wrong_token_is_refused(client, josiane):
    token, raw = api_token_create(user=josiane, name="x")
    api_token_revoke(user=josiane, token_id=token.pk)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer mlg_nope"}).status_code == 401


def test_me_with_the_browser_session(client, josiane):
    client.force_login(josiane)
    assert client.get("/api/v1/me").json()["email"] == "josiane@example.org"


def test_openapi_schema_and_docs(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_unknown_api_path_is_a_404_not_a_500(client, db):
    assert client.get("/api/v1/nothing-here").status_code == 404
