from django import template
from moneyed import Money

from common.money import format_money

register = template.Library()


@register.filter(name="money")
def money_filter(value: Money | None) -> str:
    """{{ campaign.goal|money }} -> "RM 1,250.00" in the active language."""
    if value is None:
        return ""
    return format_money(value)
