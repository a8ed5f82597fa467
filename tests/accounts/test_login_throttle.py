"""Signing in is throttled: a run of wrong passwords for one username from one address
locks that pair out for a while, on the sign-in page, the admin's and the API token's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

HERE, ELSEWHERE = "198.51.100.7", "198.51.100.8"


def token(api, username: str, password: str, ip: str = HERE, **extra):
    return api.post(reverse("api-token"), {"username": username, "password": password},
                    format="json", REMOTE_ADDR=ip, **extra)  # fmt: skip


def sign_in(client, username: str, password: str, ip: str = HERE, url: str | None = None):
    return client.post(url or reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=ip)  # fmt: skip


def minutes(settings) -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lock_out(api, username: str, settings, ip: str = HERE) -> list[int]:
    return [token(api, username, "wrong", ip).status_code
            for _ in range(settings.AXES_FAILURE_LIMIT)]  # fmt: skip


def test_the_token_endpoint_locks_out_after_the_failure_limit(api, donor, settings):
    codes = lock_out(api, "donor", settings)

    assert codes == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked = token(api, "donor", PASSWORD)
    assert locked.status_code == 429
    body = locked.json()
    wait = f"try again in {minutes(settings)} minutes"
    assert body["code"] == "locked_out" and wait in body["message"].lower()
    assert body["fields"] == {} and int(locked["Retry-After"]) == minutes(settings) * 60


def test_a_lockout_holds_one_username_at_one_address(api, donor, treasurer, settings):
    lock_out(api, "donor", settings)

    # Nobody can lock a donor out from somewhere else, nor a neighbour out of their account.
    assert token(api, "donor", PASSWORD, ip=ELSEWHERE).status_code == 200
    assert token(api, "treasurer", PASSWORD).status_code == 200


def test_a_forged_x_forwarded_for_does_not_escape_the_login_lockout(api, donor, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    codes = [token(api, "donor", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
             for n in range(settings.AXES_FAILURE_LIMIT)]  # fmt: skip

    assert codes[-1] == 429
    assert token(api, "donor", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_the_sign_in_page_locks_out_with_a_page_that_says_so(client, donor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "donor", "wrong").status_code == 200

    locked = sign_in(client, "donor", "wrong")

    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many failed sign-ins" in html and "<main" in html
    assert f"{minutes(settings)} minutes" in html
    assert sign_in(client, "donor", PASSWORD).status_code == 429
    assert sign_in(client, "donor", PASSWORD, ip=ELSEWHERE).status_code == 302


def test_the_admin_sign_in_locks_out_too(client, admin_user, settings):
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "admin", "wrong", url=url)

    assert response.status_code == 429
    assert sign_in(client, "admin", PASSWORD, url=url).status_code == 429


def test_a_correct_sign_in_after_the_cool_off_works(api, client, donor, settings):
    lock_out(api, "donor", settings)
    assert sign_in(client, "donor", PASSWORD).status_code == 429

    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )

    assert token(api, "donor", PASSWORD).status_code == 200
    assert sign_in(client, "donor", PASSWORD).status_code == 302


def test_a_correct_sign_in_clears_the_earlier_mistakes(api, donor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        token(api, "donor", "wrong")
    assert token(api, "donor", PASSWORD).status_code == 200

    codes = [token(api, "donor", "wrong").status_code
             for _ in range(settings.AXES_FAILURE_LIMIT - 1)]  # fmt: skip

    assert 429 not in codes


def test_the_token_endpoint_is_throttled_per_client_whatever_the_usernames(api, db, settings):
    # Guessing across many usernames from one address never trips the per-username
    # lockout; the endpoint's own rate limit stops it.
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth-token"]
    allowed = int(rate.split("/")[0])
    codes = [token(api, f"nobody{n}", "wrong").status_code for n in range(allowed + 1)]

    assert set(codes[:allowed]) == {400} and codes[-1] == 429
    body = token(api, "nobody", "wrong").json()
    assert body["code"] == "throttled" and body["message"]
    assert token(api, "nobody", "wrong", ip=ELSEWHERE).status_code == 400


def test_the_test_clients_login_still_works(client, donor):
    # Django's test client signs in without a request; the suite relies on it.
    assert client.login(username="donor", password=PASSWORD)
    assert not client.login(username="donor", password="wrong")
