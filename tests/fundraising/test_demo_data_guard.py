"""`seed_demo` creates a superuser whose password is written in this repository: it must never
run against production's database."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from campaigns.models import Campaign


@pytest.mark.django_db
def test_seed_demo_refuses_to_create_its_known_superuser_under_production_settings(settings):
    settings.DEMO_DATA_ALLOWED = False  # as fundraising/settings/production.py sets it
    with pytest.raises(CommandError, match="DEMO_DATA_ALLOWED"):
        call_command("seed_demo")
    assert not get_user_model().objects.exists() and not Campaign.objects.exists()


@pytest.mark.django_db
def test_seed_demo_refuses_when_settings_do_not_allow_demo_data_explicitly(settings):
    del settings.DEMO_DATA_ALLOWED  # a settings module that never said: refuse
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not get_user_model().objects.exists()


def test_development_and_test_settings_allow_demo_data(settings):
    assert settings.DEMO_DATA_ALLOWED is True
