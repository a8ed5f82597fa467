"""Reconciliation in the admin: imported items (read-only) and the treasurer's workbench.

The workbench page lists what is still unmatched and the checks (booked once, payouts,
clearing); its forms call the same services as the API (import, match, link payouts to a
deposit, explain). Nothing here writes a model directly.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from common.errors import ApplicationError
from common.roles import is_treasurer
from common.uploads import clean_csv, private_file_response
from ledger.models import Account, AccountRole, JournalEntry
from reconciliation import selectors as checks
from reconciliation.models import (
    BankStatementLine,
    ImportJob,
    ImportState,
    ImportUpload,
    ProviderPayout,
    ProviderTransaction,
    ReconciliationAudit,
    import_kinds,
)
from reconciliation.services import imports, matching


class TreasurerReadOnlyAdmin(admin.ModelAdmin):
    """Visible to the treasurer; written only by the reconciliation services."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_treasurer(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_treasurer(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ProviderTransaction)
class ProviderTransactionAdmin(TreasurerReadOnlyAdmin):
    list_display = ("provider_id", "provider", "type", "net", "currency", "created", "payout_id",
                    "status", "entry")  # fmt: skip
    list_filter = ("status", "provider", "type", "currency")
    search_fields = ("provider_id", "source_id", "payout_id")


@admin.register(ProviderPayout)
class ProviderPayoutAdmin(TreasurerReadOnlyAdmin):
    list_display = ("provider_id", "provider", "amount", "currency", "arrival_date",
                    "payout_status", "status", "entry", "bank_line")  # fmt: skip
    list_filter = ("status", "provider", "payout_status", "currency")
    search_fields = ("provider_id",)


@admin.register(ImportJob)
class ImportJobAdmin(TreasurerReadOnlyAdmin):
    list_display = ("id", "kind", "state", "processed", "total", "created_count",
                    "existing_count", "created_at", "finished_at", "file")  # fmt: skip
    list_filter = ("kind", "state")

    def get_queryset(self, request: HttpRequest):  # noqa: ANN201
        has_file = Exists(ImportUpload.objects.filter(job=OuterRef("pk")))
        return super().get_queryset(request).annotate(has_file=has_file)

    @admin.display(description="file")
    def file(self, job: ImportJob) -> str:
        """A link to the checked download, never to a public address."""
        if not getattr(job, "has_file", False):
            return "-"
        url = reverse("admin:reconciliation_importjob_file", args=[job.pk])
        return format_html('<a href="{}">import-{}.csv</a>', url, job.pk)

    def get_urls(self):  # noqa: ANN201
        view = self.admin_site.admin_view(import_file_view)
        download = path("<int:pk>/file/", view, name="reconciliation_importjob_file")
        return [download, *super().get_urls()]


def import_file_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The file an import was given: the treasurer's only, as a download."""
    if not is_treasurer(request.user):
        raise PermissionDenied
    found = checks.import_file(job_pk=pk)
    if found is None:
        raise Http404("This import has no file.")
    name, data = found
    return private_file_response(data, filename=name, content_type="text/csv; charset=utf-8")


@admin.register(ReconciliationAudit)
class ReconciliationAuditAdmin(TreasurerReadOnlyAdmin):
    list_display = ("at", "action", "item_type", "item_id", "from_state", "to_state", "entry",
                    "actor", "comment")  # fmt: skip
    list_filter = ("action", "item_type")


@admin.register(BankStatementLine)
class BankStatementLineAdmin(TreasurerReadOnlyAdmin):
    list_display = ("date", "amount", "currency", "reference", "description", "status", "entry")
    list_filter = ("status", "currency", "bank_account")
    search_fields = ("reference", "description")

    def get_urls(self):  # noqa: ANN201
        view = self.admin_site.admin_view(workbench_view)
        workbench = path("workbench/", view, name="reconciliation_workbench")
        return [workbench, *super().get_urls()]


def workbench_view(request: HttpRequest) -> HttpResponse:
    if not is_treasurer(request.user):
        raise PermissionDenied
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action not in HANDLERS:
                raise ApplicationError("Unknown action.")
            done = HANDLERS[action](request)
            messages.success(request, done)
        except ApplicationError as error:
            messages.error(request, error.message)
        return HttpResponseRedirect(reverse("admin:reconciliation_workbench"))
    jobs = list(ImportJob.objects.select_related("bank_account")[:10])
    context = {
        **admin.site.each_context(request),
        "title": "Reconciliation workbench",
        "bench": checks.workbench(),
        "once": checks.provider_booked_once(),
        "payouts": checks.payout_totals(),
        "clearing": checks.clearing_check(),
        "jobs": jobs,
        "importing": any(job.state in (ImportState.QUEUED, ImportState.RUNNING) for job in jobs),
        "banks": Account.objects.filter(role=AccountRole.BANK),
        "kinds": import_kinds(),
    }
    return TemplateResponse(request, "reconciliation/workbench.html", context)


def _posted_id(request: HttpRequest, name: str, what: str) -> int | None:
    """A number the form posted (an item, an entry, an account), or None when left empty; a
    value that is not a whole number is the treasurer's typo, said as such."""
    value = request.POST.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise ApplicationError(f"{what} must be a number, not {value[:40]!r}.")
    return int(value)


def _item(request: HttpRequest):  # noqa: ANN202 - one of the three item models
    model = matching.ITEM_MODELS.get(request.POST.get("item_type", ""))
    if model is None:
        raise ApplicationError("Unknown item.")
    return get_object_or_404(model, pk=_posted_id(request, "item_id", "The item"))


def _do_import(request: HttpRequest) -> str:
    upload = request.FILES.get("file")
    bank_pk = _posted_id(request, "bank_account", "The bank account")
    bank = Account.objects.filter(pk=bank_pk).first() if bank_pk else None
    job = imports.import_submit(
        kind=request.POST.get("kind", ""), created_by=request.user,
        file_name=upload.name if upload else "", bank_account=bank,
        data=clean_csv(upload) if upload else None,
    )  # fmt: skip
    if job.state == ImportState.FAILED:
        raise ApplicationError(f"Import #{job.pk} failed: {job.error}")
    if job.state == ImportState.SUCCEEDED:
        return f"Import #{job.pk}: {job.created_count} new, {job.existing_count} already imported."
    return f"Import #{job.pk} is {job.get_state_display().lower()}; its progress shows below."


def _do_match(request: HttpRequest) -> str:
    entry_pk = _posted_id(request, "entry_id", "The entry")
    entry = JournalEntry.objects.filter(pk=entry_pk).first() if entry_pk else None
    if entry is None:
        raise ApplicationError("Give the number of a posted journal entry.")
    item = matching.reconciliation_match(
        item=_item(request), entry=entry, actor=request.user, reason=request.POST.get("reason", "")
    )
    return f"Matched {item} to entry #{entry.pk}."


def _do_explain(request: HttpRequest) -> str:
    item = matching.reconciliation_explain(
        item=_item(request), reason=request.POST.get("reason", ""), actor=request.user
    )
    return f"Explained {item}."


def _do_link(request: HttpRequest) -> str:
    line = get_object_or_404(BankStatementLine, pk=_posted_id(request, "item_id", "The deposit"))
    ids = [p.strip() for p in request.POST.get("payout_ids", "").split(",") if p.strip()]
    payouts = list(ProviderPayout.objects.filter(provider_id__in=ids))
    matching.reconciliation_link_payouts(bank_line=line, payouts=payouts, actor=request.user)
    return f"Deposit {line} tied to {len(payouts)} payout(s)."


HANDLERS = {"import": _do_import, "match": _do_match, "explain": _do_explain, "link": _do_link}
