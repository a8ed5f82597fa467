"""The platform around the campaigns: health check, production settings, demo data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from campaigns.models import Campaign, CampaignStatus, Enterprise

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok" and response.json()["broker"].startswith("ok")


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["broker"].startswith("down")


def _production(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in (
        "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET", "ALLOWED_HOSTS")}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "fundraising.settings.production", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_development_defaults():
    result = _production({"DEBUG": "false"})
    assert result.returncode != 0
    for problem in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "STRIPE_SECRET_KEY"):
        assert problem in result.stderr


def test_production_starts_when_configured():
    # A random key, a real mail backend and an https address: "x" * 50, the console backend
    # and http:// are refused (tests/fundraising/test_production_settings.py).
    result = _production({
        "DEBUG": "false", "SECRET_KEY": "czxj$7xdkt^atyi86+62sp!d*mz(d_0wxb15d+@_y--309e^od",
        "ALLOWED_HOSTS": "gotong.example", "SITE_URL": "https://gotong.example",
        "DATABASE_URL": "postgres://u@db.example/gotong", "REDIS_URL": "redis://r.example/0",
        "STRIPE_SECRET_KEY": "sk_live_real", "STRIPE_WEBHOOK_SECRET": "whsec_real",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    })  # fmt: skip
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_covers_every_state():
    call_command("seed_demo")
    first = (Enterprise.objects.count(), Campaign.objects.count())
    call_command("seed_demo")
    assert (Enterprise.objects.count(), Campaign.objects.count()) == first
    assert first[0] >= 8 and first[1] >= 12
    assert set(Campaign.objects.values_list("status", flat=True)) == set(CampaignStatus.values)
    currencies = set(Campaign.objects.values_list("goal_currency", flat=True))
    assert {"MYR", "IDR", "PHP", "THB", "INR", "JPY", "KRW", "USD"} <= currencies
    assert len(set(Enterprise.objects.values_list("country", flat=True))) >= 6
    ended = Campaign.objects.filter(status=CampaignStatus.ENDED).first()
    assert ended.transitions.count() == 4  # submitted, approved, live, ended
