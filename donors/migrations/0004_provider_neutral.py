"""Gifts say which payment provider they go through (every one so far went through Stripe),
the provider's fee and ids lose Stripe's name, and the audit rows speak the vocabulary of
every audit trail (from_state, to_state, comment, at)."""

from django.db import migrations, models


def provider_field():
    return models.CharField(
        default="stripe", max_length=32, help_text="The payment provider's code."
    )


class Migration(migrations.Migration):
    dependencies = [("donors", "0003_hand_over_rates")]

    operations = [
        migrations.AddField(
            model_name="donation", name="provider",
            field=models.CharField(
                default="stripe", max_length=32,
                help_text="The payment provider the gift goes through (payments/<code>).",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="recurringgift", name="provider", field=provider_field(),
            preserve_default=False,
        ),
        migrations.RenameField(model_name="donation", old_name="stripe_fee",
                               new_name="processing_fee"),
        migrations.RenameField(model_name="donation", old_name="stripe_fee_currency",
                               new_name="processing_fee_currency"),
        migrations.RenameField(model_name="refund", old_name="stripe_refund_id",
                               new_name="provider_refund_id"),
        migrations.RenameField(model_name="dispute", old_name="stripe_dispute_id",
                               new_name="provider_dispute_id"),
        migrations.RenameField(model_name="donationtransition", old_name="from_status",
                               new_name="from_state"),
        migrations.RenameField(model_name="donationtransition", old_name="to_status",
                               new_name="to_state"),
        migrations.RenameField(model_name="donationtransition", old_name="note",
                               new_name="comment"),
        migrations.RenameField(model_name="donationtransition", old_name="created_at",
                               new_name="at"),
        migrations.AlterModelOptions(name="donationtransition", options={"ordering": ["at", "id"]}),
        migrations.AlterField(
            model_name="refund", name="status",
            field=models.CharField(choices=[("requested", "Requested"), ("pending", "Pending at the payment provider"), ("succeeded", "Succeeded"), ("failed", "Failed")], default="requested", max_length=12),
        ),
    ]  # fmt: skip
