from django.apps import AppConfig


class FundraisingConfig(AppConfig):
    name = "fundraising"
    verbose_name = "Gotong"

    def ready(self) -> None:
        from fundraising.tokens import connect_signals

        connect_signals()  # a new password revokes the user's API tokens
