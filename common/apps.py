from django.apps import AppConfig


class CommonConfig(AppConfig):
    """What every layer may use: errors, money, roles, countries, shared API and admin
    pieces. It has no models; it is an app so that its template tags and templates load."""

    name = "common"
    verbose_name = "Common"
