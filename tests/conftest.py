"""Fixtures every suite shares: users in each role, and the database's vendor."""

from __future__ import annotations

import pytest
from django.db import connection
from rest_framework.test import APIClient

from common.roles import Role, role_grant
from tests.factories import EnterpriseFactory, UserFactory

pytest_plugins: list[str] = [
    "tests.fixtures.sandbox",
    "tests.fixtures.localstripe",
    "tests.fixtures.giving",
]


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def donor(db):
    return UserFactory(username="donor")


@pytest.fixture
def reviewer(db):
    user = UserFactory(username="reviewer")
    role_grant(user=user, role=Role.REVIEWER)
    return user


@pytest.fixture
def treasurer(db):
    user = UserFactory(username="treasurer")
    role_grant(user=user, role=Role.TREASURER)
    return user


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def member_user(db):
    return UserFactory(username="member")


@pytest.fixture
def enterprise(member_user):
    """A member enterprise of the network in Malaysia, with `member_user` as its member."""
    return EnterpriseFactory(members=[member_user])


@pytest.fixture
def other_member(db):
    """A member of a different enterprise (must not see `enterprise`'s drafts)."""
    user = UserFactory(username="othermember")
    EnterpriseFactory(members=[user], country="ID", city="Yogyakarta")
    return user


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that really commits restores the database it found (serialized rollback).

    A transactional test without it ends with a flush that re-creates content types under
    new ids, and the next test that restores the serialized database then collides with
    them, so the suites' results depended on their order.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        names = set(getattr(item, "fixturenames", ()))
        transactional = bool(names & {"transactional_db", "live_server"}) or bool(
            marker and marker.kwargs.get("transaction")
        )
        if transactional:
            kwargs = {**(marker.kwargs if marker else {}), "transaction": True,
                      "serialized_rollback": True}  # fmt: skip
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
