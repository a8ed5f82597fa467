"""Staff roles keep their admin permissions through model moves and renames.

The re-cut moved the reconciliation and treasury models out of `ledger` and renamed two of
them; the treasurer must still open their admin pages on an upgraded database (the migration
renames the permissions with the models) and on a new one (the role names the new apps), and
a group made before a model existed receives it on the next migrate."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from common.roles import Role, role_grant, role_group

pytestmark = pytest.mark.django_db

MOVED_APPS = ("treasury", "reconciliation")


def perms(group: Group) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_a_new_treasurer_may_open_every_treasurer_model_in_the_admin(django_user_model):
    user = django_user_model.objects.create_user("t1")
    role_grant(user=user, role=Role.TREASURER)
    user = django_user_model.objects.get(pk=user.pk)
    for app_label in MOVED_APPS + ("ledger", "donors", "webhooks"):
        for model in apps.get_app_config(app_label).get_models():
            name = model._meta.model_name
            assert user.has_perm(f"{app_label}.view_{name}"), f"{app_label}.{name}"
    assert not user.has_perm("campaigns.change_campaign")


def test_a_group_made_before_the_move_receives_the_moved_apps_on_migrate():
    group = Group.objects.create(name=Role.TREASURER.value)
    group.permissions.set(Permission.objects.filter(content_type__app_label="ledger"))
    assert not any(p.split(".")[0] in MOVED_APPS for p in perms(group))

    call_command("migrate", verbosity=0)  # nothing to apply: post_migrate still runs

    held = perms(group)
    assert "reconciliation.view_providerpayout" in held
    assert "treasury.change_disbursement" in held
    assert "campaigns.change_campaign" not in held
    reviewer = role_group(Role.REVIEWER)
    assert not any(p.split(".")[0] in MOVED_APPS for p in perms(reviewer))


def test_the_migration_renames_the_permissions_of_the_renamed_models():
    """What an upgraded database holds before reconciliation.0001: the models under
    `ledger` with Stripe's names, their permissions held by the treasurer group."""
    migration = import_module("reconciliation.migrations.0001_initial")
    ContentType.objects.filter(app_label="reconciliation").delete()  # as before the move
    group = Group.objects.create(name=Role.TREASURER.value)
    for old, (verbose, _) in migration.RENAMED.items():
        ct = ContentType.objects.create(app_label="ledger", model=old)
        for action in migration.ACTIONS:
            group.permissions.add(
                Permission.objects.create(
                    content_type=ct, codename=f"{action}_{old}", name=f"Can {action} {verbose}"
                )
            )

    migration.move_content_types(apps, None)

    held = perms(group)
    for new in ("providertransaction", "providerpayout"):
        assert {f"reconciliation.{a}_{new}" for a in migration.ACTIONS} <= held
    assert not Permission.objects.filter(codename__contains="stripe").exists()
    assert Permission.objects.get(codename="view_providerpayout").name == "Can view provider payout"

    migration.move_content_types_back(apps, None)
    assert "ledger.view_stripepayout" in perms(group)
