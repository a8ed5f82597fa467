"""Reference exchange rates move to the treasury app (`treasury.0001_initial` took the model
up under its table): donations now point at the rates there, and donors' record of the
model goes. Nothing changes in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("donors", "0002_reference_rates"),
        ("treasury", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="donation",
                    name="reference_rate",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="The secretariat's rate that converted the settled amount, "
                        "if one was needed.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="donations",
                        to="treasury.referencerate",
                    ),
                ),
                migrations.DeleteModel(name="ReferenceRate"),
            ]
        )
    ]
