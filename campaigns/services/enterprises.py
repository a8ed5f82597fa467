"""Member enterprises: applying to the network, the secretariat's decision, focal points."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.content import image_problems
from campaigns.models import (
    Enterprise,
    EnterpriseStatusChange,
    EnterpriseType,
    FocalPoint,
    MembershipStatus,
    SdgGoal,
)
from campaigns.regions import Country
from campaigns.services.conflicts import review_conflict_refuse
from campaigns.workflow import membership_can_move
from common.errors import ApplicationError, Conflict
from common.roles import is_reviewer
from common.tasks import enqueue

REQUIRED = ("legal_name", "type", "country", "city", "description", "contact_email")
VERBS = {
    MembershipStatus.MEMBER: gettext_lazy("accept"),
    MembershipStatus.DECLINED: gettext_lazy("decline"),
    MembershipStatus.SUSPENDED: gettext_lazy("suspend"),
}


def _check_application(data: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field in REQUIRED:
        if not str(data.get(field) or "").strip():
            errors[field] = [_("This field is required.")]
    if data.get("type") and data["type"] not in EnterpriseType.values:
        errors["type"] = [_("Unknown type of enterprise.")]
    if data.get("country") and data["country"] not in Country.values:
        errors["country"] = [_("The network works in 14 countries; choose one of them.")]
    goals = data.get("sdg_focus") or []
    if any(not str(g).isdigit() or not 1 <= int(g) <= 17 for g in goals):
        errors["sdg_focus"] = [_("SDG goals are numbered 1 to 17.")]
    if data.get("logo") and (problems := image_problems(data["logo"])):
        errors["logo"] = problems
    name = str(data.get("legal_name") or "").strip()
    if name and Enterprise.objects.filter(legal_name__iexact=name).exists():
        errors["legal_name"] = [_("An organisation with this name has already applied.")]
    return errors


def enterprise_apply(*, actor: AbstractBaseUser, data: dict[str, Any]) -> Enterprise:
    """An organisation applies to join the network; the applying actor becomes its member."""
    errors = _check_application(data)
    if errors:
        raise ApplicationError(_("Please correct the highlighted fields."), fields=errors)
    base = slugify(data["legal_name"])[:70] or "enterprise"
    slug, n = base, 1
    while Enterprise.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    fields = {k: data.get(k) or "" for k in ("website", "logo", "language")}
    try:
        with transaction.atomic():
            enterprise = Enterprise.objects.create(
                legal_name=data["legal_name"].strip(), slug=slug, type=data["type"],
                country=data["country"], city=data["city"].strip(),
                description=data["description"].strip(),
                contact_email=data["contact_email"].strip(),
                website=fields["website"], logo=fields["logo"],
                language=fields["language"] or "en",
            )  # fmt: skip
            enterprise.members.add(actor)
            enterprise.sdg_focus.set(SdgGoal.objects.filter(number__in=data.get("sdg_focus") or []))
            EnterpriseStatusChange.objects.create(
                enterprise=enterprise, to_state=MembershipStatus.APPLICANT, actor=actor
            )
    except IntegrityError as exc:
        raise Conflict(_("An organisation with this name has already applied.")) from exc
    _notify_on_commit(enterprise.pk, "enterprise_applied")
    return enterprise


def _notify_on_commit(enterprise_id: int, template: str) -> None:
    transaction.on_commit(
        lambda: enqueue("campaigns.tasks.notify_enterprise", enterprise_id, template)
    )


def _move(*, actor: AbstractBaseUser, enterprise: Enterprise, to: str, comment: str) -> Enterprise:
    if not is_reviewer(actor):
        raise ApplicationError(_("Only the secretariat's reviewers may do this."),
                               code="not_a_reviewer", status_code=403)  # fmt: skip
    review_conflict_refuse(actor=actor, enterprise=enterprise)
    if to in (MembershipStatus.DECLINED, MembershipStatus.SUSPENDED) and not comment.strip():
        # The enterprise is told why (its email quotes the comment), whoever calls.
        raise ApplicationError(
            _("Say why, so the enterprise knows what to do."),
            fields={"comment": [_("This field is required.")]},
        )
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if not membership_can_move(locked.status, to):
            raise Conflict(
                _("You cannot %(verb)s an organisation whose membership is %(status)s.")
                % {"verb": VERBS[to], "status": locked.get_status_display().lower()},
                code="illegal_transition",
            )
        from_state, locked.status = locked.status, to
        locked.save(update_fields=["status"])
        EnterpriseStatusChange.objects.create(
            enterprise=locked, from_state=from_state, to_state=to, actor=actor,
            comment=comment.strip(),
        )  # fmt: skip
        template = {
            MembershipStatus.MEMBER: "enterprise_accepted",
            MembershipStatus.DECLINED: "enterprise_declined",
            MembershipStatus.SUSPENDED: "enterprise_suspended",
        }[to]
        _notify_on_commit(locked.pk, template)
    return locked


def enterprise_accept(
    *, actor: AbstractBaseUser, enterprise: Enterprise, comment: str = ""
) -> Enterprise:
    """Accept an applicant as a member, or reinstate a suspended member."""
    return _move(actor=actor, enterprise=enterprise, to=MembershipStatus.MEMBER, comment=comment)


def enterprise_decline(
    *, actor: AbstractBaseUser, enterprise: Enterprise, comment: str
) -> Enterprise:
    """Decline an application; the comment (required) tells the organisation why."""
    return _move(actor=actor, enterprise=enterprise, to=MembershipStatus.DECLINED, comment=comment)


def enterprise_suspend(
    *, actor: AbstractBaseUser, enterprise: Enterprise, comment: str
) -> Enterprise:
    """Suspend a member; the comment (required) tells the organisation why."""
    return _move(actor=actor, enterprise=enterprise, to=MembershipStatus.SUSPENDED, comment=comment)


def focal_point_assign(*, country: str, user: AbstractBaseUser) -> FocalPoint:
    """Make a user one of the (at most two) focal points of a country."""
    if country not in Country.values:
        raise ApplicationError(_("The network works in 14 countries; choose one of them."),
                               fields={"country": [_("Unknown country.")]})  # fmt: skip
    with transaction.atomic():
        existing = FocalPoint.objects.select_for_update().filter(country=country)
        if any(fp.user_id == user.pk for fp in existing):
            return next(fp for fp in existing if fp.user_id == user.pk)
        free = {1, 2} - {fp.slot for fp in existing}
        if not free:
            raise Conflict(
                _("This country already has two focal points."), code="focal_points_full"
            )
        try:
            return FocalPoint.objects.create(country=country, slot=min(free), user=user)
        except IntegrityError as exc:
            raise Conflict(_("This country already has two focal points."),
                           code="focal_points_full") from exc  # fmt: skip
