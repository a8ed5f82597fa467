"""Reconciliation speaks of payment providers, not of Stripe: the tables take the app's names,
provider items say which provider they came from (every one so far came from Stripe) and
are unique per provider, and the audit rows speak the vocabulary of every audit trail
(from_state, to_state, comment)."""

from django.db import migrations, models

AUDIT_STATES = {"match": ("unmatched", "matched"), "explain": ("unmatched", "explained")}


def audit_states(apps, schema_editor):
    audit = apps.get_model("reconciliation", "ReconciliationAudit")
    for action, (before, after) in AUDIT_STATES.items():
        audit.objects.filter(action=action).update(from_state=before, to_state=after)
    # An undone match or explanation: what it was before is not recorded.
    audit.objects.filter(action="unmatch").update(to_state="unmatched")


def status_constraints(prefix):
    return [
        models.CheckConstraint(
            condition=models.Q(
                models.Q(("status", "explained"), _negated=True),
                models.Q(("explanation", ""), _negated=True),
                _connector="OR",
            ),
            name=f"{prefix}_explained_has_reason",
        ),
        models.CheckConstraint(
            condition=models.Q(("status__in", ["unmatched", "matched", "explained"])),
            name=f"{prefix}_status_valid",
        ),
    ]


def rename_constraints(model, old_prefix, new_prefix):
    operations = [
        migrations.RemoveConstraint(model_name=model, name=f"{old_prefix}_{suffix}")
        for suffix in ("explained_has_reason", "status_valid")
    ]
    return operations + [
        migrations.AddConstraint(model_name=model, constraint=constraint)
        for constraint in status_constraints(new_prefix)
    ]


def provider_field():
    return models.CharField(max_length=32, help_text="The payment provider's code.")


class Migration(migrations.Migration):
    dependencies = [("reconciliation", "0001_initial")]

    operations = [
        *[
            migrations.AlterModelTable(name=name, table=None)
            for name in (
                "importjob", "importupload", "bankstatementline", "reconciliationaudit",
                "providertransaction", "providerpayout",
            )
        ],
        # Import jobs: any provider's kinds.
        migrations.AlterField(
            model_name="importjob",
            name="kind",
            field=models.CharField(help_text="One of `import_kinds()`.", max_length=32),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="created_gte",
            field=models.BigIntegerField(
                blank=True, help_text="Provider API imports: from this Unix time on.", null=True
            ),
        ),
        migrations.RemoveConstraint(
            model_name="importjob", name="ledger_import_processed_le_total"
        ),
        migrations.AddConstraint(
            model_name="importjob",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("total__isnull", True), ("processed__lte", models.F("total")), _connector="OR"
                ),
                name="reconciliation_import_processed_le_total",
            ),
        ),
        # Provider items: whose, and unique per provider.
        *[
            op
            for model in ("providertransaction", "providerpayout")
            for op in (
                migrations.RenameField(model_name=model, old_name="stripe_id", new_name="provider_id"),
                migrations.AlterField(
                    model_name=model, name="provider_id", field=models.CharField(max_length=255)
                ),
                migrations.AddField(
                    model_name=model, name="provider",
                    field=models.CharField(default="stripe", max_length=32,
                                           help_text="The payment provider's code."),
                    preserve_default=False,
                ),
            )
        ],
        migrations.AlterField(
            model_name="providertransaction",
            name="type",
            field=models.CharField(help_text="The provider's own word for it.", max_length=64),
        ),
        migrations.AddConstraint(
            model_name="providertransaction",
            constraint=models.UniqueConstraint(
                fields=("provider", "provider_id"), name="reconciliation_transaction_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="providerpayout",
            constraint=models.UniqueConstraint(
                fields=("provider", "provider_id"), name="reconciliation_payout_once"
            ),
        ),
        *rename_constraints("providertransaction", "ledger_stripe_bt", "reconciliation_transaction"),
        *rename_constraints("providerpayout", "ledger_stripe_payout", "reconciliation_payout"),
        *rename_constraints("bankstatementline", "ledger_bank_line", "reconciliation_bank_line"),
        # Audit rows: the common vocabulary.
        migrations.RenameField(model_name="reconciliationaudit", old_name="reason", new_name="comment"),
        migrations.AddField(
            model_name="reconciliationaudit",
            name="from_state",
            field=models.CharField(blank=True, choices=[("unmatched", "Unmatched"), ("matched", "Matched"), ("explained", "Explained")], max_length=16),
        ),
        migrations.AddField(
            model_name="reconciliationaudit",
            name="to_state",
            field=models.CharField(blank=True, choices=[("unmatched", "Unmatched"), ("matched", "Matched"), ("explained", "Explained")], max_length=16),
        ),
        migrations.RunPython(audit_states, migrations.RunPython.noop),
        migrations.RenameIndex(
            model_name="reconciliationaudit",
            new_name="reconciliation_audit_item",
            old_name="ledger_recon_audit_item",
        ),
    ]
