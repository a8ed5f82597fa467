"""DRF's never-expiring tokens become django-rest-knox tokens that expire, and the old
table goes.

A DRF token is a 40-character key stored as it is. Knox keeps only a digest: the SHA-512 of
the key, found by its first 15 characters. Each old key is hashed into a knox row that
expires API_TOKEN_TTL_HOURS after this migration, so the treasurer's scripts keep working
until then, and can be revoked (POST /api/v1/auth/logout/) or killed by a new password
before. Then `authtoken_token` is dropped with the rest of the app's traces (its content
type and permissions, its rows in django_migrations), as if it had never been installed.

The hashing is frozen here (knox 5.1: SHA-512 of the UTF-8 key, key prefix of 15
characters); a fresh database has no old table and nothing to do.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

OLD_TABLE = "authtoken_token"
KEY_PREFIX_LENGTH = 15


def tokens_from_authtoken(apps, connection) -> int:
    """Move the old tokens into knox and drop the old table; the number moved."""
    if OLD_TABLE not in connection.introspection.table_names():
        return 0
    AuthToken = apps.get_model("knox", "AuthToken")  # noqa: N806 - a model class
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('key')}, {quote('user_id')} FROM {quote(OLD_TABLE)}")  # noqa: S608 - fixed names
        rows = cursor.fetchall()
    now = timezone.now()
    ttl = getattr(settings, "REST_KNOX", {}).get("TOKEN_TTL", timedelta(hours=10))
    AuthToken.objects.bulk_create([
        AuthToken(digest=hashlib.sha512(key.encode()).hexdigest(),
                  token_key=key[:KEY_PREFIX_LENGTH], user_id=user_id, created=now,
                  expiry=now + ttl)
        for key, user_id in rows
    ])  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {quote(OLD_TABLE)}")
    ContentType = apps.get_model("contenttypes", "ContentType")  # noqa: N806 - a model class
    ContentType.objects.filter(app_label="authtoken").delete()  # and its permissions
    MigrationRecorder(connection).migration_qs.filter(app="authtoken").delete()
    return len(rows)


def forwards(apps, schema_editor) -> None:
    tokens_from_authtoken(apps, schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("knox", "0009_extend_authtoken_field"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    # Backwards there is nothing to give back: the old keys are not kept.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
