"""The page on which an organisation applies to join the network."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns import services
from campaigns.models import EnterpriseType, SdgGoal
from campaigns.regions import Country
from common.errors import ApplicationError
from common.uploads import ImageUploadField


class EnterpriseApplyForm(forms.Form):
    legal_name = forms.CharField(label=gettext_lazy("Legal name"), max_length=200)
    type = forms.ChoiceField(label=gettext_lazy("Type"), choices=EnterpriseType.choices)
    country = forms.ChoiceField(label=gettext_lazy("Country"), choices=Country.choices)
    city = forms.CharField(label=gettext_lazy("City"), max_length=100)
    website = forms.URLField(label=gettext_lazy("Website"), required=False, assume_scheme="https")
    contact_email = forms.EmailField(label=gettext_lazy("Contact email"))
    language = forms.ChoiceField(
        label=gettext_lazy("Correspondence language"), choices=settings.LANGUAGES
    )
    description = forms.CharField(
        label=gettext_lazy("What your organisation does"), widget=forms.Textarea
    )
    logo = ImageUploadField(label=gettext_lazy("Logo"), required=False)
    sdg_focus = forms.TypedMultipleChoiceField(
        label=gettext_lazy("SDG focus"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sdg_focus"].choices = [
            (goal.number, f"{goal.number}. {goal.name}") for goal in SdgGoal.objects.all()
        ]


@login_required
def enterprise_apply(request: HttpRequest) -> HttpResponse:
    form = EnterpriseApplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_apply(actor=request.user, data=form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
            for field, problems in error.fields.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Thank you: %(name)s has applied. The secretariat will "
                                        "write to you when it has decided.")
                             % {"name": enterprise.legal_name})  # fmt: skip
            return redirect("campaigns:mine")
    status = 400 if request.method == "POST" else 200
    return render(request, "campaigns/apply.html", {"form": form}, status=status)
