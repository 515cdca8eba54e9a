"""`POST /api/credentials/{id}/test`: generic HTTP credentials against a URL, OAuth2 by renewal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hive_core.db.models import UserRole
from tests.api_auth.conftest import ApiFactory, auth

from .conftest import SECRET
from .servers import checking_server, token_server


@pytest.mark.parametrize("database_factory", ["sqlite"], indirect=True)
async def test_credential_tests(make_api: ApiFactory, make_key: Callable[..., Any]) -> None:
    admin = auth(await make_key(UserRole.OPERATOR))

    async def create(body: dict[str, Any]) -> str:
        response = await http.post("/api/credentials", json=body, headers=admin)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def check(credential_id: str, url: str | None = None) -> tuple[int, dict[str, Any]]:
        response = await http.post(f"/api/credentials/{credential_id}/test", json={"url": url}, headers=admin)
        return response.status_code, response.json()

    async with make_api() as http:
        with checking_server("X-Api-Key", SECRET) as api:
            good = await create(
                {"name": "good", "type": "httpHeaderAuth", "data": {"name": "X-Api-Key", "value": SECRET}}
            )
            bad = await create(
                {"name": "bad", "type": "httpHeaderAuth", "data": {"name": "X-Api-Key", "value": "no"}}
            )
            assert await check(good, f"{api.url}/") == (
                200,
                {"status": "OK", "message": "Connection tested successfully"},
            )
            status, body = await check(bad, f"{api.url}/")
            assert (
                status == 200
                and body["status"] == "Error"
                and "refused the credential (401)" in body["message"]
            )
            status, body = await check(good)
            assert status == 422 and "give a `url`" in body["error"]["message"]

        with checking_server("Authorization", "Basic dTpw") as api:  # base64("u:p")
            basic = await create(
                {"name": "basic", "type": "httpBasicAuth", "data": {"user": "u", "password": "p"}}
            )
            assert (await check(basic, api.url))[1]["status"] == "OK"

        with token_server("cid", "csecret", "r1") as tokens:
            data = {
                "accessTokenUrl": f"{tokens.url}/token",
                "clientId": "cid",
                "clientSecret": "csecret",
                "oauthTokenData": {"access_token": "old", "refresh_token": "r1"},
            }
            oauth = await create({"name": "oauth", "type": "oAuth2Api", "data": data})
            assert (await check(oauth))[1] == {"status": "OK", "message": "Token renewed"}
            # The renewed token was kept: the resource accepts it.
            assert (await check(oauth, f"{tokens.url}/me"))[1]["status"] == "OK"
            revoked = await create(
                {
                    "name": "revoked",
                    "type": "oAuth2Api",
                    "data": {**data, "oauthTokenData": {"refresh_token": "x"}},
                }
            )
            status, body = await check(revoked)
            assert status == 200 and body["status"] == "Error" and "400 invalid_grant" in body["message"]

        slack = await create({"name": "slack", "type": "slackApi", "data": {"accessToken": "xoxb"}})
        status, body = await check(slack, "http://127.0.0.1:1/")
        assert status == 422 and "cannot test 'slackApi' credentials yet" in body["error"]["message"]
        assert (await check("nope"))[0] == 404
