"""Period close and reopen through the API: the lock holds, and both are audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from moneyed import Money

from common.errors import Conflict
from ledger.models import PeriodAudit
from ledger.services import rules
from tests.ledger.accounts import fund, refs

pytestmark = pytest.mark.django_db


def _gift(campaign, ref: str, day: dt.date):
    return rules.offline_gift(
        fund=fund(campaign),
        refs=refs(campaign),
        reference=ref,
        amount=Money(Decimal("50.00"), "MYR"),
        bank_account_code=None,
        donor_country="MY",
        effective_date=day,
        recorded_by=None,
    )


def test_close_locks_the_period_and_reopen_needs_a_reason(api, treasurer, campaign):
    api.force_authenticate(treasurer)
    closed = api.post(
        reverse("api-ledger-period-close"),
        {"until": "2026-03-31", "reason": "March reviewed"},
        format="json",
    )
    assert closed.status_code == 201, closed.content
    period = closed.json()
    assert period["state"] == "closed" and period["audit"][0]["actor"] == "treasurer"

    with pytest.raises(Conflict, match="period is closed"):
        _gift(campaign, "late-march", dt.date(2026, 3, 15))
    _gift(campaign, "april", dt.date(2026, 4, 1))  # after the lock: fine

    reopen = reverse("api-ledger-period-reopen", kwargs={"pk": period["id"]})
    no_reason = api.post(reopen, {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    reopened = api.post(reopen, {"reason": "Auditor's adjustment"}, format="json")
    assert reopened.status_code == 200 and reopened.json()["state"] == "reopened"
    _gift(campaign, "late-march", dt.date(2026, 3, 15))
    again = api.post(reopen, {"reason": "twice"}, format="json")
    assert again.status_code == 409

    trail = list(PeriodAudit.objects.values_list("to_state", "actor__username", "comment"))
    assert trail == [("closed", "treasurer", "March reviewed"),
                     ("reopened", "treasurer", "Auditor's adjustment")]  # fmt: skip
    listed = api.get(reverse("api-ledger-periods")).json()
    assert [a["action"] for a in listed[0]["audit"]] == ["close", "reopen"]
