"""The ledger in the admin: the treasurer reads everything; posted entries are read-only.

Entries are written only by the ledger's services (the posting rules, reversals, manual
adjustments), never by a model form, so no entry can be changed or deleted here; the
treasurer's pages and actions on the journal are added by `treasury/admin/` and call those
services.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from ledger.models import (
    LATE_REF,
    Account,
    AccountBalance,
    ClosedPeriod,
    JournalEntry,
    PeriodAudit,
    Posting,
)
from ledger.selectors.journal import late_entries


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


class BookedLateFilter(admin.SimpleListFilter):
    """Entries booked on the first open day because their own date was closed (money a
    provider had already moved): the treasurer checks them against the closed period."""

    title = "booked late (its date was closed)"
    parameter_name = "booked_late"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin):
        return [("yes", "Booked late into an open period")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[JournalEntry]):
        if self.value() == "yes":
            return queryset.filter(pk__in=late_entries().values("pk"))
        return queryset


@admin.register(JournalEntry)
class JournalEntryAdmin(admin.ModelAdmin):
    list_display = ("id", "effective_date", "original_date", "kind", "state", "memo",
                    "idempotency_key")  # fmt: skip
    list_filter = (BookedLateFilter, "state", "kind")
    search_fields = ("idempotency_key", "memo")
    date_hierarchy = "effective_date"
    inlines = [PostingInline]
    readonly_fields = [f.name for f in JournalEntry._meta.fields]

    @admin.display(description="happened on (a closed date)")
    def original_date(self, entry: JournalEntry) -> str:
        return entry.source_refs.get(LATE_REF, "")

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
