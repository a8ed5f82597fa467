"""The secretariat's chart of accounts, and the accounts opened on demand.

Codes are stable and readable: `<group>-<what>[-<id>]-<CCY>`, e.g. `1100-STRIPE-MYR`,
`3100-FUND-42-MYR`. Groups: 1xxx assets, 2xxx liabilities, 3xxx funds (equity),
4xxx income, 5xxx expenses.

Two kinds of account:

- One per role and currency (bank, fees, FX, rounding...), found by role, so the chart can be
  renamed without touching the rules.
- Accounts kept for something the ledger does not know: a restricted fund for a campaign, a
  payable to an enterprise, a payment provider's clearing. The app that needs one opens it
  here, saying what it is kept for as an `owner` key (`campaign:42`, `enterprise:7`,
  `stripe`) and how people call it; the ledger stores both as data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

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

CLEARING = AccountSpec(
    "1100", "clearing (available balance)", AccountType.ASSET, AccountRole.PROVIDER_CLEARING,
    non_negative=True,
)  # fmt: skip
FUND = AccountSpec(
    "3100-FUND", "Restricted fund", AccountType.EQUITY, AccountRole.RESTRICTED_FUND,
    non_negative=True, restricted=True,
)  # fmt: skip
PAYABLE = AccountSpec(
    "2100-PAYABLE", "Disbursements payable", AccountType.LIABILITY,
    AccountRole.DISBURSEMENTS_PAYABLE,
)  # fmt: skip


def _get_or_create(
    *, code: str, spec: AccountSpec, currency: str, name: str, owner: str = ""
) -> Account:
    """The account with this code, created on first use (safe against a concurrent creator)."""
    account = Account.objects.filter(code=code).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return Account.objects.create(
                code=code, name=name[:200], type=spec.type, role=spec.role, currency=currency,
                non_negative=spec.non_negative, is_restricted=spec.restricted, owner=owner,
            )  # fmt: skip
    except IntegrityError:
        return Account.objects.get(code=code)


def owner_key(kind: str, pk: int | str) -> str:
    """The owner key of a record of another app: owner_key("campaign", 42) is
    "campaign:42". The one place the key's shape is written."""
    return f"{kind}:{pk}"


def owner_pk(owner: str, kind: str) -> int | None:
    """The id in an owner key of that kind: 42 for ("campaign:42", "campaign"), else None."""
    prefix, _sep, pk = owner.partition(":")
    return int(pk) if prefix == kind and pk.isdigit() else None


def owner_ref(owner: str) -> str:
    """The part of an owner key that goes into account codes: "42" for "campaign:42"."""
    return owner.rsplit(":", 1)[-1]


def role_account(*, role: str, currency: str | None = None) -> Account:
    """The account of a per-currency role (bank, FX, fees...) in `currency`."""
    currency = (currency or settings.BOOK_CURRENCY).upper()
    spec = PER_CURRENCY.get(role)
    if spec is None:
        raise ApplicationError(f"No per-currency account for role {role}.", code="no_account")
    return _get_or_create(code=f"{spec.prefix}-{currency}", spec=spec, currency=currency,
                          name=f"{spec.name} {currency}")  # fmt: skip


def clearing_account(*, provider: str, label: str, currency: str) -> Account:
    """A payment provider's balance with it, in one currency: `1100-<PROVIDER>-<CCY>`, kept
    for `provider` (its code) and named with `label` ("Stripe clearing ...")."""
    currency = currency.upper()
    return _get_or_create(
        code=f"{CLEARING.prefix}-{provider.upper()}-{currency}", spec=CLEARING,
        currency=currency, name=f"{label} {CLEARING.name} {currency}", owner=provider,
    )  # fmt: skip


def fund_account(*, owner: str, currency: str, label: str = "") -> Account:
    """A restricted fund in one currency, kept for `owner` ("campaign:42") and named after
    `label` (the campaign's title) so statements read without a lookup table."""
    currency = currency.upper()
    name = f"{FUND.name}: {label} ({currency})" if label else f"{FUND.name} {currency}"
    return _get_or_create(code=f"{FUND.prefix}-{owner_ref(owner)}-{currency}", spec=FUND,
                          currency=currency, name=name, owner=owner)  # fmt: skip


def payable_account(*, owner: str, currency: str, label: str = "") -> Account:
    """What the secretariat owes `owner` ("enterprise:7") for approved disbursements."""
    currency = currency.upper()
    name = f"{PAYABLE.name}: {label} ({currency})" if label else f"{PAYABLE.name} {currency}"
    return _get_or_create(code=f"{PAYABLE.prefix}-{owner_ref(owner)}-{currency}", spec=PAYABLE,
                          currency=currency, name=name, owner=owner)  # fmt: skip


def accounts_of(*, owner: str, role: str) -> list[Account]:
    """Every currency's account of one role kept for `owner`, by currency."""
    return list(Account.objects.filter(owner=owner, role=role).order_by("currency"))


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


def chart_ensure_default() -> list[Account]:
    """Create the default chart in the book currency; running it again changes nothing."""
    return [role_account(role=role) for role in PER_CURRENCY]


def bank_account_create(*, code: str, name: str, currency: str) -> Account:
    """Open another bank account (e.g. a second MYR bank); idempotent on the code."""
    spec = PER_CURRENCY[AccountRole.BANK]
    account = _get_or_create(code=code, spec=spec, currency=currency.upper(), name=name)
    if account.role != AccountRole.BANK or account.currency != currency.upper():
        raise ApplicationError(f"Account {code} exists and is not a {currency} bank account.")
    if account.name != name:
        Account.objects.filter(pk=account.pk).update(name=name)
        account.name = name
    return account
