"""Creating an account: donors following their gifts, and people applying for their
organisation to join the network, sign up here."""

from __future__ import annotations

from axes.helpers import get_cool_off
from django import forms
from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class SignupForm(UserCreationForm):
    email = forms.EmailField(label=_("Email"), help_text=_("Receipts and news reach you here."))

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if safe else ""


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(_next(request) or "campaigns:list")
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/signup.html", {"form": form, "next": _next(request)},
                  status=status)  # fmt: skip


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict | None = None) -> HttpResponse:  # fmt: skip
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): 429 with the
    wait in Retry-After; the API's error body for the API, a page for a person."""
    seconds = int(get_cool_off(request).total_seconds())
    minutes = max(1, -(-seconds // 60))
    message = ngettext(
        "Too many failed sign-ins for this account from your address. "
        "Try again in %(minutes)d minute.",
        "Too many failed sign-ins for this account from your address. "
        "Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        body = {"message": message, "code": "locked_out", "fields": {}}
        response: HttpResponse = JsonResponse(body, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message},
                          status=429)  # fmt: skip
    response["Retry-After"] = str(seconds)
    return response
