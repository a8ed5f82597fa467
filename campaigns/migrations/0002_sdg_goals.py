from django.db import migrations

SDG_GOALS = [
    (1, "No poverty", "#E5243B"),
    (2, "Zero hunger", "#DDA63A"),
    (3, "Good health and well-being", "#4C9F38"),
    (4, "Quality education", "#C5192D"),
    (5, "Gender equality", "#FF3A21"),
    (6, "Clean water and sanitation", "#26BDE2"),
    (7, "Affordable and clean energy", "#FCC30B"),
    (8, "Decent work and economic growth", "#A21942"),
    (9, "Industry, innovation and infrastructure", "#FD6925"),
    (10, "Reduced inequalities", "#DD1367"),
    (11, "Sustainable cities and communities", "#FD9D24"),
    (12, "Responsible consumption and production", "#BF8B2E"),
    (13, "Climate action", "#3F7E44"),
    (14, "Life below water", "#0A97D9"),
    (15, "Life on land", "#56C02B"),
    (16, "Peace, justice and strong institutions", "#00689D"),
    (17, "Partnerships for the goals", "#19486A"),
]


def load(apps, schema_editor):
    SdgGoal = apps.get_model("campaigns", "SdgGoal")
    for number, name, colour in SDG_GOALS:
        SdgGoal.objects.update_or_create(number=number, defaults={"name": name, "colour": colour})


def unload(apps, schema_editor):
    apps.get_model("campaigns", "SdgGoal").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
