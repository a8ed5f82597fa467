"""Fixtures for the ledger suites: the default chart, campaigns with funds, dates."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger.services.chart import chart_ensure_default
from tests.factories import CampaignFactory, EnterpriseFactory

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def chart(db):
    return {account.role: account for account in chart_ensure_default()}


@pytest.fixture
def campaign(chart):
    return CampaignFactory()


@pytest.fixture
def ph_enterprise(db):
    return EnterpriseFactory(country="PH", city="Quezon City")


@pytest.fixture
def ph_campaign(chart, ph_enterprise):
    return CampaignFactory(enterprise=ph_enterprise)
