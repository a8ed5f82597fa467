"""The secretariat's admin: the reviewers' queue, whose actions call the same services as
the API (with a page asking for the comment), and the enterprises' membership decisions."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from campaigns import services
from campaigns.models import (
    BudgetLine,
    Campaign,
    CampaignStatus,
    CampaignTransition,
    Enterprise,
    EnterpriseStatusChange,
    ExpectedOutcome,
    FocalPoint,
)
from common.admin import comment_form, form_action
from common.money import format_money

admin.site.site_header = _("Gotong secretariat")
admin.site.site_title = _("Gotong secretariat")
admin.site.index_title = _("Reviews, giving and the books")


def _with_comment(name: str, label: str, perform, *, required: bool):  # noqa: ANN001, ANN202
    """A reviewer's action: asks for the comment, then calls the service once per row."""

    def run(user, obj, data: dict) -> str:  # noqa: ANN001
        perform(user, obj, data["comment"])
        return str(_("done"))

    return form_action(name, label, comment_form(required=required), run)


def _approve(user, campaign, comment):
    return services.campaign_approve(actor=user, campaign=campaign, comment=comment)


def _request_changes(user, campaign, comment):
    return services.campaign_request_changes(actor=user, campaign=campaign, comment=comment)


def _reject(user, campaign, comment):
    return services.campaign_reject(actor=user, campaign=campaign, comment=comment)


def _end(user, campaign, comment):
    return services.campaign_end(actor=user, campaign=campaign, comment=comment)


def _accept(user, enterprise, comment):
    return services.enterprise_accept(actor=user, enterprise=enterprise, comment=comment)


def _decline(user, enterprise, comment):
    return services.enterprise_decline(actor=user, enterprise=enterprise, comment=comment)


def _suspend(user, enterprise, comment):
    return services.enterprise_suspend(actor=user, enterprise=enterprise, comment=comment)


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    can_delete = False
    readonly_fields = ["position", "description", "amount"]


class OutcomeInline(admin.TabularInline):
    model = ExpectedOutcome
    extra = 0
    can_delete = False
    readonly_fields = ["indicator", "target_value", "unit"]


class TransitionInline(admin.TabularInline):
    model = CampaignTransition
    extra = 0
    can_delete = False
    readonly_fields = ["at", "from_state", "to_state", "actor", "comment"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    """The reviewers' queue: filter on "Submitted" to see what waits for review."""

    list_display = ["title", "enterprise", "status", "goal_shown", "raised_shown", "start_date",
                    "end_date"]  # fmt: skip
    list_filter = ["status", "enterprise__country", "goal_currency", "sdg_goals"]
    search_fields = ["title", "slug", "enterprise__legal_name"]
    inlines = [BudgetLineInline, OutcomeInline, TransitionInline]
    actions = [
        _with_comment("approve", _("Approve"), _approve, required=False),
        _with_comment("request_changes", _("Request changes"), _request_changes, required=True),
        _with_comment("reject", _("Reject"), _reject, required=True),
        _with_comment("end_early", _("End early"), _end, required=True),
    ]

    @admin.display(description=_("goal"), ordering="goal")
    def goal_shown(self, campaign: Campaign) -> str:
        return format_money(campaign.goal)

    @admin.display(description=_("raised"), ordering="raised")
    def raised_shown(self, campaign: Campaign) -> str:
        return format_money(campaign.raised)

    def get_readonly_fields(self, request, obj=None):
        # Content belongs to the enterprise and state to the workflow services.
        return [f.name for f in Campaign._meta.fields] + ["sdg_goals"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enterprise")

    def changelist_view(self, request, extra_context=None):
        if "status__exact" not in request.GET and not request.GET.get("q") and not request.POST:
            # Open on the queue: proposals waiting for review.
            request.GET = request.GET.copy()
            request.GET["status__exact"] = CampaignStatus.SUBMITTED
        return super().changelist_view(request, extra_context)


class StatusChangeInline(admin.TabularInline):
    model = EnterpriseStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["at", "from_state", "to_state", "actor", "comment"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "type", "country", "city", "status"]
    list_filter = ["status", "type", "country"]
    search_fields = ["legal_name", "city"]
    filter_horizontal = ["members", "sdg_focus"]
    readonly_fields = ["status", "created_at"]
    prepopulated_fields = {"slug": ["legal_name"]}
    inlines = [StatusChangeInline]
    actions = [
        _with_comment("accept_as_member", _("Accept as member"), _accept, required=False),
        _with_comment("decline_application", _("Decline application"), _decline, required=True),
        _with_comment("suspend", _("Suspend"), _suspend, required=True),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Who belongs to an enterprise is the admins' to change: a reviewer who could add
        # themselves could then review their own enterprise's business.
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else [*readonly, "members"]


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    list_display = ["country", "slot", "user"]
    list_filter = ["country"]
