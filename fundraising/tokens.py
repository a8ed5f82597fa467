"""API tokens (django-rest-knox): issued, revoked one by one or all at once, and revoked
whenever the user's password changes.

Knox stores a digest of each token, never the token, with an expiry (REST_KNOX["TOKEN_TTL"]).
A new password revokes every token of the user, whatever changed it (the admin's password
form, `manage.py changepassword`, `set_password` anywhere): the user model's save is
watched, and tokens go when the stored hash is no longer the one in the database.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model, user_logged_in, user_logged_out
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models.signals import post_save, pre_save
from django.http import HttpRequest
from knox.models import AuthToken


def token_issue(*, user: AbstractBaseUser, request: HttpRequest) -> tuple[AuthToken, str]:
    """A new token for a user who has just proved their password: the row and the key (shown
    once; only its digest is kept)."""
    instance, key = AuthToken.objects.create(user=user)
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return instance, key


def token_revoke(*, token: AuthToken, request: HttpRequest) -> None:
    token.delete()
    user_logged_out.send(sender=token.user.__class__, request=request, user=token.user)


def tokens_revoke_all(*, user: AbstractBaseUser, request: HttpRequest | None = None) -> int:
    """Revoke every token of the user; the number revoked."""
    count, _ = AuthToken.objects.filter(user=user).delete()
    if request is not None:
        user_logged_out.send(sender=user.__class__, request=request, user=user)
    return count


# --- A new password revokes the tokens ------------------------------------------------------


def _note_password_change(sender: type, instance: Any, raw: bool = False,
                          update_fields: Any = None, **kwargs: Any) -> None:  # fmt: skip
    instance._tokens_password_changed = False
    if raw or instance.pk is None or (update_fields is not None and "password" not in
                                      update_fields):  # fmt: skip
        return  # a fixture load, a new user, or a save that leaves the password alone
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True)
    instance._tokens_password_changed = stored.first() not in (None, instance.password)


def _revoke_on_password_change(sender: type, instance: Any, created: bool = False,
                               raw: bool = False, **kwargs: Any) -> None:  # fmt: skip
    if getattr(instance, "_tokens_password_changed", False):
        instance._tokens_password_changed = False
        tokens_revoke_all(user=instance)


def connect_signals() -> None:
    """Called once from FundraisingConfig.ready()."""
    user_model = get_user_model()
    pre_save.connect(_note_password_change, sender=user_model,
                     dispatch_uid="tokens-note-password-change")  # fmt: skip
    post_save.connect(_revoke_on_password_change, sender=user_model,
                      dispatch_uid="tokens-revoke-on-password-change")  # fmt: skip
