"""python manage.py grant_role <username> reviewer|treasurer|admin"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from common.roles import GROUP_ROLES, Role, role_grant


class Command(BaseCommand):
    help = "Give a user a staff role (reviewer, treasurer or admin) and access to the admin."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=[r.value for r in (*GROUP_ROLES, Role.ADMIN)])

    def handle(self, *args, username: str, role: str, **options) -> None:
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No user called {username!r}.") from exc
        role_grant(user=user, role=Role(role))
        self.stdout.write(self.style.SUCCESS(f"{username} is now a {role}."))
