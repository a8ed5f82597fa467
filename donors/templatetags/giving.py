from django import template

from donors.forms import give_context

register = template.Library()


@register.inclusion_tag("donors/_give_panel.html", takes_context=True)
def give_panel(context, campaign):
    """The gift form, money on its way, and the donor wall, for a campaign page."""
    return {
        **give_context(campaign, context.get("request")),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
