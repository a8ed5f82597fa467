"""The conflict-of-interest rule: nobody decides on the business of an enterprise they belong to.

Every decision of the secretariat about an enterprise (accepting, declining or suspending it;
approving, sending back or rejecting its proposals; and each approval added later, such as
progress reports, updates, tranche releases and overrides) calls `review_conflict_refuse`
before it writes anything, whatever the caller's role: an admin who is a member is refused
too, and another reviewer decides.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext as _

from campaigns.models import Enterprise
from common.errors import Forbidden


def review_conflict_refuse(
    *, actor: AbstractBaseUser | AnonymousUser | None, enterprise: Enterprise
) -> None:
    """Raise `Forbidden` (403, code "conflict_of_interest") when `actor` is one of the
    enterprise's members; the schedule (no actor) never conflicts."""
    if actor is None or not actor.is_authenticated:
        return
    if Enterprise.members.through.objects.filter(
        enterprise_id=enterprise.pk, user_id=actor.pk
    ).exists():
        raise Forbidden(
            _("You belong to %(name)s, so you cannot decide on its business: another "
              "reviewer of the secretariat must do it.") % {"name": enterprise.legal_name},
            code="conflict_of_interest",
        )  # fmt: skip
