"""Property tests: random sequences of money events keep the ledger sound.

After any sequence: the trial balance is zero per currency and in the book currency, every
cached balance equals its postings, restricted funds are not negative, and replaying every
accepted event changes nothing. Each example runs in its own transaction (hypothesis's
Django TestCase), so the durable money services run exactly as in production.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from moneyed import Money

from campaigns.selectors import campaign_fund_balance
from common.errors import ApplicationError
from ledger.management.commands.ledger_verify import CHECKS
from ledger.models import AccountRole, JournalEntry
from ledger.selectors.balances import trial_balance_figures as trial_balance
from ledger.services import rules
from ledger.services.chart import chart_ensure_default
from ledger.services.posting import entry_reverse
from tests.factories import CampaignFactory
from tests.ledger.accounts import clearing, fund, payable, refs

DAY = dt.date(2026, 3, 2)
CENTS = st.integers(min_value=200, max_value=500_000)
RATES = {"MYR": Decimal(1), "IDR": Decimal("0.000285"), "USD": Decimal("4.41")}
PHP = Decimal("0.0800")
RATE_MOVES = st.sampled_from([Decimal("0.97"), Decimal(1), Decimal("1.03")])

EVENTS = st.lists(
    st.one_of(
        st.tuples(st.just("donation"), st.integers(0, 1), st.sampled_from(list(RATES)), CENTS),
        st.tuples(st.just("fee"), st.integers(0, 30), st.integers(1, 10)),
        st.tuples(st.just("refund"), st.integers(0, 30), st.integers(1, 100), RATE_MOVES),
        st.tuples(st.just("dispute"), st.integers(0, 30), st.booleans(), RATE_MOVES),
        st.tuples(st.just("payout"), st.integers(1, 100)),
        st.tuples(st.just("release"), st.integers(0, 1), CENTS),
        st.tuples(st.just("disburse"), st.integers(0, 1), CENTS, RATE_MOVES),
        st.tuples(st.just("gift"), st.integers(0, 1), CENTS),
        st.tuples(st.just("gift_php"), st.integers(0, 1), CENTS),
        st.tuples(st.just("revalue"), RATE_MOVES),
        st.tuples(st.just("reverse"), st.integers(0, 30)),
    ),
    min_size=1,
    max_size=12,
)


def myr(cents: int) -> Money:
    return Money(Decimal(cents) / 100, "MYR")


class World:
    """Turns drawn events into rule calls, remembering every accepted call for replay."""

    def __init__(self) -> None:
        chart_ensure_default()
        self.campaigns = [CampaignFactory(), CampaignFactory()]
        self.donations: list[dict[str, Any]] = []
        self.accepted: list[tuple[Any, dict[str, Any], int]] = []
        self.n = 0
        self.days = 0

    def call(self, rule: Any, **kwargs: Any) -> None:
        self.n += 1
        try:
            entry = rule(**kwargs)
        except ApplicationError:
            return  # refused (overspend, too much refunded...): the ledger must stay sound
        self.accepted.append((rule, kwargs, entry.pk))

    def clearing_cents(self) -> int:
        row = trial_balance().rows
        clearing = next(r for r in row if r.account.role == AccountRole.PROVIDER_CLEARING)
        return int(clearing.balance.amount * 100)

    def donation(self, campaign: int, currency: str, cents: int) -> None:
        gross = myr(cents)
        fee = myr(cents * 3 // 100)
        presentment = Money((gross.amount / RATES[currency]).quantize(Decimal("0.01")), currency)
        ref = f"d{self.n}"
        kwargs = dict(
            fund=fund(self.campaigns[campaign]), clearing=clearing(), donation_ref=ref,
            refs=refs(self.campaigns[campaign], balance_transaction_id=f"t{self.n}"),
            presentment=presentment, gross=gross, fee=fee, net=gross - fee,
            exchange_rate=RATES[currency], donor_country="ID", effective_date=DAY,
        )  # fmt: skip
        self.call(rules.donation_settled, **kwargs)
        self.donations.append({"ref": ref, "campaign": campaign, "presentment": presentment})

    def refund(self, which: int, percent: int, move: Decimal) -> None:
        if not self.donations:
            return
        donation = self.donations[which % len(self.donations)]
        part = (donation["presentment"].amount * percent / 100).quantize(Decimal("0.01"))
        if not part:
            return
        rate = RATES[donation["presentment"].currency.code] * move
        campaign = self.campaigns[donation["campaign"]]
        self.call(
            rules.refund_booked,
            fund=fund(campaign),
            clearing=clearing(),
            refs=refs(campaign, balance_transaction_id="t"),
            donation_ref=donation["ref"],
            refund_id=f"re{self.n}",
            refunded_presentment=Money(part, donation["presentment"].currency),
            refund_settled=Money((part * rate).quantize(Decimal("0.01")), "MYR"),
            effective_date=DAY,
        )

    def dispute(self, which: int, won: bool, move: Decimal) -> None:
        if not self.donations:
            return
        donation = self.donations[which % len(self.donations)]
        campaign = self.campaigns[donation["campaign"]]
        amount = donation["presentment"].amount * RATES[donation["presentment"].currency.code]
        withdrawn = Money((amount * move).quantize(Decimal("0.01")), "MYR")
        key = dict(donation_ref=donation["ref"], dispute_id=f"dp{self.n}")
        self.call(rules.dispute_opened, **key, clearing=clearing(), amount=withdrawn,
                  refs=refs(campaign, balance_transaction_id="t"), dispute_fee=myr(1500),
                  effective_date=DAY)  # fmt: skip
        if won:
            self.call(rules.dispute_won, **key, clearing=clearing(), amount=withdrawn,
                      refs=refs(campaign, balance_transaction_id="t2"),
                      effective_date=DAY)  # fmt: skip
        else:
            self.call(rules.dispute_lost, **key, fund=fund(campaign), refs=refs(campaign),
                      effective_date=DAY)  # fmt: skip

    def run(self, event: tuple) -> None:
        kind, *args = event
        if kind in ("donation", "refund", "dispute"):
            getattr(self, kind)(*args)
        elif kind == "fee" and self.donations:
            donation = self.donations[args[0] % len(self.donations)]
            campaign = self.campaigns[donation["campaign"]]
            self.call(rules.secretariat_fee, fund=fund(campaign), refs=refs(campaign),
                      donation_ref=donation["ref"], amount=myr(args[1] * 100),
                      effective_date=DAY)  # fmt: skip
        elif kind == "payout":
            self.payout(args[0])
        elif kind == "release":
            self.call(rules.release_from_restriction, fund=fund(self.campaigns[args[0]]),
                      reference=f"rel{self.n}", amount=myr(args[1]), reason="Met",
                      effective_date=DAY)  # fmt: skip
        elif kind == "gift":
            self.call(rules.offline_gift, fund=fund(self.campaigns[args[0]]),
                      reference=f"g{self.n}", amount=myr(args[1]), bank_account_code=None,
                      donor_country="MY", effective_date=DAY, recorded_by=None)  # fmt: skip
        elif kind == "disburse":
            self.disburse(*args)
        elif kind == "gift_php":
            self.call(rules.offline_gift, fund=fund(self.campaigns[args[0]], "PHP"),
                      reference=f"g{self.n}", amount=Money(args[1], "PHP"), bank_account_code=None,
                      donor_country="PH", effective_date=DAY, recorded_by=None,
                      exchange_rate=PHP)  # fmt: skip
        elif kind == "revalue":
            self.days += 1
            self.call(rules.fx_revaluation, as_of=DAY + dt.timedelta(days=self.days),
                      closing_rates={"PHP": PHP * args[0]})  # fmt: skip
        elif kind == "reverse" and self.accepted:
            entry = JournalEntry.objects.get(pk=self.accepted[args[0] % len(self.accepted)][2])
            if entry.state == "posted" and entry.kind != "reversal":
                self.call(entry_reverse, entry=entry, reason="Booked in error",
                          effective_date=DAY + dt.timedelta(days=40))  # fmt: skip

    def payout(self, percent: int) -> None:
        cents = self.clearing_cents() * percent // 100
        if cents > 0:
            self.call(rules.payout_paid, payout_id=f"po{self.n}", bank_account_code=None,
                      clearing=clearing(), amount=myr(cents), effective_date=DAY)  # fmt: skip

    def disburse(self, campaign: int, cents: int, move: Decimal) -> None:
        campaign_obj = self.campaigns[campaign]
        ref = f"dis{self.n}"
        php = Money((Decimal(cents) / 100 * Decimal("12.5")).quantize(Decimal("0.01")), "PHP")
        self.call(rules.disbursement_approved, disbursement_ref=ref, fund=fund(campaign_obj),
                  payable=payable(campaign_obj.enterprise, "PHP"), amount=php,
                  fund_amount=myr(cents), effective_date=DAY)  # fmt: skip
        self.call(rules.disbursement_paid, disbursement_ref=ref, bank_account_code=None,
                  paid=Money((Decimal(cents) / 100 * move).quantize(Decimal("0.01")), "MYR"),
                  effective_date=DAY)  # fmt: skip


class LedgerPropertyTests(TestCase):
    # Rule calls made and accepted over every example: a test whose rules refused everything
    # would check nothing, so at least a third must be accepted (see tearDownClass).
    tally = {"calls": 0, "accepted": 0}

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        calls, accepted = cls.tally["calls"], cls.tally["accepted"]
        assert calls == 0 or accepted * 3 >= calls, (
            f"only {accepted} of {calls} generated operations were accepted"
        )

    @settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(events=EVENTS)
    def test_random_event_sequences_keep_the_ledger_sound(self, events: list[tuple]) -> None:
        world = World()
        world.donation(0, "IDR", 50_000)  # something to refund, dispute and spend from the start
        world.donation(1, "USD", 30_000)
        for event in events:
            world.run(event)
        self.tally["calls"] += world.n
        self.tally["accepted"] += len(world.accepted)
        self.assert_sound(world)
        before = (JournalEntry.objects.count(), self.balances())
        for rule, kwargs, entry_id in world.accepted:
            assert rule(**kwargs).pk == entry_id
        assert (JournalEntry.objects.count(), self.balances()) == before

    def balances(self) -> list[tuple[str, Decimal, Decimal]]:
        return [(r.account.code, r.balance.amount, r.balance_book.amount)
                for r in trial_balance().rows]  # fmt: skip

    def assert_sound(self, world: World) -> None:
        tb = trial_balance()
        assert tb.balanced, (tb.totals, tb.total_book)
        for name, check in CHECKS.items():
            assert check() == [], name
        for campaign in world.campaigns:
            for held in campaign_fund_balance(campaign=campaign).values():
                assert held.amount >= 0
