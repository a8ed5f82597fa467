"""The ledger hands its reconciliation and treasury models over to their own apps.

Only Django's record of the models changes here: the tables and their rows stay, and
`reconciliation.0001_initial` and `treasury.0001_initial` take the models up under the same
tables (their later migrations rename the tables).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ledger", "0007_import_uploads")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ImportUpload"),
                migrations.DeleteModel(name="StripePayout"),
                migrations.DeleteModel(name="StripeBalanceTransaction"),
                migrations.DeleteModel(name="BankStatementLine"),
                migrations.DeleteModel(name="ReconciliationAudit"),
                migrations.DeleteModel(name="ImportJob"),
                migrations.DeleteModel(name="DisbursementAudit"),
                migrations.DeleteModel(name="Disbursement"),
                migrations.DeleteModel(name="FeeShare"),
            ]
        )
    ]
