"""The roles of DOMAIN.md, and the DRF permissions that check them.

Reviewers and treasurers are Django groups; admins are superusers; an enterprise member
is a user linked to an enterprise; every other signed-in user is a donor.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.db import models
from rest_framework.permissions import BasePermission


class Role(models.TextChoices):
    DONOR = "donor", "Donor"
    ENTERPRISE_MEMBER = "enterprise_member", "Enterprise member"
    REVIEWER = "reviewer", "Reviewer"
    TREASURER = "treasurer", "Treasurer"
    ADMIN = "admin", "Admin"


GROUP_ROLES = (Role.REVIEWER, Role.TREASURER)

User = AbstractBaseUser | AnonymousUser


def _in_group(user: User, name: str) -> bool:
    if not user.is_authenticated:
        return False
    cache = getattr(user, "_gotong_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._gotong_groups = cache
    return name in cache


def is_admin(user: User) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def is_reviewer(user: User) -> bool:
    return is_admin(user) or _in_group(user, Role.REVIEWER)


def is_treasurer(user: User) -> bool:
    return is_admin(user) or _in_group(user, Role.TREASURER)


# What each staff role may open in the admin: "app_label.codename", or "app_label.*" for
# every permission of an app. Writes still go through the services, which check the role.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.REVIEWER: (
        "campaigns.view_campaign", "campaigns.change_campaign", "campaigns.view_enterprise",
        "campaigns.change_enterprise", "campaigns.view_focalpoint", "campaigns.add_focalpoint",
        "campaigns.change_focalpoint", "campaigns.delete_focalpoint",
    ),
    Role.TREASURER: ("ledger.*", "treasury.*", "reconciliation.*", "donors.*", "webhooks.*",
                     "campaigns.view_campaign", "campaigns.view_enterprise"),
}  # fmt: skip


def _permissions_for(role: Role, app_label: str | None = None) -> list[Permission]:
    found: list[Permission] = []
    for spec in ROLE_PERMISSIONS.get(role, ()):
        label, codename = spec.split(".")
        if app_label is not None and label != app_label:
            continue
        qs = Permission.objects.filter(content_type__app_label=label)
        found += list(qs if codename == "*" else qs.filter(codename=codename))
    return found


def role_group(role: Role) -> Group:
    """The group that carries a role, with its admin permissions (created on first use)."""
    group, _ = Group.objects.get_or_create(name=role.value)
    if role in ROLE_PERMISSIONS:
        group.permissions.add(*_permissions_for(role))
    return group


def role_groups_sync(*, app_label: str, using: str = "default") -> None:
    """Give the existing role groups the permissions of `app_label` that their role names,
    after each migrate (a `post_migrate` receiver): a model added or moved to another app
    after a group was made reaches the group without anyone re-granting the role."""
    for group in Group.objects.using(using).filter(name__in=list(ROLE_PERMISSIONS)):
        permissions = _permissions_for(Role(group.name), app_label)
        if permissions:
            group.permissions.add(*permissions)


def role_grant(*, user: AbstractBaseUser, role: Role) -> None:
    """Give a user a staff role: its group, and access to the admin."""
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
        return
    if role not in GROUP_ROLES:
        raise ValueError(f"{role} is not given through a group")
    user.groups.add(role_group(role))
    user.__dict__.pop("_gotong_groups", None)  # forget the cached membership
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


class IsReviewer(BasePermission):
    message = "Only the secretariat's reviewers may do this."

    def has_permission(self, request, view) -> bool:
        return is_reviewer(request.user)


class IsTreasurer(BasePermission):
    message = "Only the treasurer may do this."

    def has_permission(self, request, view) -> bool:
        return is_treasurer(request.user)
