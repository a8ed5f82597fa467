"""Install the triggers that make the database itself guard the ledger's invariants."""

from django.db import migrations

from ledger.db import install, uninstall


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
