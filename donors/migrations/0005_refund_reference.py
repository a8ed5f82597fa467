"""A UUID per refund, to build the key of our request to the provider from (see
`donors.services.refunds.refund_submit`).

Added empty, then given its default for new rows only: a default on the AddField would give
every existing refund the same value (and break the unique constraint), and a refund that
already exists may already have been sent with its id-based key, which it must keep so a
retry of that request is still answered with the first refund, not a second one.
"""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("donors", "0004_provider_neutral"),
    ]

    operations = [
        migrations.AddField(
            model_name="refund",
            name="reference",
            field=models.UUIDField(editable=False, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="refund",
            name="reference",
            field=models.UUIDField(default=uuid.uuid4, editable=False, null=True, unique=True),
        ),
    ]
