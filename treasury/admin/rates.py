"""The secretariat's reference exchange rates in the admin: published through the service,
never edited or deleted."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.errors import ApplicationError
from common.roles import is_treasurer
from treasury.models import ReferenceRate
from treasury.services.rates import reference_rate_publish


class ReferenceRateForm(forms.Form):
    currency = forms.ChoiceField(label=_("Currency"), choices=[])
    rate = forms.DecimalField(
        label=_("Rate"),
        max_digits=24,
        decimal_places=12,
        help_text=_("Book-currency units per one unit of the currency."),
    )
    effective_date = forms.DateField(label=_("In force from"), initial=timezone.localdate)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [
            (c, c) for c in settings.CURRENCIES if c != settings.BOOK_CURRENCY
        ]


@admin.register(ReferenceRate)
class ReferenceRateAdmin(admin.ModelAdmin):
    """Append-only: the treasurer publishes through the service; nothing is edited or deleted.

    The treasurer's role decides, not per-model permissions, so a treasurer group made before
    this model existed still sees it."""

    list_display = ["currency", "rate", "effective_date", "recorded_by", "created_at"]
    list_filter = ["currency"]
    date_hierarchy = "effective_date"
    readonly_fields = [f.name for f in ReferenceRate._meta.fields]

    def has_module_permission(self, request) -> bool:
        return is_treasurer(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_treasurer(request.user)

    def has_add_permission(self, request) -> bool:
        return is_treasurer(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ReferenceRateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                rate = reference_rate_publish(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Published: %(rate)s.") % {"rate": rate})
                return redirect(reverse("admin:treasury_referencerate_changelist"))
            except ApplicationError as exc:
                messages.error(request, exc.message)
                for field, errors in exc.fields.items():
                    if field in form.fields:
                        form.add_error(field, errors)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "book": settings.BOOK_CURRENCY,
            "title": _("Publish a reference exchange rate"),
            "opts": self.model._meta,
        }
        return render(request, "admin/treasury/referencerate/publish.html", context)
