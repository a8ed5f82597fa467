from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.urls import register_converter

from common.converters import RowIdConverter


def _sync_role_groups(sender, app_config, using="default", **kwargs) -> None:
    from common.roles import role_groups_sync

    role_groups_sync(app_label=app_config.label, using=using)


class CommonConfig(AppConfig):
    """What every layer may use: errors, money, roles, countries, shared API and admin
    pieces. It has no models; it is an app so that its template tags and templates load."""

    name = "common"
    verbose_name = "Common"

    def ready(self) -> None:
        # Connected after django.contrib.auth's own receiver (auth is installed first), so
        # an app's permissions exist by the time its groups are given them.
        post_migrate.connect(_sync_role_groups, dispatch_uid="common.sync_role_groups")
        register_converter(RowIdConverter, "id")
