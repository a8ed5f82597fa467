"""Checks on a proposal's content, gathered per field so forms and the API can show them.

Every check returns messages instead of raising, so one request reports every problem.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils.translation import gettext as _

from campaigns.content import image_problems, sanitize_story
from campaigns.models import BeneficiaryGroup, FundingModel
from campaigns.regions import CAMPAIGN_CURRENCIES
from common.money import MAX_AMOUNT, has_valid_precision

INDICATOR_RE = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-z])\.(\d{1,2})$")
MAX_CAMPAIGN_DAYS = 366
Errors = dict[str, list[str]]


def to_decimal(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def check_amount(value: Any, currency: str, *, label: str) -> tuple[Decimal | None, list[str]]:
    amount = to_decimal(value)
    if amount is None:
        return None, [_("%(label)s must be a number.") % {"label": label}]
    if amount <= 0:
        return None, [_("%(label)s must be more than zero.") % {"label": label}]
    if amount > MAX_AMOUNT:
        return None, [_("%(label)s is too large.") % {"label": label}]
    if currency in CAMPAIGN_CURRENCIES and not has_valid_precision(amount, currency):
        return None, [
            _("%(currency)s amounts cannot have that many decimals.") % {"currency": currency}
        ]
    return amount, []


def check_texts(data: dict[str, Any], errors: Errors) -> None:
    limits = {"title": 140, "summary": 280}
    for field, limit in limits.items():
        if field in data:
            value = (data[field] or "").strip()
            data[field] = value
            if not value:
                errors.setdefault(field, []).append(_("This field is required."))
            elif len(value) > limit:
                errors.setdefault(field, []).append(
                    _("At most %(limit)d characters.") % {"limit": limit}
                )
    if "slug" in data:
        data["slug"] = (data["slug"] or "").strip().lower()
        try:
            validate_slug(data["slug"])
        except ValidationError:
            errors.setdefault("slug", []).append(
                _("Use only lowercase letters, numbers, hyphens and underscores.")
            )
    if "story" in data:
        data["story"] = sanitize_story(data["story"])
        if not data["story"]:
            errors.setdefault("story", []).append(_("Tell the story of the project."))


def check_dates(start: Any, end: Any, *, today: date, errors: Errors) -> None:
    if not isinstance(start, date) or not isinstance(end, date):
        errors.setdefault("start_date", []).append(_("Give a start and an end date."))
        return
    if end <= start:
        errors.setdefault("end_date", []).append(_("The end date must be after the start date."))
    elif end <= today:
        errors.setdefault("end_date", []).append(_("The end date must be in the future."))
    elif (end - start).days > MAX_CAMPAIGN_DAYS:
        errors.setdefault("end_date", []).append(_("A campaign can run for at most a year."))


def check_goal_and_budget(data: dict[str, Any], errors: Errors) -> None:
    """Goal in an allowed currency; budget lines in that currency adding up to the goal."""
    currency = data.get("goal_currency")
    if currency not in CAMPAIGN_CURRENCIES:
        errors.setdefault("goal_currency", []).append(_("Choose one of the network's currencies."))
        return
    goal, problems = check_amount(data.get("goal_amount"), currency, label=_("The goal"))
    if problems:
        errors.setdefault("goal_amount", []).extend(problems)
    lines = data.get("budget_lines") or []
    if not lines:
        errors.setdefault("budget_lines", []).append(_("Add at least one budget line."))
        return
    total = Decimal(0)
    for index, line in enumerate(lines):
        description = (line.get("description") or "").strip()
        amount, problems = check_amount(line.get("amount"), currency, label=_("The amount"))
        if not description:
            problems = [_("Describe the budget line."), *problems]
        if problems:
            errors.setdefault("budget_lines", []).append(
                _("Line %(n)d: %(problem)s") % {"n": index + 1, "problem": " ".join(problems)}
            )
            continue
        line["description"], line["amount"] = description, amount
        total += amount
    if goal is not None and "budget_lines" not in errors and total != goal:
        errors.setdefault("budget_lines", []).append(
            _("The budget lines add up to %(total)s but the goal is %(goal)s.")
            % {"total": total, "goal": goal}
        )
    data["goal_amount"] = goal


def check_impact(data: dict[str, Any], errors: Errors) -> None:
    goals = data.get("sdg_goals") or []
    try:
        goals = sorted({int(goal) for goal in goals})
    except (TypeError, ValueError):
        goals = [0]
    if not goals or any(goal < 1 or goal > 17 for goal in goals):
        errors.setdefault("sdg_goals", []).append(_("Choose one or more SDG goals, 1 to 17."))
    data["sdg_goals"] = goals
    for indicator in data.get("sdg_indicators") or []:
        match = INDICATOR_RE.match(str(indicator).strip())
        if not match or int(match.group(1)) not in goals:
            errors.setdefault("sdg_indicators", []).append(
                _("%(indicator)s is not an indicator of the chosen goals (e.g. 1.4.1).")
                % {"indicator": indicator}
            )
    data["sdg_indicators"] = [str(i).strip() for i in data.get("sdg_indicators") or []]
    groups = data.get("beneficiary_groups") or []
    if any(group not in BeneficiaryGroup.values for group in groups):
        errors.setdefault("beneficiary_groups", []).append(_("Unknown beneficiary group."))
    for index, outcome in enumerate(data.get("outcomes") or []):
        target = to_decimal(outcome.get("target_value"))
        filled = (outcome.get("indicator") or "").strip() and (outcome.get("unit") or "").strip()
        if not filled or target is None or target <= 0:
            errors.setdefault("outcomes", []).append(
                _("Outcome %(n)d needs an indicator, a positive target and a unit.")
                % {"n": index + 1}
            )
        else:
            outcome["target_value"] = target


def check_proposal(data: dict[str, Any], *, today: date) -> Errors:
    """Every problem with a complete proposal, by field. Normalises `data` in place."""
    errors: Errors = {}
    check_texts(data, errors)
    check_dates(data.get("start_date"), data.get("end_date"), today=today, errors=errors)
    check_goal_and_budget(data, errors)
    check_impact(data, errors)
    if data.get("funding_model", FundingModel.KEEP_IT_ALL) not in FundingModel.values:
        errors.setdefault("funding_model", []).append(_("Unknown funding model."))
    if data.get("cover"):
        problems = image_problems(data["cover"])
        if problems:
            errors.setdefault("cover", []).extend(problems)
    return errors
