"""factory_boy factories shared by every test suite."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from moneyed import Money

from campaigns.models import (
    BudgetLine,
    Campaign,
    CampaignStatus,
    Enterprise,
    EnterpriseType,
    ExpectedOutcome,
    MembershipStatus,
    SdgGoal,
)

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Test"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise
        skip_postgeneration_save = True

    legal_name = factory.Sequence(lambda n: f"Koperasi Tani Makmur {n}")
    slug = factory.Sequence(lambda n: f"koperasi-tani-makmur-{n}")
    type = EnterpriseType.COOPERATIVE
    country = "MY"
    city = "Kuala Lumpur"
    description = "A farmers' cooperative selling rice from smallholders."
    contact_email = factory.Sequence(lambda n: f"hello{n}@koperasi.example")
    status = MembershipStatus.MEMBER

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.members.add(*extracted)


class CampaignFactory(factory.django.DjangoModelFactory):
    """A live MYR campaign with two budget lines adding up to its goal."""

    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    title = factory.Sequence(lambda n: f"Solar dryers for rice farmers {n}")
    slug = factory.Sequence(lambda n: f"solar-dryers-{n}")
    summary = "Solar dryers so smallholders stop losing a third of their harvest."
    story = "<p>Our members lose rice to rain every season.</p>"
    goal = Money(Decimal("10000.00"), "MYR")
    raised = factory.LazyAttribute(lambda c: Money(0, c.goal.currency))
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=5))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    status = CampaignStatus.LIVE

    @factory.post_generation
    def budget(obj, create, extracted, **kwargs):  # noqa: N805
        if not create:
            return
        half = (obj.goal.amount / 2).quantize(Decimal("1"))
        for position, (description, amount) in enumerate(
            [("Solar dryer units", half), ("Training and installation", obj.goal.amount - half)]
        ):
            BudgetLine.objects.create(campaign=obj, position=position, description=description,
                                      amount=Money(amount, obj.goal.currency))  # fmt: skip
        ExpectedOutcome.objects.create(campaign=obj, indicator="Farmers using dryers",
                                       target_value=Decimal(120), unit="farmers")  # fmt: skip

    @factory.post_generation
    def sdgs(obj, create, extracted, **kwargs):  # noqa: N805
        """CampaignFactory(sdgs=[6]) picks the SDG goals (default: 1 and 2)."""
        if create:
            obj.sdg_goals.set(SdgGoal.objects.filter(number__in=extracted or [1, 2]))


def proposal_data(**overrides) -> dict:
    """A complete, valid proposal as the services take it."""
    today = timezone.localdate()
    data = {
        "title": "Clean water for Barangay San Isidro",
        "slug": "clean-water-san-isidro",
        "summary": "Rainwater tanks for 80 households run by the women's cooperative.",
        "story": "<p>Every dry season the wells fail.</p>",
        "goal_amount": Decimal("250000.00"),
        "goal_currency": "PHP",
        "start_date": today + dt.timedelta(days=7),
        "end_date": today + dt.timedelta(days=67),
        "funding_model": "keep_it_all",
        "sdg_goals": [6, 5],
        "sdg_indicators": ["6.1.1"],
        "beneficiary_groups": ["women"],
        "budget_lines": [
            {"description": "Rainwater tanks", "amount": Decimal("200000.00")},
            {"description": "Plumbing and training", "amount": Decimal("50000.00")},
        ],
        "outcomes": [
            {"indicator": "Households with safe water", "target_value": "80", "unit": "households"}
        ],  # fmt: skip
    }
    data.update(overrides)
    return data
