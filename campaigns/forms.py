"""Forms of the public pages and the proposal pages.

They only parse and shape input for the selectors and services; every rule about what a
proposal may contain lives in `campaigns.services`.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from campaigns.models import (
    BeneficiaryGroup,
    CampaignStatus,
    EnterpriseType,
    FundingModel,
    SdgGoal,
)
from campaigns.regions import CAMPAIGN_CURRENCIES, Country, SubRegion
from common.uploads import ImageUploadField

SORT_CHOICES = [
    ("ending_soon", _("Ending soon")),
    ("newest", _("Newest")),
    ("closest_to_goal", _("Closest to goal")),
]
STATE_CHOICES = [
    ("", _("Live and ended")),
    (CampaignStatus.LIVE, _("Live")),
    (CampaignStatus.ENDED, _("Ended")),
]
BUDGET_ROWS = 4
OUTCOME_ROWS = 2
MORE_ROWS = 3


def _any(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


def sdg_choices() -> list[tuple[int, str]]:
    return [(goal.number, f"{goal.number}. {_(goal.name)}") for goal in SdgGoal.objects.all()]


class CampaignFilterForm(forms.Form):
    """The GET form above the campaign list; every field is optional."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    sub_region = forms.ChoiceField(label=_("Sub-region"), required=False)
    sdg = forms.TypedChoiceField(label=_("SDG goal"), required=False, coerce=int, empty_value=None)
    enterprise_type = forms.ChoiceField(label=_("Type of enterprise"), required=False)
    state = forms.ChoiceField(label=_("Show"), required=False, choices=STATE_CHOICES)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            type="search", placeholder=_("Title, place or enterprise")
        )
        self.fields["country"].choices = _any(_("All countries")) + list(Country.choices)
        self.fields["sub_region"].choices = _any(_("All sub-regions")) + list(SubRegion.choices)
        self.fields["sdg"].choices = _any(_("All goals")) + sdg_choices()
        self.fields["enterprise_type"].choices = _any(_("All types")) + list(EnterpriseType.choices)

    def filters(self) -> dict[str, Any]:
        """The selector's filters; an invalid value is dropped rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) for name in self.fields if data.get(name)}


class ListField(forms.CharField):
    """Free text split on commas, semicolons or new lines: "1.4.1, 5.5.2" -> ["1.4.1", "5.5.2"]."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value)
        return [item.strip() for item in re.split(r"[,;\n]+", text) if item.strip()]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ProposalForm(forms.Form):
    """Everything of a proposal but its budget lines and outcomes (see the formsets)."""

    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=140)
    slug = forms.SlugField(
        label=_("Web address"), max_length=80, required=False,
        help_text=_("The end of the campaign's address: lowercase letters, numbers and hyphens. "
                    "Leave it empty to make one from the title."),
    )  # fmt: skip
    summary = forms.CharField(
        label=_("Summary"), max_length=280, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences shown on the campaign cards."),
    )  # fmt: skip
    story = forms.CharField(
        label=_("Story"), widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("The project, the community and what the money will do. Simple HTML such as "
                    "<p>, <strong>, <ul> and links is kept; scripts are removed."),
    )  # fmt: skip
    cover = ImageUploadField(
        label=_("Cover image"), required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP, at least 320×180 pixels, at most 5 MB."),
    )  # fmt: skip
    goal_amount = forms.DecimalField(
        label=_("Goal"), min_value=0, max_digits=16, decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )  # fmt: skip
    goal_currency = forms.ChoiceField(
        label=_("Currency"), choices=[(c, c) for c in CAMPAIGN_CURRENCIES]
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    funding_model = forms.ChoiceField(
        label=_("Funding model"), choices=FundingModel.choices, initial=FundingModel.KEEP_IT_ALL,
        widget=forms.RadioSelect,
    )  # fmt: skip
    sdg_goals = forms.TypedMultipleChoiceField(
        label=_("SDG goals"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    sdg_indicators = ListField(
        label=_("SDG indicators"), required=False,
        help_text=_("The indicators you will report on, separated by commas, e.g. 1.4.1, 5.5.2."),
    )  # fmt: skip
    beneficiary_groups = forms.MultipleChoiceField(
        label=_("Beneficiary groups"), required=False, choices=BeneficiaryGroup.choices,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args: Any, enterprises: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sdg_goals"].choices = sdg_choices()
        if enterprises is None:
            del self.fields["enterprise"]
        else:
            self.fields["enterprise"].queryset = enterprises

    def clean_slug(self) -> str:
        return self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("title", ""))[:80]

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("enterprise", "cover")}
        data["cover"] = self.cleaned_data.get("cover") or None
        return data


class BudgetLineForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=200)
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=16, decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )  # fmt: skip


class OutcomeForm(forms.Form):
    indicator = forms.CharField(label=_("Indicator"), max_length=200)
    target_value = forms.DecimalField(
        label=_("Target value"), max_digits=14, decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )  # fmt: skip
    unit = forms.CharField(label=_("Unit"), max_length=60)


def row_formsets(
    data: Any = None, *, budget_lines: list[dict] | None = None, outcomes: list[dict] | None = None
) -> tuple[forms.BaseFormSet, forms.BaseFormSet]:
    """Budget lines and outcomes as rows; without JavaScript, blank rows wait at the end."""
    budget_lines, outcomes = budget_lines or [], outcomes or []
    budget_cls = forms.formset_factory(
        BudgetLineForm, extra=BUDGET_ROWS if not budget_lines else 2, can_delete=True,
        can_delete_extra=False,
    )  # fmt: skip
    outcome_cls = forms.formset_factory(
        OutcomeForm, extra=OUTCOME_ROWS if not outcomes else 1, can_delete=True,
        can_delete_extra=False,
    )  # fmt: skip
    return (
        budget_cls(data, initial=budget_lines, prefix="budget"),
        outcome_cls(data, initial=outcomes, prefix="outcome"),
    )


def with_more_rows(data: Any) -> Any:
    """A copy of the posted form with MORE_ROWS blank rows added to each table."""
    data = data.copy()
    for prefix in ("budget", "outcome"):
        key = f"{prefix}-TOTAL_FORMS"
        try:
            data[key] = str(min(int(data.get(key, 0)) + MORE_ROWS, 100))
        except ValueError:
            data[key] = str(MORE_ROWS)
    return data


def filled_rows(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    """The rows a person filled in and did not mark for removal, as plain dicts."""
    rows = []
    for form in formset.forms:
        data = {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        if data and not form.cleaned_data.get("DELETE"):
            rows.append(data)
    return rows


class SubmitForm(forms.Form):
    comment = forms.CharField(
        label=_("Note to the reviewers"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional: what changed since the last review, or anything they should know."),
    )  # fmt: skip
