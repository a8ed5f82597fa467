"""Install the one-round-trip posting function (PostgreSQL; nothing to do on SQLite)."""

from django.db import migrations

from ledger.db import install_post, uninstall_post


class Migration(migrations.Migration):
    dependencies = [("ledger", "0005_disbursement")]
    operations = [migrations.RunPython(install_post, uninstall_post)]
