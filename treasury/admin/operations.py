"""The treasurer's operations in the admin: forms whose only job is to call the same
services as the API (`treasury/apis/operations.py`), showing a refusal on the form.

- Journal entries: the ledger's read-only journal gains "Reverse the selected entries"
  (asks for the reason and the date), and pages to record an offline gift, a release from
  restriction, a manual adjusting entry and an FX revaluation.
- Fee shares: "Add" sets a campaign's share (`fee_share_set`, with who and why).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from campaigns.regions import CAMPAIGN_CURRENCIES
from common import admin as common_admin
from common.admin import Perform, clean_money
from common.countries import COUNTRY_CODES
from common.errors import ApplicationError
from common.money import positive_money
from common.roles import is_treasurer
from ledger.admin import JournalEntryAdmin
from ledger.models import Account, AccountRole, JournalEntry
from ledger.services import rules
from ledger.services.corrections import entry_reverse_once
from ledger.services.posting import PostingLine, credit, debit
from treasury.models import FeeShare
from treasury.services.fees import fee_share_set
from treasury.services.operations import offline_gift_record, release_record

CURRENCIES = [(code, code) for code in CAMPAIGN_CURRENCIES]


def form_action(name: str, label: str, form_class: type[forms.Form], perform: Perform):
    """A treasurer's admin action (`common.admin.form_action`)."""
    return common_admin.form_action(name, label, form_class, perform, allowed=is_treasurer)


def form_page(
    modeladmin: admin.ModelAdmin, request: HttpRequest, form_class: type[forms.Form],
    perform: Callable[[Any, dict], object], title: str,
) -> HttpResponse:  # fmt: skip
    """A treasurer's page with one form that calls one service (`common.admin.form_page`)."""
    return common_admin.form_page(modeladmin, request, form_class, perform, title,
                                  allowed=is_treasurer)  # fmt: skip


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea)
    effective_date = forms.DateField(label=_("Effective date"), initial=timezone.localdate)
    allow_negative = forms.BooleanField(
        label=_("Allow a fund or Stripe clearing to go negative"), required=False
    )


def _reverse(user: Any, entry: Any, data: dict) -> object:
    return entry_reverse_once(entry=entry, recorded_by=user, **data)


reverse_entries = form_action(
    "reverse_entries", _("Reverse the selected entries"), ReverseForm, _reverse
)


def _bank_accounts() -> QuerySet:
    return Account.objects.filter(role=AccountRole.BANK)


class OfflineGiftForm(forms.Form):
    """A gift received by bank transfer: Dr bank, Cr the campaign's restricted fund."""

    campaign = forms.ModelChoiceField(queryset=Campaign.objects.all())
    reference = forms.CharField(max_length=150, help_text=_("The bank line; books it once."))
    amount = forms.DecimalField(min_value=Decimal(0))
    currency = forms.ChoiceField(choices=CURRENCIES, initial="MYR")
    exchange_rate = forms.DecimalField(
        required=False,
        min_value=Decimal("0.000000000001"),
        help_text=_("MYR per unit; for other currencies."),
    )
    bank_account = forms.ModelChoiceField(queryset=_bank_accounts(), required=False)
    donor_country = forms.CharField(min_length=2, max_length=2, help_text="ISO 3166 alpha-2")
    effective_date = forms.DateField(initial=timezone.localdate)

    def clean(self) -> dict:
        data = super().clean()
        data["money"] = clean_money(self, "amount", "currency")
        country = (data.get("donor_country") or "").upper()
        if country and country not in COUNTRY_CODES:
            self.add_error("donor_country", f"{country} is not an ISO 3166 country code.")
        data["donor_country"] = country
        return data


def _offline_gift(user: Any, d: dict) -> object:
    bank = d.get("bank_account")
    return offline_gift_record(
        campaign=d["campaign"], reference=d["reference"], amount=d["money"],
        bank_account_code=bank.code if bank else None, donor_country=d["donor_country"],
        effective_date=d["effective_date"], actor=user, exchange_rate=d.get("exchange_rate"),
    )  # fmt: skip


class ReleaseForm(forms.Form):
    """Money leaves a campaign's restricted fund for the operations (unrestricted) fund."""

    campaign = forms.ModelChoiceField(queryset=Campaign.objects.all())
    reference = forms.CharField(max_length=150)
    amount = forms.DecimalField(min_value=Decimal(0))
    currency = forms.ChoiceField(choices=CURRENCIES, initial="MYR")
    book_rate = forms.DecimalField(required=False, min_value=Decimal("0.000000000001"))
    reason = forms.CharField(widget=forms.Textarea)
    effective_date = forms.DateField(initial=timezone.localdate)

    def clean(self) -> dict:
        data = super().clean()
        data["money"] = clean_money(self, "amount", "currency")
        return data


def _release(user: Any, d: dict) -> object:
    return release_record(
        campaign=d["campaign"], reference=d["reference"], amount=d["money"],
        reason=d["reason"], effective_date=d["effective_date"], actor=user,
        book_rate=d.get("book_rate"),
    )  # fmt: skip


class RevaluationForm(forms.Form):
    """Period-end revaluation: one closing rate (MYR per unit) per line, e.g. "PHP 0.0825"."""

    as_of = forms.DateField()
    closing_rates = forms.CharField(widget=forms.Textarea, help_text='One "CCY rate" a line.')

    def clean_closing_rates(self) -> dict[str, Decimal]:
        rates = {}
        for line in self.cleaned_data["closing_rates"].splitlines():
            parts = line.split()
            if not parts:
                continue
            try:
                code, rate = parts[0].upper(), Decimal(parts[1])
            except (IndexError, ArithmeticError):
                raise forms.ValidationError(f'Not "CCY rate": {line}') from None
            if len(parts) != 2 or len(code) != 3 or rate <= 0:
                raise forms.ValidationError(f'Not "CCY rate": {line}')
            rates[code] = rate
        return rates


def _revalue(user: Any, d: dict) -> object:
    return rules.fx_revaluation(as_of=d["as_of"], closing_rates=d["closing_rates"],
                                recorded_by=user)  # fmt: skip


class ManualAdjustmentForm(forms.Form):
    """A manual adjusting entry. One line per posting: account code, debit or credit, the
    amount in the account's currency, and for a foreign currency its MYR rate, e.g.
    "1200-BANK-MYR debit 12.40" / "3000-OPERATIONS-MYR credit 12.40"."""

    reason = forms.CharField(widget=forms.Textarea, help_text=_("Required; kept on the entry."))
    effective_date = forms.DateField(initial=timezone.localdate)
    reference = forms.CharField(max_length=150, required=False)
    allow_negative = forms.BooleanField(
        required=False, label=_("Allow a fund or Stripe clearing to go negative")
    )
    lines = forms.CharField(widget=forms.Textarea, help_text=_('"CODE debit|credit amount [rate]"'))

    def clean_lines(self) -> list[PostingLine]:
        parsed = [_line(text) for text in self.cleaned_data["lines"].splitlines() if text.split()]
        if len(parsed) < 2:
            raise forms.ValidationError("An entry needs at least two lines.")
        return parsed


def _line(text: str) -> PostingLine:
    parts = text.split()
    if len(parts) not in (3, 4) or parts[1].lower() not in ("debit", "credit"):
        raise forms.ValidationError(f'Not "CODE debit|credit amount [rate]": {text}')
    account = Account.objects.filter(code=parts[0]).first()
    if account is None:
        raise forms.ValidationError(f"No account {parts[0]}.")
    try:
        amount = Decimal(parts[2])
        rate = Decimal(parts[3]) if len(parts) == 4 else None
    except ArithmeticError:
        raise forms.ValidationError(f"Not a number in: {text}") from None
    try:
        money = positive_money(amount, account.currency)
    except ApplicationError as error:
        raise forms.ValidationError(f"{parts[0]}: {error.message}") from None
    return (debit if parts[1].lower() == "debit" else credit)(account, money, rate=rate)


def _adjust(user: Any, d: dict) -> object:
    return rules.manual_adjustment(
        lines=d["lines"], reason=d["reason"], effective_date=d["effective_date"],
        recorded_by=user, reference=d["reference"], allow_negative=d["allow_negative"],
    )  # fmt: skip


ENTRY_PAGES = {
    "manual-adjustment": (ManualAdjustmentForm, _adjust, _("Manual adjusting entry")),
    "offline-gift": (OfflineGiftForm, _offline_gift, _("Record an offline gift")),
    "release": (ReleaseForm, _release, _("Release from restriction")),
    "fx-revaluation": (RevaluationForm, _revalue, _("FX revaluation")),
}


class TreasurerJournalEntryAdmin(JournalEntryAdmin):
    """The journal as the ledger shows it (read-only), with the treasurer's bookings as
    pages linked from the list (`admin/ledger/journalentry/change_list.html`) and the
    reversal as an action; each calls the same service as the API."""

    actions = [reverse_entries]

    def get_urls(self) -> list[URLPattern]:
        pages = [
            path(f"{slug}/", self.admin_site.admin_view(self._page(slug)),
                 name=f"ledger_journalentry_{slug.replace('-', '_')}")
            for slug in ENTRY_PAGES
        ]  # fmt: skip
        return pages + super().get_urls()

    def _page(self, slug: str):  # noqa: ANN202 - a view
        form_class, perform, title = ENTRY_PAGES[slug]

        def view(request: HttpRequest) -> HttpResponse:
            return form_page(self, request, form_class, perform, str(title))

        return view


admin.site.unregister(JournalEntry)
admin.site.register(JournalEntry, TreasurerJournalEntryAdmin)


class FeeShareForm(forms.Form):
    """The share of each new donation the secretariat takes from a campaign (0 to 0.5)."""

    campaign = forms.ModelChoiceField(queryset=Campaign.objects.all())
    share = forms.DecimalField(max_digits=5, decimal_places=4, min_value=0, max_value=0.5)
    reason = forms.CharField(widget=forms.Textarea, required=False)


def _set_share(user: Any, d: dict) -> object:
    return fee_share_set(campaign_id=d["campaign"].pk, share=d["share"], actor=user,
                         reason=d["reason"])  # fmt: skip


@admin.register(FeeShare)
class FeeShareAdmin(admin.ModelAdmin):
    """Its "Add" page sets a campaign's share through `fee_share_set` (kept with who and
    why); rows are never edited or deleted here."""

    list_display = ("campaign", "share", "set_by", "set_at", "reason")
    readonly_fields = ("campaign", "share", "set_by", "set_at", "reason")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_treasurer(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        return form_page(self, request, FeeShareForm, _set_share, str(_("Set a fee share")))
