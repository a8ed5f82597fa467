"""The ledger becomes a neutral core.

- An account says what it is kept for as data (`owner`), not by a foreign key into another
  app: a campaign's restricted fund `campaign:<id>`, an enterprise's payable
  `enterprise:<id>`, a provider's clearing its code (`stripe`). Roles lose the names of
  other apps and providers: `campaign_fund` is `restricted_fund`, `stripe_clearing` is
  `provider_clearing`. Codes and names stay as they are.
- A posting may carry one generic dimension (a short key and value).
- Period audit rows speak the vocabulary of every audit trail (from_state, to_state,
  comment).
- The triggers and functions are the current set of `ledger/db/` (the refusal no longer
  names Stripe; the posting function writes the dimension).
"""

from django.db import migrations, models

ROLES = {"stripe_clearing": "provider_clearing", "campaign_fund": "restricted_fund"}
OLD_POST_FUNCTION = (
    "DROP FUNCTION IF EXISTS ledger_entry_post(text, text, text, text, date, timestamptz,"
    " timestamptz, jsonb, boolean, text, bigint, bigint, bigint[], text[], numeric[],"
    " numeric[], numeric[])"
)


def owners(apps, schema_editor):
    account = apps.get_model("ledger", "Account")
    for row in account.objects.exclude(campaign=None):
        account.objects.filter(pk=row.pk).update(owner=f"campaign:{row.campaign_id}")
    for row in account.objects.exclude(enterprise=None):
        account.objects.filter(pk=row.pk).update(owner=f"enterprise:{row.enterprise_id}")
    account.objects.filter(role="stripe_clearing").update(owner="stripe")
    for old, new in ROLES.items():
        account.objects.filter(role=old).update(role=new)


def owners_back(apps, schema_editor):
    account = apps.get_model("ledger", "Account")
    for old, new in ROLES.items():
        account.objects.filter(role=new).update(role=old)
    for row in account.objects.exclude(owner=""):
        kind, _sep, pk = row.owner.partition(":")
        if kind in ("campaign", "enterprise") and pk.isdigit():
            account.objects.filter(pk=row.pk).update(**{f"{kind}_id": int(pk)})


def period_states(apps, schema_editor):
    audit = apps.get_model("ledger", "PeriodAudit")
    audit.objects.filter(action="close").update(to_state="closed")
    audit.objects.filter(action="reopen").update(from_state="closed", to_state="reopened")


def period_actions(apps, schema_editor):
    audit = apps.get_model("ledger", "PeriodAudit")
    audit.objects.filter(to_state="closed").update(action="close")
    audit.objects.filter(to_state="reopened").update(action="reopen")


def lift_invariants(apps, schema_editor):
    # SQLite rebuilds a table to add a column, and its triggers would refer to a table
    # that is gone halfway; they are put back (the current set) at the end.
    from ledger.db import uninstall

    if schema_editor.connection.vendor == "sqlite":
        uninstall(schema_editor.connection)


def current_invariants(apps, schema_editor):
    from ledger.db import install

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_POST_FUNCTION)
    install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0008_hand_over_models")]

    operations = [
        migrations.RunPython(lift_invariants, migrations.RunPython.noop),
        migrations.AddField(
            model_name="account",
            name="owner",
            field=models.CharField(
                blank=True, max_length=64, verbose_name="kept for",
                help_text="What the account is kept for, as data: campaign:42 (a restricted "
                "fund), enterprise:7 (what is owed to it), stripe (a provider's clearing).",
            ),
        ),
        migrations.RunPython(owners, owners_back),
        migrations.RemoveConstraint(
            model_name="account", name="ledger_one_fund_per_campaign_currency"
        ),
        migrations.RemoveField(model_name="account", name="campaign"),
        migrations.RemoveField(model_name="account", name="enterprise"),
        migrations.AddConstraint(
            model_name="account",
            constraint=models.UniqueConstraint(
                condition=models.Q(("owner", ""), _negated=True),
                fields=("role", "owner", "currency"),
                name="ledger_one_account_per_owner_role_currency",
            ),
        ),
        migrations.AddField(
            model_name="posting", name="dimension_key",
            field=models.CharField(blank=True, db_default="", default="", max_length=32),
        ),
        migrations.AddField(
            model_name="posting", name="dimension_value",
            field=models.CharField(blank=True, db_default="", default="", max_length=64),
        ),
        migrations.AddField(
            model_name="periodaudit", name="from_state",
            field=models.CharField(
                blank=True, choices=[("closed", "Closed"), ("reopened", "Reopened")], max_length=8
            ),
        ),
        migrations.AddField(
            model_name="periodaudit", name="to_state",
            field=models.CharField(
                choices=[("closed", "Closed"), ("reopened", "Reopened")], default="closed",
                max_length=8,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(period_states, period_actions),
        migrations.RemoveField(model_name="periodaudit", name="action"),
        migrations.RenameField(model_name="periodaudit", old_name="reason", new_name="comment"),
        migrations.AlterField(
            model_name="account", name="role",
            field=models.CharField(choices=[("provider_clearing", "Payment provider clearing (available balance)"), ("bank", "Bank account"), ("disputed_funds", "Funds withdrawn by disputes"), ("restricted_fund", "Restricted fund"), ("operations_fund", "Operations (unrestricted) fund"), ("fee_income", "Secretariat fee income"), ("donation_income", "Unrestricted donation income"), ("processing_fees", "Payment-processing fees"), ("dispute_fees", "Dispute fees"), ("fx_realised", "Realised FX gain/loss"), ("fx_unrealised", "Unrealised FX gain/loss"), ("fx_conversion", "Currency conversion (trading)"), ("rounding", "Rounding"), ("disbursements_payable", "Disbursements payable"), ("adjustments", "Other / adjustments")], max_length=32, verbose_name="role"),
        ),
        migrations.AlterField(
            model_name="journalentry", name="kind",
            field=models.CharField(choices=[("donation_settled", "Donation settled"), ("secretariat_fee", "Secretariat fee"), ("refund", "Refund"), ("dispute_opened", "Dispute opened"), ("dispute_won", "Dispute won"), ("dispute_lost", "Dispute lost"), ("payout_paid", "Payout paid"), ("payout_failed", "Payout failed"), ("offline_gift", "Offline gift"), ("disbursement", "Disbursement approved"), ("disbursement_paid", "Disbursement paid"), ("release_from_restriction", "Release from restriction"), ("manual_adjustment", "Manual adjustment"), ("fx_revaluation", "FX revaluation"), ("reversal", "Reversal")], db_index=True, max_length=32),
        ),
        migrations.RunPython(current_invariants, migrations.RunPython.noop),
    ]  # fmt: skip
