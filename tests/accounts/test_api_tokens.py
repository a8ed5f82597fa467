"""API tokens expire, can be revoked one by one or all at once, and a new password
revokes them all."""

from __future__ import annotations

import importlib
from datetime import timedelta
from hashlib import sha1

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from knox.models import AuthToken

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

# A route any signed-in user may read, and anonymous callers may not.
SIGNED_IN_ONLY = "/api/v1/exchange-rates/"


def obtain(api, username: str, password: str = PASSWORD):
    return api.post(reverse("api-token"), {"username": username, "password": password},
                    format="json")  # fmt: skip


def call(api, key: str, url: str = SIGNED_IN_ONLY, method: str = "get"):
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    try:
        return getattr(api, method)(url)
    finally:
        api.credentials()


def test_a_token_is_given_for_a_username_and_password_and_expires(api, donor, settings):
    response = obtain(api, "donor")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert set(body) == {"token", "expiry"}
    ttl = timedelta(hours=settings.API_TOKEN_TTL_HOURS)
    expiry = parse_datetime(body["expiry"])
    assert abs(expiry - (timezone.now() + ttl)) < timedelta(minutes=1)
    assert call(api, body["token"]).status_code == 200
    # Only a digest is stored: the database does not hold a usable token.
    assert not AuthToken.objects.filter(digest=body["token"]).exists()


def test_a_wrong_password_gets_no_token(api, donor):
    response = obtain(api, "donor", "wrong")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    assert not AuthToken.objects.exists()


def test_an_expired_token_is_refused(api, donor):
    key = obtain(api, "donor").json()["token"]
    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))

    response = call(api, key)

    assert response.status_code == 401 and response.json()["message"]


def test_signing_out_revokes_only_this_token(api, donor):
    first, second = obtain(api, "donor").json()["token"], obtain(api, "donor").json()["token"]

    assert call(api, first, reverse("api-token-logout"), "post").status_code == 204

    assert call(api, first).status_code == 401
    assert call(api, second).status_code == 200


def test_signing_out_everywhere_revokes_every_token_of_the_user(api, donor, treasurer):
    first, second = obtain(api, "donor").json()["token"], obtain(api, "donor").json()["token"]
    others = obtain(api, "treasurer").json()["token"]

    assert call(api, first, reverse("api-token-logout-all"), "post").status_code == 204

    assert call(api, first).status_code == 401 and call(api, second).status_code == 401
    assert call(api, others).status_code == 200


def test_signing_out_needs_a_token(api, donor):
    api.force_login(donor)  # a session, no token to revoke

    response = api.post(reverse("api-token-logout"))

    assert response.status_code == 401 and response.json()["message"]


def test_a_new_password_revokes_the_users_tokens(api, donor, treasurer):
    key = obtain(api, "donor").json()["token"]
    others = obtain(api, "treasurer").json()["token"]

    donor.set_password("a-brand-new-passphrase")
    donor.save()

    assert call(api, key).status_code == 401
    assert call(api, others).status_code == 200


def test_a_password_changed_in_the_admin_revokes_the_users_tokens(api, client, donor,
                                                                  admin_user):  # fmt: skip
    key = obtain(api, "donor").json()["token"]
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:auth_user_password_change", args=[donor.pk]),
        {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase",
         "usable_password": "true"},
    )  # fmt: skip

    assert response.status_code == 302, response.content
    assert call(api, key).status_code == 401


def test_a_password_disabled_in_the_admin_revokes_the_users_tokens(api, donor):
    key = obtain(api, "donor").json()["token"]

    donor.set_unusable_password()
    donor.save()

    assert call(api, key).status_code == 401


def test_other_changes_to_the_user_keep_the_tokens(api, client, donor):
    key = obtain(api, "donor").json()["token"]
    donor.first_name = "Siti"
    donor.save()
    assert client.login(username="donor", password=PASSWORD)  # saves last_login

    assert call(api, key).status_code == 200


def test_a_token_of_the_old_kind_keeps_working_until_the_new_expiry(api, donor, settings):
    """The data migration turns DRF's 40-character tokens into knox rows with an expiry."""
    migration = importlib.import_module("fundraising.migrations.0001_knox_tokens_from_authtoken")
    key = sha1(b"an old token").hexdigest()  # noqa: S324 - any 40 hex characters
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
                       "created timestamp NOT NULL, user_id integer NOT NULL)")  # fmt: skip
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)",
                       [key, timezone.now(), donor.pk])  # fmt: skip

    migration.tokens_from_authtoken(apps, connection)

    assert "authtoken_token" not in connection.introspection.table_names()
    assert call(api, key).status_code == 200
    token = AuthToken.objects.get(user=donor)
    ttl = timedelta(hours=settings.API_TOKEN_TTL_HOURS)
    assert abs(token.expiry - (timezone.now() + ttl)) < timedelta(minutes=1)
    assert call(api, key, reverse("api-token-logout"), "post").status_code == 204
    assert call(api, key).status_code == 401


def test_drf_authtoken_is_gone(settings):
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS
    authentication = settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]
    assert "knox.auth.TokenAuthentication" in authentication


def test_the_auth_routes_are_in_the_api_docs(api):
    paths = api.get(reverse("schema"), {"format": "json"}).json()["paths"]

    for path in ("/api/v1/auth/token/", "/api/v1/auth/logout/", "/api/v1/auth/logout-all/"):
        assert paths[path]["post"]["description"], path
    token = paths["/api/v1/auth/token/"]["post"]
    assert {"200", "400", "429"} <= set(token["responses"])
