"""The roles of DOMAIN.md, and the DRF permissions that check them.

Reviewers and treasurers are Django groups; admins are superusers; an enterprise member
is a user linked to an enterprise; every other signed-in user is a donor.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
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


def role_group(role: Role) -> Group:
    """The group that carries a role (created on first use)."""
    group, _ = Group.objects.get_or_create(name=role.value)
    return group


class IsReviewer(BasePermission):
    message = "Only the secretariat's reviewers may do this."

    def has_permission(self, request, view) -> bool:
        return is_reviewer(request.user)


class IsTreasurer(BasePermission):
    message = "Only the treasurer may do this."

    def has_permission(self, request, view) -> bool:
        return is_treasurer(request.user)
