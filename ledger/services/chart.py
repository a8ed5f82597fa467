"""The secretariat's chart of accounts, and the accounts the posting rules create on demand.

Codes are stable and readable: `<group>-<what>[-<id>]-<CCY>`, e.g. `1100-STRIPE-MYR`,
`3100-FUND-42-MYR`. Groups: 1xxx assets, 2xxx liabilities, 3xxx funds (equity),
4xxx income, 5xxx expenses. Accounts of one role and currency are found by role, so the
chart can be renamed without touching the rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from campaigns.models import Campaign, Enterprise
from common.errors import ApplicationError
from ledger.models import Account, AccountRole, AccountType


@dataclass(frozen=True)
class AccountSpec:
    prefix: str
    name: str
    type: str
    role: str
    non_negative: bool = False
    restricted: bool = False


# One account per currency for each of these roles; the book-currency one is in the default
# chart, the others are created the first time a rule needs them.
PER_CURRENCY = {
    AccountRole.STRIPE_CLEARING: AccountSpec(
        "1100-STRIPE", "Stripe clearing (available balance)", AccountType.ASSET,
        AccountRole.STRIPE_CLEARING, non_negative=True,
    ),
    AccountRole.BANK: AccountSpec("1200-BANK", "Bank", AccountType.ASSET, AccountRole.BANK),
    AccountRole.DISPUTED_FUNDS: AccountSpec(
        "1300-DISPUTED", "Funds withdrawn by disputes", AccountType.ASSET,
        AccountRole.DISPUTED_FUNDS,
    ),
    AccountRole.OPERATIONS_FUND: AccountSpec(
        "3000-OPERATIONS", "Operations fund (unrestricted)", AccountType.EQUITY,
        AccountRole.OPERATIONS_FUND,
    ),
    AccountRole.FX_CONVERSION: AccountSpec(
        "3900-FX-CONVERSION", "Currency conversion", AccountType.EQUITY,
        AccountRole.FX_CONVERSION,
    ),
    AccountRole.FEE_INCOME: AccountSpec(
        "4100-FEE-INCOME", "Secretariat fee income", AccountType.INCOME, AccountRole.FEE_INCOME
    ),
    AccountRole.FX_REALISED: AccountSpec(
        "4800-FX-REALISED", "Realised FX gain (loss)", AccountType.INCOME, AccountRole.FX_REALISED
    ),
    AccountRole.FX_UNREALISED: AccountSpec(
        "4900-FX-UNREALISED", "Unrealised FX gain (loss)", AccountType.INCOME,
        AccountRole.FX_UNREALISED,
    ),
    AccountRole.PROCESSING_FEES: AccountSpec(
        "5100-PROCESSING-FEES", "Payment-processing fees", AccountType.EXPENSE,
        AccountRole.PROCESSING_FEES,
    ),
    AccountRole.DISPUTE_FEES: AccountSpec(
        "5200-DISPUTE-FEES", "Dispute fees", AccountType.EXPENSE, AccountRole.DISPUTE_FEES
    ),
    AccountRole.ROUNDING: AccountSpec(
        "5900-ROUNDING", "Rounding differences", AccountType.EXPENSE, AccountRole.ROUNDING
    ),
}  # fmt: skip

FUND = AccountSpec(
    "3100-FUND", "Restricted fund", AccountType.EQUITY, AccountRole.CAMPAIGN_FUND,
    non_negative=True, restricted=True,
)  # fmt: skip
PAYABLE = AccountSpec(
    "2100-PAYABLE", "Disbursements payable", AccountType.LIABILITY,
    AccountRole.DISBURSEMENTS_PAYABLE,
)  # fmt: skip


def _get_or_create(
    *, code: str, spec: AccountSpec, currency: str, label: str = "", **links: object
) -> Account:
    """The account with this code, created on first use (safe against a concurrent creator)."""
    account = Account.objects.filter(code=code).first()
    if account is not None:
        return account
    name = f"{spec.name}: {label} ({currency})" if label else f"{spec.name} {currency}"
    try:
        with transaction.atomic():
            return Account.objects.create(
                code=code, name=name[:200], type=spec.type, role=spec.role,
                currency=currency, non_negative=spec.non_negative,
                is_restricted=spec.restricted, **links,
            )  # fmt: skip
    except IntegrityError:
        return Account.objects.get(code=code)


def role_account(*, role: str, currency: str | None = None) -> Account:
    """The account of a per-currency role (Stripe clearing, FX, fees...) in `currency`."""
    currency = (currency or settings.BOOK_CURRENCY).upper()
    spec = PER_CURRENCY.get(role)
    if spec is None:
        raise ApplicationError(f"No per-currency account for role {role}.", code="no_account")
    return _get_or_create(code=f"{spec.prefix}-{currency}", spec=spec, currency=currency)


def bank_account(*, code: str | None, currency: str) -> Account:
    """A named bank account, or the default bank account of the currency."""
    if not code:
        return role_account(role=AccountRole.BANK, currency=currency)
    account = Account.objects.filter(code=code, role=AccountRole.BANK).first()
    if account is None:
        raise ApplicationError(f"No bank account {code}.", code="no_account")
    if account.currency != currency:
        raise ApplicationError(
            f"Bank account {code} is in {account.currency}, not {currency}.", code="currency"
        )
    return account


def campaign_fund_account(*, campaign_id: int, currency: str) -> Account:
    """The restricted fund of a campaign in one currency (created when needed)."""
    currency = currency.upper()
    code = f"{FUND.prefix}-{campaign_id}-{currency}"
    if (account := Account.objects.filter(code=code).first()) is not None:
        return account
    # Named after the campaign so statements and exports read without a lookup table.
    title = Campaign.objects.filter(pk=campaign_id).values_list("title", flat=True).first()
    return _get_or_create(code=code, spec=FUND, currency=currency, label=title or "",
                          campaign_id=campaign_id)  # fmt: skip


def payable_account(*, enterprise_id: int, currency: str) -> Account:
    """What the secretariat owes an enterprise for approved disbursements, in one currency."""
    currency = currency.upper()
    code = f"{PAYABLE.prefix}-{enterprise_id}-{currency}"
    if (account := Account.objects.filter(code=code).first()) is not None:
        return account
    name = Enterprise.objects.filter(pk=enterprise_id).values_list("legal_name", flat=True).first()
    return _get_or_create(code=code, spec=PAYABLE, currency=currency, label=name or "",
                          enterprise_id=enterprise_id)  # fmt: skip


def chart_ensure_default() -> list[Account]:
    """Create the default chart in the book currency (and Stripe clearing in the settlement
    currency); running it again changes nothing."""
    accounts = [role_account(role=role) for role in PER_CURRENCY]
    settlement = settings.STRIPE_SETTLEMENT_CURRENCY
    if settlement != settings.BOOK_CURRENCY:
        accounts.append(role_account(role=AccountRole.STRIPE_CLEARING, currency=settlement))
    return accounts


def bank_account_create(*, code: str, name: str, currency: str) -> Account:
    """Open another bank account (e.g. a second MYR bank); idempotent on the code."""
    spec = PER_CURRENCY[AccountRole.BANK]
    account = _get_or_create(code=code, spec=spec, currency=currency.upper())
    if account.role != AccountRole.BANK or account.currency != currency.upper():
        raise ApplicationError(f"Account {code} exists and is not a {currency} bank account.")
    if account.name != name:
        Account.objects.filter(pk=account.pk).update(name=name)
        account.name = name
    return account
