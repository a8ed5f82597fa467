"""Admin pieces every app's admin uses: an action that asks for a form (a comment, a reason,
a date) and then calls a service once per selected row, and a page with one form that calls
one service. Both show a service's refusal to the person, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.errors import ApplicationError
from common.money import positive_money

# perform(actor, row, cleaned_data) -> what was done, for the message
Perform = Callable[[Any, Any, dict], object]
Allowed = Callable[[Any], bool]


def show_refusal(form: forms.Form, error: ApplicationError) -> None:
    """Put a service's refusal on the form: its message on top, field details by field."""
    form.add_error(None, error.message)
    for field, problems in error.fields.items():
        if field in form.fields and problems:
            form.add_error(field, problems)


def comment_form(*, required: bool) -> type[forms.Form]:
    """A form with one comment field, required or not (a reviewer says why)."""

    class CommentForm(forms.Form):
        comment = forms.CharField(label=_("Comment"), widget=forms.Textarea, required=required)

    return CommentForm


def form_action(
    name: str, label: str, form_class: type[forms.Form], perform: Perform, *,
    allowed: Allowed | None = None,
):  # fmt: skip
    """An admin action that asks for its form, then calls a service once per selected row,
    oldest first; each row's outcome (done, or the service's refusal) is a message."""

    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet):
        if allowed is not None and not allowed(request.user):
            raise PermissionDenied
        form = form_class(request.POST if "apply" in request.POST else None)
        if not form.is_bound or not form.is_valid():
            context = {**modeladmin.admin_site.each_context(request), "form": form,
                       "objects": queryset, "action": name, "title": label,
                       "opts": modeladmin.model._meta}  # fmt: skip
            return TemplateResponse(request, "admin/common/action_form.html", context)
        for obj in queryset.order_by("pk"):
            try:
                done = perform(request.user, obj, form.cleaned_data)
            except ApplicationError as error:
                modeladmin.message_user(request, f"{obj}: {error.message}", messages.ERROR)
            else:
                modeladmin.message_user(request, f"{obj}: {done}", messages.SUCCESS)
        return None

    action.short_description = label  # type: ignore[attr-defined]
    action.__name__ = name
    return action


def form_page(
    modeladmin: admin.ModelAdmin, request: HttpRequest, form_class: type[forms.Form],
    perform: Callable[[Any, dict], object], title: str, *, allowed: Allowed | None = None,
) -> HttpResponse:  # fmt: skip
    """A page with one form that calls one service; back to the list when it is done."""
    if allowed is not None and not allowed(request.user):
        raise PermissionDenied
    opts = modeladmin.model._meta
    back = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    form = form_class(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            done = perform(request.user, form.cleaned_data)
        except ApplicationError as error:
            show_refusal(form, error)
        else:
            modeladmin.message_user(request, f"{title}: {done}", messages.SUCCESS)
            return HttpResponseRedirect(back)
    context = {**modeladmin.admin_site.each_context(request), "form": form, "title": title,
               "opts": opts, "back": back, "description": form_class.__doc__}  # fmt: skip
    return TemplateResponse(request, "admin/common/form_page.html", context)


def clean_money(form: forms.Form, amount: str, currency: str):  # noqa: ANN201 - Money | None
    """The form's amount as Money (`common.money.positive_money`), or None with the problem
    on the amount field."""
    value, code = form.cleaned_data.get(amount), form.cleaned_data.get(currency)
    if value is None or not code:
        return None
    try:
        return positive_money(value, code, field=amount)
    except ApplicationError as error:
        form.add_error(amount, error.message)
        return None
