"""Campaigns' and enterprises' audit rows speak the vocabulary of every audit trail:
from_state, to_state, actor, comment, at."""

from django.db import migrations


def renames(model):
    pairs = (("from_status", "from_state"), ("to_status", "to_state"), ("created_at", "at"))
    return [
        migrations.RenameField(model_name=model, old_name=old, new_name=new) for old, new in pairs
    ]


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0002_sdg_goals")]

    operations = [
        *renames("campaigntransition"),
        *renames("enterprisestatuschange"),
        migrations.AlterModelOptions(name="campaigntransition", options={"ordering": ["at", "id"]}),
        migrations.AlterModelOptions(
            name="enterprisestatuschange", options={"ordering": ["at", "id"]}
        ),
    ]
