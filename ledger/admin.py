"""The ledger in the admin: the treasurer reads everything; posted entries are read-only.

Entries are written only by the ledger's services (the posting rules, reversals, manual
adjustments), never by a model form, so no entry can be changed or deleted here; the
treasurer's pages and actions on the journal are added by `treasury/admin/` and call those
services.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from ledger.models import (
    Account,
    AccountBalance,
    ClosedPeriod,
    JournalEntry,
    PeriodAudit,
    Posting,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class PostingInline(ReadOnlyInline):
    model = Posting
    fields = readonly_fields = ("account", "amount", "amount_book", "rate")


@admin.register(JournalEntry)
class JournalEntryAdmin(admin.ModelAdmin):
    list_display = ("id", "effective_date", "kind", "state", "memo", "idempotency_key")
    list_filter = ("state", "kind")
    search_fields = ("idempotency_key", "memo")
    date_hierarchy = "effective_date"
    inlines = [PostingInline]
    readonly_fields = [f.name for f in JournalEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: JournalEntry | None = None) -> bool:
        # View only. A posted or void entry never changes (the database refuses it too); a
        # pending one changes only through its service (post or void).
        return False

    def has_delete_permission(self, request: HttpRequest, obj: JournalEntry | None = None) -> bool:
        return False


class BalanceInline(ReadOnlyInline):
    model = AccountBalance
    fields = readonly_fields = ("balance", "balance_book", "posting_count")


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "type", "role", "currency", "owner")
    list_filter = ("type", "role", "currency", "is_restricted")
    search_fields = ("code", "name", "owner")
    inlines = [BalanceInline]
    fields = ("code", "name", "type", "role", "currency", "owner", "parent", "is_restricted",
              "non_negative")  # fmt: skip
    raw_id_fields = ("parent",)

    def get_readonly_fields(self, request: HttpRequest, obj: Account | None = None):
        # Only the name and the grouping are editable: the rules find accounts by code, role
        # and currency, and the database fixes the currency once the account is used.
        if obj is None:
            return ()
        return ("code", "type", "role", "currency", "owner", "is_restricted", "non_negative")

    def has_delete_permission(self, request: HttpRequest, obj: Account | None = None) -> bool:
        return False


class PeriodAuditInline(ReadOnlyInline):
    model = PeriodAudit
    fields = readonly_fields = ("from_state", "to_state", "actor", "comment", "at")


@admin.register(ClosedPeriod)
class ClosedPeriodAdmin(admin.ModelAdmin):
    """Periods are closed and reopened through the treasurer's API (audited services)."""

    list_display = ("until", "state", "closed_by", "closed_at", "reason")
    readonly_fields = ("until", "state", "reason", "closed_by", "closed_at")
    inlines = [PeriodAuditInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
