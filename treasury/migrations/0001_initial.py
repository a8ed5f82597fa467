"""The treasurer's models, moved in with their tables and rows: fee shares and disbursements
from the ledger, reference exchange rates from donors.

Only Django's record of the models moves here (the tables keep their old names until 0002
renames them); `ledger.0008_hand_over_models` removed the ledger's record first, and
`donors.0003_hand_over_rates` points donations at the rates here and removes its own. The
content types move too, so permissions and the admin's history follow the models.
"""

from decimal import Decimal

import django.db.models.deletion
import django.utils.timezone
import djmoney.models.fields
from django.conf import settings
from django.db import migrations, models

MOVED = [
    ("ledger", "feeshare"),
    ("ledger", "disbursement"),
    ("ledger", "disbursementaudit"),
    ("donors", "referencerate"),
]


def move_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for app_label, model in MOVED:
        if content_type.objects.filter(app_label="treasury", model=model).exists():
            continue
        content_type.objects.filter(app_label=app_label, model=model).update(app_label="treasury")


def move_content_types_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for app_label, model in MOVED:
        content_type.objects.filter(app_label="treasury", model=model).update(app_label=app_label)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('campaigns', '0002_sdg_goals'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('donors', '0002_reference_rates'),
        ('ledger', '0008_hand_over_models'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='FeeShare',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('share', models.DecimalField(decimal_places=4, help_text='0.0500 takes 5% of each donation.', max_digits=5)),
                        ('reason', models.TextField(blank=True)),
                        ('set_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('campaign', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='ledger_fee_share', to='campaigns.campaign')),
                        ('set_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'ledger_feeshare',
                        'constraints': [models.CheckConstraint(condition=models.Q(('share__gte', 0), ('share__lte', Decimal('0.5'))), name='ledger_fee_share_range')],
                    },
                ),
                migrations.CreateModel(
                    name='Disbursement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reference', models.CharField(max_length=100, unique=True, verbose_name='reference')),
                        ('amount_currency', djmoney.models.fields.CurrencyField(choices=[('AFN', 'Afghan Afghani'), ('BDT', 'Bangladeshi Taka'), ('KHR', 'Cambodian Riel'), ('CNY', 'Chinese Yuan'), ('EUR', 'Euro'), ('HKD', 'Hong Kong Dollar'), ('INR', 'Indian Rupee'), ('IDR', 'Indonesian Rupiah'), ('JPY', 'Japanese Yen'), ('LAK', 'Laotian Kip'), ('MYR', 'Malaysian Ringgit'), ('MMK', 'Myanmar Kyat'), ('NPR', 'Nepalese Rupee'), ('PKR', 'Pakistani Rupee'), ('PHP', 'Philippine Peso'), ('SGD', 'Singapore Dollar'), ('KRW', 'South Korean Won'), ('LKR', 'Sri Lankan Rupee'), ('THB', 'Thai Baht'), ('USD', 'US Dollar'), ('VND', 'Vietnamese Dong')], default=None, editable=False, max_length=3)),
                        ('amount', djmoney.models.fields.MoneyField(decimal_places=3, default_currency=None, help_text='What the enterprise receives, in its currency.', max_digits=18, verbose_name='amount')),
                        ('fund_amount_currency', djmoney.models.fields.CurrencyField(choices=[('AFN', 'Afghan Afghani'), ('BDT', 'Bangladeshi Taka'), ('KHR', 'Cambodian Riel'), ('CNY', 'Chinese Yuan'), ('EUR', 'Euro'), ('HKD', 'Hong Kong Dollar'), ('INR', 'Indian Rupee'), ('IDR', 'Indonesian Rupiah'), ('JPY', 'Japanese Yen'), ('LAK', 'Laotian Kip'), ('MYR', 'Malaysian Ringgit'), ('MMK', 'Myanmar Kyat'), ('NPR', 'Nepalese Rupee'), ('PKR', 'Pakistani Rupee'), ('PHP', 'Philippine Peso'), ('SGD', 'Singapore Dollar'), ('KRW', 'South Korean Won'), ('LKR', 'Sri Lankan Rupee'), ('THB', 'Thai Baht'), ('USD', 'US Dollar'), ('VND', 'Vietnamese Dong')], default=None, editable=False, max_length=3)),
                        ('fund_amount', djmoney.models.fields.MoneyField(decimal_places=3, default_currency=None, help_text="What leaves the fund, in the fund's currency.", max_digits=18, verbose_name='fund amount')),
                        ('fund_rate', models.DecimalField(blank=True, decimal_places=12, help_text="Book-currency units per unit of the fund's currency (not for MYR).", max_digits=24, null=True)),
                        ('state', models.CharField(choices=[('approved', 'Approved'), ('paid', 'Paid'), ('cancelled', 'Cancelled')], default='approved', max_length=16)),
                        ('approved_on', models.DateField(verbose_name='approved on')),
                        ('paid_currency', djmoney.models.fields.CurrencyField(choices=[('AFN', 'Afghan Afghani'), ('BDT', 'Bangladeshi Taka'), ('KHR', 'Cambodian Riel'), ('CNY', 'Chinese Yuan'), ('EUR', 'Euro'), ('HKD', 'Hong Kong Dollar'), ('INR', 'Indian Rupee'), ('IDR', 'Indonesian Rupiah'), ('JPY', 'Japanese Yen'), ('LAK', 'Laotian Kip'), ('MYR', 'Malaysian Ringgit'), ('MMK', 'Myanmar Kyat'), ('NPR', 'Nepalese Rupee'), ('PKR', 'Pakistani Rupee'), ('PHP', 'Philippine Peso'), ('SGD', 'Singapore Dollar'), ('KRW', 'South Korean Won'), ('LKR', 'Sri Lankan Rupee'), ('THB', 'Thai Baht'), ('USD', 'US Dollar'), ('VND', 'Vietnamese Dong')], default=None, editable=False, max_length=3, null=True)),
                        ('paid', djmoney.models.fields.MoneyField(blank=True, decimal_places=3, default_currency=None, help_text='What left the bank.', max_digits=18, null=True, verbose_name='paid')),
                        ('paid_on', models.DateField(blank=True, null=True, verbose_name='paid on')),
                        ('bank_account_code', models.CharField(blank=True, max_length=64)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='disbursements', to='campaigns.campaign')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('enterprise', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='disbursements', to='campaigns.enterprise')),
                        ('entry', models.OneToOneField(help_text="The approval's entry: pending, then posted when paid or void.", on_delete=django.db.models.deletion.PROTECT, related_name='disbursement', to='ledger.journalentry')),
                        ('payment_entry', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.journalentry')),
                    ],
                    options={
                        'db_table': 'ledger_disbursement',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='DisbursementAudit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('from_state', models.CharField(blank=True, choices=[('approved', 'Approved'), ('paid', 'Paid'), ('cancelled', 'Cancelled')], max_length=16)),
                        ('to_state', models.CharField(choices=[('approved', 'Approved'), ('paid', 'Paid'), ('cancelled', 'Cancelled')], max_length=16)),
                        ('comment', models.TextField(blank=True)),
                        ('at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('disbursement', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='audit', to='treasury.disbursement')),
                    ],
                    options={
                        'db_table': 'ledger_disbursementaudit',
                        'ordering': ['at', 'id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='disbursement',
                    constraint=models.CheckConstraint(condition=models.Q(('state__in', ['approved', 'paid', 'cancelled'])), name='ledger_disbursement_state_valid'),
                ),
                migrations.AddConstraint(
                    model_name='disbursement',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0), ('fund_amount__gt', 0)), name='ledger_disbursement_amounts_positive'),
                ),
                migrations.CreateModel(
                    name='ReferenceRate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('currency', models.CharField(max_length=3)),
                        ('rate', models.DecimalField(decimal_places=12, help_text='Book-currency units per one unit of the currency.', max_digits=24)),
                        ('effective_date', models.DateField()),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'donors_referencerate',
                        'ordering': ['currency', '-effective_date'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='referencerate',
                    constraint=models.UniqueConstraint(fields=('currency', 'effective_date'), name='reference_rate_one_per_day'),
                ),
                migrations.AddConstraint(
                    model_name='referencerate',
                    constraint=models.CheckConstraint(condition=models.Q(('rate__gt', 0)), name='reference_rate_positive'),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
