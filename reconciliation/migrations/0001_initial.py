"""The reconciliation models, moved out of the ledger with their tables and rows.

Only Django's record of the models moves here (the tables stay as they are, under their old
names, until 0002 renames them); `ledger.0008_hand_over_models` removed them from the
ledger's record first. The content types move too, so permissions given to the treasurer's
group and the admin's history follow the models.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = {
    "importjob": "importjob",
    "importupload": "importupload",
    "bankstatementline": "bankstatementline",
    "reconciliationaudit": "reconciliationaudit",
    "stripebalancetransaction": "providertransaction",
    "stripepayout": "providerpayout",
}


# The two renamed models: their permissions are renamed with them, so the groups that held
# "view_stripepayout" now hold "view_providerpayout" (Django would otherwise create new
# permissions that no group has, and the treasurer would lose the admin pages).
RENAMED = {
    "stripebalancetransaction": ("stripe balance transaction", "provider transaction"),
    "stripepayout": ("stripe payout", "provider payout"),
}
ACTIONS = ("add", "change", "delete", "view")


def rename_permissions(permission, content_type_id, old, new, new_name):
    for action in ACTIONS:
        permission.objects.filter(
            content_type_id=content_type_id, codename=f"{action}_{old}"
        ).update(codename=f"{action}_{new}", name=f"Can {action} {new_name}")


def move_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    for old, new in MOVED.items():
        if content_type.objects.filter(app_label="reconciliation", model=new).exists():
            continue
        moved = content_type.objects.filter(app_label="ledger", model=old).first()
        if moved is None:  # a fresh database: post_migrate creates them later
            continue
        moved.app_label, moved.model = "reconciliation", new
        moved.save(update_fields=["app_label", "model"])
        if old in RENAMED:
            rename_permissions(permission, moved.pk, old, new, RENAMED[old][1])


def move_content_types_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    for old, new in MOVED.items():
        moved = content_type.objects.filter(app_label="reconciliation", model=new).first()
        if moved is None:
            continue
        moved.app_label, moved.model = "ledger", old
        moved.save(update_fields=["app_label", "model"])
        if old in RENAMED:
            rename_permissions(permission, moved.pk, new, old, RENAMED[old][0])


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('ledger', '0008_hand_over_models'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImportJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('stripe_api', 'Stripe API (balance transactions and payouts)'), ('stripe_csv', 'Stripe balance transactions CSV export'), ('bank_csv', 'Bank statement CSV')], max_length=16)),
                        ('state', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('succeeded', 'Succeeded'), ('failed', 'Failed')], default='queued', max_length=16)),
                        ('file_name', models.CharField(blank=True, max_length=255)),
                        ('total', models.PositiveIntegerField(blank=True, null=True)),
                        ('processed', models.PositiveIntegerField(default=0)),
                        ('created_count', models.PositiveIntegerField(default=0)),
                        ('existing_count', models.PositiveIntegerField(default=0)),
                        ('error', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('bank_account', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.account')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'ledger_importjob',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='BankStatementLine',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('unmatched', 'Unmatched'), ('matched', 'Matched'), ('explained', 'Explained')], default='unmatched', max_length=16)),
                        ('method', models.CharField(blank=True, choices=[('auto', 'Automatic'), ('manual', 'Manual')], max_length=8)),
                        ('explanation', models.TextField(blank=True)),
                        ('resolved_at', models.DateTimeField(blank=True, null=True)),
                        ('imported_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('line_hash', models.CharField(max_length=64, unique=True)),
                        ('date', models.DateField()),
                        ('description', models.TextField(blank=True)),
                        ('amount', models.DecimalField(decimal_places=3, max_digits=18)),
                        ('currency', models.CharField(max_length=3)),
                        ('reference', models.CharField(blank=True, db_index=True, max_length=255)),
                        ('bank_account', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.account')),
                        ('entry', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.journalentry')),
                        ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('import_job', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='reconciliation.importjob')),
                    ],
                    options={
                        'db_table': 'ledger_bankstatementline',
                        'ordering': ['date', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='ReconciliationAudit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('item_type', models.CharField(max_length=32)),
                        ('item_id', models.BigIntegerField()),
                        ('action', models.CharField(choices=[('match', 'Matched by hand'), ('explain', 'Explained'), ('unmatch', 'Match undone')], max_length=8)),
                        ('reason', models.TextField(blank=True)),
                        ('at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('entry', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.journalentry')),
                    ],
                    options={
                        'db_table': 'ledger_reconciliationaudit',
                        'ordering': ['at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='ProviderTransaction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('unmatched', 'Unmatched'), ('matched', 'Matched'), ('explained', 'Explained')], default='unmatched', max_length=16)),
                        ('method', models.CharField(blank=True, choices=[('auto', 'Automatic'), ('manual', 'Manual')], max_length=8)),
                        ('explanation', models.TextField(blank=True)),
                        ('resolved_at', models.DateTimeField(blank=True, null=True)),
                        ('imported_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('stripe_id', models.CharField(max_length=255, unique=True)),
                        ('type', models.CharField(max_length=64)),
                        ('source_id', models.CharField(blank=True, db_index=True, max_length=255)),
                        ('amount', models.DecimalField(decimal_places=3, max_digits=18)),
                        ('fee', models.DecimalField(decimal_places=3, max_digits=18)),
                        ('net', models.DecimalField(decimal_places=3, max_digits=18)),
                        ('currency', models.CharField(max_length=3)),
                        ('exchange_rate', models.DecimalField(blank=True, decimal_places=12, max_digits=24, null=True)),
                        ('created', models.DateTimeField()),
                        ('available_on', models.DateTimeField(blank=True, null=True)),
                        ('description', models.TextField(blank=True)),
                        ('payout_id', models.CharField(blank=True, db_index=True, max_length=255)),
                        ('raw', models.JSONField(blank=True, default=dict)),
                        ('entry', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.journalentry')),
                        ('import_job', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='reconciliation.importjob')),
                        ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'ledger_stripebalancetransaction',
                        'ordering': ['created', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='ProviderPayout',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('unmatched', 'Unmatched'), ('matched', 'Matched'), ('explained', 'Explained')], default='unmatched', max_length=16)),
                        ('method', models.CharField(blank=True, choices=[('auto', 'Automatic'), ('manual', 'Manual')], max_length=8)),
                        ('explanation', models.TextField(blank=True)),
                        ('resolved_at', models.DateTimeField(blank=True, null=True)),
                        ('imported_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('stripe_id', models.CharField(max_length=255, unique=True)),
                        ('amount', models.DecimalField(decimal_places=3, max_digits=18)),
                        ('currency', models.CharField(max_length=3)),
                        ('arrival_date', models.DateField()),
                        ('payout_status', models.CharField(blank=True, max_length=32)),
                        ('balance_transaction_id', models.CharField(blank=True, max_length=255)),
                        ('created', models.DateTimeField()),
                        ('raw', models.JSONField(blank=True, default=dict)),
                        ('bank_line', models.ForeignKey(blank=True, help_text='The deposit that carried it (several may share one).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='payouts', to='reconciliation.bankstatementline')),
                        ('entry', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.journalentry')),
                        ('import_job', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='reconciliation.importjob')),
                        ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'ledger_stripepayout',
                        'ordering': ['arrival_date', 'id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='importjob',
                    constraint=models.CheckConstraint(condition=models.Q(('total__isnull', True), ('processed__lte', models.F('total')), _connector='OR'), name='ledger_import_processed_le_total'),
                ),
                migrations.AddConstraint(
                    model_name='bankstatementline',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'explained'), _negated=True), models.Q(('explanation', ''), _negated=True), _connector='OR'), name='ledger_bank_line_explained_has_reason'),
                ),
                migrations.AddConstraint(
                    model_name='bankstatementline',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['unmatched', 'matched', 'explained'])), name='ledger_bank_line_status_valid'),
                ),
                migrations.AddIndex(
                    model_name='reconciliationaudit',
                    index=models.Index(fields=['item_type', 'item_id'], name='ledger_recon_audit_item'),
                ),
                migrations.AddConstraint(
                    model_name='providertransaction',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'explained'), _negated=True), models.Q(('explanation', ''), _negated=True), _connector='OR'), name='ledger_stripe_bt_explained_has_reason'),
                ),
                migrations.AddConstraint(
                    model_name='providertransaction',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['unmatched', 'matched', 'explained'])), name='ledger_stripe_bt_status_valid'),
                ),
                migrations.AddConstraint(
                    model_name='providerpayout',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'explained'), _negated=True), models.Q(('explanation', ''), _negated=True), _connector='OR'), name='ledger_stripe_payout_explained_has_reason'),
                ),
                migrations.AddConstraint(
                    model_name='providerpayout',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['unmatched', 'matched', 'explained'])), name='ledger_stripe_payout_status_valid'),
                ),
                migrations.CreateModel(
                    name='ImportUpload',
                    fields=[
                        ('job', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='upload', serialize=False, to='reconciliation.importjob')),
                        ('data', models.BinaryField()),
                    ],
                    options={
                        'db_table': 'ledger_importupload',
                    },
                ),
                migrations.AddField(
                    model_name='importjob',
                    name='created_gte',
                    field=models.BigIntegerField(blank=True, help_text='Stripe API imports: from this Unix time on.', null=True),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
