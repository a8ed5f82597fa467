"""Output shapes of enterprises and campaigns, shared by their API views."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.models import Campaign, Enterprise
from campaigns.selectors import (
    HISTORY_MEMBER,
    HISTORY_PUBLIC,
    HISTORY_REVIEWER,
    campaign_progress,
    history_audience,
)


@extend_schema_field(
    {"type": "object", "properties": {"amount": {"type": "string"}, "currency": {"type": "string"}}}
)
class MoneyOutField(serializers.Field):
    def to_representation(self, value):
        return {"amount": str(value.amount), "currency": str(value.currency)}


class AuditOut(serializers.Serializer):
    """A state change as the API has always named its fields. Everyone reads the states and
    the date; `comment` only the enterprise's members and the secretariat's reviewers;
    `actor` only the reviewers (`campaigns.selectors.history_audience`)."""

    from_status = serializers.CharField(source="from_state")
    to_status = serializers.CharField(source="to_state")
    actor = serializers.CharField(
        source="actor.username", default=None, allow_null=True, required=False,
        help_text="Who made the change (null: the schedule). Present for the secretariat's "
        "reviewers only.",
    )  # fmt: skip
    comment = serializers.CharField(
        required=False, allow_blank=True,
        help_text="Why, as written. Present for the enterprise's members and the "
        "secretariat's reviewers only.",
    )  # fmt: skip
    created_at = serializers.DateTimeField(source="at")

    def to_representation(self, instance) -> dict:
        data = super().to_representation(instance)
        audience = self.context.get("history_audience", HISTORY_PUBLIC)
        if audience != HISTORY_REVIEWER:
            data.pop("actor", None)
        if audience not in (HISTORY_MEMBER, HISTORY_REVIEWER):
            data.pop("comment", None)
        return data


def _history(parent: serializers.Serializer, out: type[AuditOut], rows, enterprise) -> list:
    """`rows` as the requesting user may read them (the parent's context holds the request)."""
    request = parent.context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    audience = history_audience(user=user, enterprise=enterprise)
    return out(rows, many=True, context={"history_audience": audience}).data


class EnterpriseStatusChangeOut(AuditOut):
    """One change of an enterprise's membership."""


class EnterpriseOut(serializers.ModelSerializer):
    sub_region = serializers.CharField(read_only=True)
    sdg_focus = serializers.SlugRelatedField(many=True, read_only=True, slug_field="number")

    class Meta:
        model = Enterprise
        fields = ["slug", "legal_name", "type", "country", "sub_region", "city", "website",
                  "description", "logo", "sdg_focus", "status", "created_at"]  # fmt: skip


class EnterpriseDetailOut(EnterpriseOut):
    history = serializers.SerializerMethodField()

    class Meta(EnterpriseOut.Meta):
        fields = [*EnterpriseOut.Meta.fields, "history"]

    @extend_schema_field(EnterpriseStatusChangeOut(many=True))
    def get_history(self, enterprise: Enterprise) -> list:
        rows = enterprise.history.select_related("actor")
        return _history(self, EnterpriseStatusChangeOut, rows, enterprise)


class EnterpriseBriefOut(serializers.ModelSerializer):
    sub_region = serializers.CharField(read_only=True)

    class Meta:
        model = Enterprise
        fields = ["slug", "legal_name", "type", "country", "sub_region", "city"]


class TransitionOut(AuditOut):
    """One move of a campaign through its review and life."""


class CampaignOut(serializers.ModelSerializer):
    enterprise = EnterpriseBriefOut(read_only=True)
    goal = MoneyOutField()
    raised = MoneyOutField()
    percent = serializers.SerializerMethodField()
    days_left = serializers.SerializerMethodField()
    sdg_goals = serializers.SlugRelatedField(many=True, read_only=True, slug_field="number")

    class Meta:
        model = Campaign
        fields = ["slug", "title", "summary", "status", "enterprise", "goal", "raised",
                  "donor_count", "percent", "days_left", "start_date", "end_date",
                  "funding_model", "sdg_goals", "cover"]  # fmt: skip

    def get_percent(self, campaign: Campaign) -> int:
        return campaign_progress(campaign=campaign).percent

    def get_days_left(self, campaign: Campaign) -> int | None:
        return campaign_progress(campaign=campaign).days_left


class BudgetLineOut(serializers.Serializer):
    description = serializers.CharField()
    amount = MoneyOutField()


class OutcomeOut(serializers.Serializer):
    indicator = serializers.CharField()
    target_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    unit = serializers.CharField()


class CampaignDetailOut(CampaignOut):
    budget_lines = BudgetLineOut(many=True, read_only=True)
    outcomes = OutcomeOut(many=True, read_only=True)
    history = serializers.SerializerMethodField()

    class Meta(CampaignOut.Meta):
        fields = [*CampaignOut.Meta.fields, "story", "sdg_indicators", "beneficiary_groups",
                  "budget_lines", "outcomes", "history"]  # fmt: skip

    @extend_schema_field(TransitionOut(many=True))
    def get_history(self, campaign: Campaign) -> list:
        rows = campaign.transitions.select_related("actor")
        return _history(self, TransitionOut, rows, campaign.enterprise)
