"""The treasurer's tables and constraints take the app's names."""

from decimal import Decimal

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("donors", "0003_hand_over_rates"),
        ("treasury", "0001_initial"),
    ]

    operations = [
        *[
            migrations.AlterModelTable(name=name, table=None)
            for name in ("feeshare", "disbursement", "disbursementaudit", "referencerate")
        ],
        migrations.AlterField(
            model_name="feeshare",
            name="campaign",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT, related_name="fee_share",
                to="campaigns.campaign",
            ),
        ),
        migrations.RemoveConstraint(model_name="feeshare", name="ledger_fee_share_range"),
        migrations.AddConstraint(
            model_name="feeshare",
            constraint=models.CheckConstraint(
                condition=models.Q(("share__gte", 0), ("share__lte", Decimal("0.5"))),
                name="treasury_fee_share_range",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="disbursement", name="ledger_disbursement_state_valid"
        ),
        migrations.RemoveConstraint(
            model_name="disbursement", name="ledger_disbursement_amounts_positive"
        ),
        migrations.AddConstraint(
            model_name="disbursement",
            constraint=models.CheckConstraint(
                condition=models.Q(("state__in", ["approved", "paid", "cancelled"])),
                name="treasury_disbursement_state_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="disbursement",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount__gt", 0), ("fund_amount__gt", 0)),
                name="treasury_disbursement_amounts_positive",
            ),
        ),
        migrations.RemoveConstraint(model_name="referencerate", name="reference_rate_one_per_day"),
        migrations.RemoveConstraint(model_name="referencerate", name="reference_rate_positive"),
        migrations.AddConstraint(
            model_name="referencerate",
            constraint=models.UniqueConstraint(
                fields=("currency", "effective_date"), name="treasury_reference_rate_one_per_day"
            ),
        ),
        migrations.AddConstraint(
            model_name="referencerate",
            constraint=models.CheckConstraint(
                condition=models.Q(("rate__gt", 0)), name="treasury_reference_rate_positive"
            ),
        ),
    ]
