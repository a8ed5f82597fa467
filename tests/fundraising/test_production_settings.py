"""Production cannot start unsafe: every refusal of fundraising/settings/production.py, the
production-like local settings (local_production.py), and which settings the web servers and
the worker load when nobody names one.

Each case imports the settings in a fresh interpreter with a controlled environment (nothing
of this run's DATABASE_URL, REDIS_URL, ... leaks in) and reads back what it decided.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "czxj$7xdkt^atyi86+62sp!d*mz(d_0wxb15d+@_y--309e^od"  # get_random_secret_key()
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "gotong.example",
    "SITE_URL": "https://gotong.example",
    "DATABASE_URL": "postgres://u@db.example/gotong",
    "REDIS_URL": "redis://r.example/0",
    "STRIPE_SECRET_KEY": "sk_live_real",
    "STRIPE_WEBHOOK_SECRET": "whsec_real",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "smtp.gotong.example",
}
LOCAL = {
    "SECRET_KEY": STRONG_KEY,
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
}
READ_BACK = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'module': s.SETTINGS_MODULE, 'debug': s.DEBUG, "
    "'csp': s.CONTENT_SECURITY_POLICY, 'hsts': s.SECURE_HSTS_SECONDS, "
    "'hsts_subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'hsts_preload': s.SECURE_HSTS_PRELOAD, "
    "'nosniff': s.SECURE_CONTENT_TYPE_NOSNIFF, 'referrer': s.SECURE_REFERRER_POLICY, "
    "'frames': s.X_FRAME_OPTIONS, 'session_secure': s.SESSION_COOKIE_SECURE, "
    "'csrf_secure': s.CSRF_COOKIE_SECURE, 'ssl_redirect': s.SECURE_SSL_REDIRECT, "
    "'demo': getattr(s, 'DEMO_DATA_ALLOWED', None), 'email': s.EMAIL_BACKEND, "
    "'checkout': getattr(s, 'STRIPE_CHECKOUT_ORIGIN', None), "
    "'middleware': s.MIDDLEWARE}, default=str))"
)


def run(code: str, env: dict[str, str], module: str | None) -> subprocess.CompletedProcess:
    """`code` in a fresh interpreter whose environment is exactly `env` (and PATH/HOME)."""
    base = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    if module:
        base["DJANGO_SETTINGS_MODULE"] = module
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**base, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production(**overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in {**PRODUCTION, **overrides}.items() if v is not None}
    return run(READ_BACK, env, "fundraising.settings.production")


def local_production(**overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in {**LOCAL, **overrides}.items() if v is not None}
    return run(READ_BACK, env, "fundraising.settings.local_production")


def refused(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr and "Refusing to start" in result.stderr
    return result.stderr.strip().splitlines()[-1]


def read_back(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- production.py ------------------------------------------------------------------------


def test_a_fully_configured_production_starts_with_its_hardening():
    got = read_back(production())
    assert got["module"] == "fundraising.settings.production" and got["debug"] is False
    assert got["hsts"] >= 60 * 60 * 24 * 30 and got["hsts_subdomains"] is True
    assert got["hsts_preload"] is False  # preloading is a deliberate, hard-to-undo choice
    assert got["session_secure"] and got["csrf_secure"] and got["ssl_redirect"]
    assert got["nosniff"] is True and got["frames"] == "DENY"
    assert got["referrer"] == "same-origin"
    assert got["demo"] is False
    assert "fundraising.csp_middleware.CSPMiddleware" in got["middleware"]


@pytest.mark.parametrize("backend", ["console", "locmem", "dummy", "filebased"])
def test_production_never_prints_donors_emails_into_logs(backend):
    message = refused(production(EMAIL_BACKEND=f"django.core.mail.backends.{backend}.EmailBackend"))
    assert "EMAIL_BACKEND" in message


def test_production_without_an_email_backend_refuses_the_console_default():
    assert "EMAIL_BACKEND" in refused(production(EMAIL_BACKEND=None))


@pytest.mark.parametrize("url", ["http://gotong.example", "gotong.example", "https://", ""])
def test_production_refuses_a_site_url_that_is_not_https(url):
    assert "SITE_URL" in refused(production(SITE_URL=url))


@pytest.mark.parametrize(
    "key",
    [
        "x" * 50,  # one character
        "ab" * 30,  # a repetition
        "abcdefgh12345678" * 4,  # a longer repetition, with two classes
        "qwertyuiopasdfghjklzxcvbnmqwertyuiopasdfghjklzxcvbnm",  # one class
        "thisisaverylongsecretkeythatnobodywillguess1234567890",  # dictionary words
        "ThisIsMyVerySecretProductionKeyForGotong2024Please!",
        "django-insecure-" + STRONG_KEY,  # what startproject writes into settings.py
        "dev-only-insecure-key-change-me",  # the development key
        STRONG_KEY[:40],  # too short
    ],
)
def test_production_refuses_a_weak_secret_key(key):
    assert "SECRET_KEY" in refused(production(SECRET_KEY=key))


@pytest.mark.parametrize(
    "key",
    [
        STRONG_KEY,
        "3f1c9a0be27d4c5f8a6b1e2d3c4b5a69788f7e6d5c4b3a291807f6e5d4c3b2a1",  # token_hex(32)
        "bench-webhooks-9c2f4e1a7b3d5f6e8a0c1b2d3e4f5a6b7c8d9e0f1a2b3c4d",  # the bench's
        "mF3kPz9QwL2xVb7NcR4tYh8JsD1gUe6AaO5iK0lZqX-_nB3vC7mW2eT9rY4uI8o",  # token_urlsafe
    ],
)
def test_production_accepts_a_random_secret_key(key):
    read_back(production(SECRET_KEY=key))


def test_production_lists_every_problem_at_once():
    message = refused(production(
        SECRET_KEY="x" * 50, SITE_URL="http://gotong.example", DEBUG="true",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend", REDIS_URL=None,
    ))  # fmt: skip
    for problem in ("DEBUG", "SECRET_KEY", "SITE_URL", "EMAIL_BACKEND", "REDIS_URL"):
        assert problem in message


def test_production_csp_allows_no_inline_script_and_no_third_party_origin():
    policy = read_back(production())["csp"]["DIRECTIVES"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    flat = json.dumps(policy)
    assert "unsafe-inline" not in flat and "unsafe-eval" not in flat and "*" not in flat


def test_production_lets_the_gift_form_go_on_to_stripes_checkout_page_only():
    # fundraising/csp_middleware.py adds it to form-action (see tests/fundraising/test_csp.py)
    assert read_back(production())["checkout"] == "https://checkout.stripe.com"
    assert "STRIPE_CHECKOUT_ORIGIN" in refused(
        production(STRIPE_CHECKOUT_ORIGIN="http://x.example")
    )


def test_the_tests_and_the_browser_test_run_productions_policy(settings):
    assert read_back(production())["csp"] == json.loads(
        json.dumps(settings.CONTENT_SECURITY_POLICY)
    )


# --- the entry points: wsgi, asgi, Celery ---------------------------------------------------


@pytest.mark.parametrize("entry", ["fundraising.wsgi", "fundraising.asgi", "fundraising.celery"])
def test_the_servers_and_the_worker_load_production_unless_told_otherwise(entry):
    code = (
        f"import {entry}, django; django.setup(); from django.conf import settings; "
        "print(settings.SETTINGS_MODULE)"
    )
    started = run(code, PRODUCTION, module=None)
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip().splitlines()[-1] == "fundraising.settings.production"
    # ... so an unconfigured server refuses to start rather than serving development defaults
    bare = run(code, {}, module=None)
    assert bare.returncode != 0 and "Refusing to start" in bare.stderr


# --- local_production.py --------------------------------------------------------------------


def test_local_production_runs_production_hardening_on_the_sandbox_and_sqlite():
    got = read_back(local_production())
    assert got["module"] == "fundraising.settings.local_production" and got["debug"] is False
    assert got["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert got["session_secure"] and got["csrf_secure"] and got["hsts_subdomains"]
    assert got["ssl_redirect"] is False  # plain HTTP on loopback
    assert got["nosniff"] and got["frames"] == "DENY" and got["referrer"] == "same-origin"
    assert got["csp"] == read_back(production())["csp"]  # the same policy


def test_local_production_accepts_local_postgresql():
    read_back(local_production(DATABASE_URL="postgres://postgres@127.0.0.1:5432/gotong"))


def test_local_production_ignores_debug_from_the_environment():
    assert read_back(local_production(DEBUG="true"))["debug"] is False


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 60}, "SECRET_KEY"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "EMAIL_BACKEND"),
        ({"EMAIL_HOST": "smtp.gotong.example"}, "EMAIL_HOST"),
        ({"SITE_URL": "https://gotong.example"}, "SITE_URL"),
        ({"DATABASE_URL": "postgres://u@db.example/gotong"}, "DATABASE_URL"),
        ({"STRIPE_SECRET_KEY": "sk_live_real"}, "STRIPE_SECRET_KEY"),
    ],
)
def test_local_production_refuses_what_is_not_local(overrides, problem):
    assert problem in refused(local_production(**overrides))
