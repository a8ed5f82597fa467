"""Load the demo data (idempotent): users for every role, enterprises, campaigns."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from campaigns import demo, services
from campaigns.models import Campaign, CampaignStatus, Enterprise, MembershipStatus
from common.roles import Role, role_grant
from treasury.demo import seed_rates

REVIEW_STEPS = {
    "draft": [],
    "submitted": ["submit"],
    "changes_requested": ["submit", "request_changes"],
    "rejected": ["submit", "reject"],
    "approved": ["submit", "approve"],
    "live": ["submit", "approve"],
    "ended": ["submit", "approve", "end"],
}


class Command(BaseCommand):
    help = "Load demo users, enterprises and campaigns (safe to run again)."

    def handle(self, *args, **options) -> None:
        # The demo's accounts share a password written in this repository (a superuser among
        # them): only settings that say DEMO_DATA_ALLOWED = True (base, local_production) may.
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError(
                "Refusing to load demo data: its accounts' password is public (campaigns/demo.py)"
                " and these settings do not set DEMO_DATA_ALLOWED = True (production never does)."
            )
        # The demo's addresses are made up: its notifications are not sent anywhere.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self._load()
        self._print_accounts()

    def _load(self) -> None:
        with transaction.atomic():
            users = self._users()
            enterprises = self._enterprises(users)
        seed_rates()
        created = 0
        for row in demo.CAMPAIGNS:
            if not Campaign.objects.filter(slug=row[0]).exists():
                self._campaign(row, users, enterprises)
                created += 1
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: {Enterprise.objects.count()} enterprises, "
            f"{Campaign.objects.count()} campaigns ({created} new)."))  # fmt: skip

    def _users(self) -> dict:
        User = get_user_model()
        users = {}
        for username, role, first_name, email in demo.USERS:
            user, made = User.objects.get_or_create(
                username=username, defaults={"first_name": first_name, "email": email}
            )
            if made:
                user.set_password(demo.PASSWORD)
                user.save()
            if role in (Role.REVIEWER, Role.TREASURER, Role.ADMIN):
                role_grant(user=user, role=Role(role))
            users[role] = user
        services.focal_point_assign(country="ID", user=users["focal_point"])
        return users

    def _enterprises(self, users: dict) -> dict:
        enterprises = {}
        for slug, name, kind, country, city, language, sdgs, description in demo.ENTERPRISES:
            enterprise = Enterprise.objects.filter(legal_name=name).first()
            if enterprise is None:
                enterprise = services.enterprise_apply(actor=users["enterprise_member"], data={
                    "legal_name": name, "type": kind, "country": country, "city": city,
                    "description": description, "language": language, "sdg_focus": sdgs,
                    "contact_email": f"hello@{slug}.example", "website": f"https://{slug}.example",
                })  # fmt: skip
            if enterprise.status == MembershipStatus.APPLICANT:
                enterprise = services.enterprise_accept(
                    actor=users["reviewer"], enterprise=enterprise,
                    comment="Vetted by the secretariat: registration and references checked.",
                )  # fmt: skip
            enterprises[slug] = enterprise
        return enterprises

    def _campaign(self, row: tuple, users: dict, enterprises: dict) -> None:
        slug, ent_slug, title, currency, goal, state, sdgs, indicators, groups, summary, lines = row
        enterprise = enterprises[ent_slug]
        start, end = demo.dates_for(state, timezone.localdate())
        story = demo.STORY.format(
            summary=summary, name=enterprise.legal_name, city=enterprise.city,
            lines="".join(f"<li>{text}</li>" for text, _ in lines),
        )  # fmt: skip
        member, reviewer = users["enterprise_member"], users["reviewer"]
        campaign = services.campaign_create(actor=member, enterprise=enterprise, data={
            "title": title, "slug": slug, "summary": summary, "story": story,
            "goal_amount": goal, "goal_currency": currency, "start_date": start,
            "end_date": end, "sdg_goals": sdgs, "sdg_indicators": indicators,
            "beneficiary_groups": groups,
            "budget_lines": [{"description": t, "amount": a} for t, a in lines],
            "outcomes": [{"indicator": f"People reached by {title.lower()}",
                          "target_value": "120", "unit": "people"}],
        })  # fmt: skip
        steps = {
            "submit": lambda c: services.campaign_submit(
                actor=member, campaign=c, comment="Budget agreed at our general assembly."),
            "request_changes": lambda c: services.campaign_request_changes(
                actor=reviewer, campaign=c,
                comment="Please add quotations for the nursery sheds."),
            "reject": lambda c: services.campaign_reject(
                actor=reviewer, campaign=c,
                comment="Already funded by a partner grant this year."),
            "approve": lambda c: services.campaign_approve(
                actor=reviewer, campaign=c, comment="Clear budget and outcomes."),
            "end": lambda c: services.campaign_end(
                actor=reviewer, campaign=c, comment="Ended early: the enterprise met its needs."),
        }  # fmt: skip
        for step in REVIEW_STEPS[state]:
            campaign = steps[step](campaign)
        assert campaign.status == state or (state == "approved" and campaign.status ==
                                            CampaignStatus.APPROVED)  # fmt: skip

    def _print_accounts(self) -> None:
        self.stdout.write(f"\nDemo accounts (password for all: {demo.PASSWORD})")
        for username, role, _first, _email in demo.USERS:
            self.stdout.write(f"  {username:<16} {role}")
