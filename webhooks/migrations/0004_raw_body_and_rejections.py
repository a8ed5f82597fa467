"""Events keep the body exactly as the provider signed it (bytes), not a re-serialised JSON
document; refused deliveries are counted in the database per provider, day and reason."""

import json

from django.db import migrations, models


def bodies(apps, schema_editor):
    # Events stored before kept only the parsed JSON: the closest to the raw body is its
    # compact serialisation.
    event = apps.get_model("webhooks", "WebhookEvent")
    for pk, payload in event.objects.values_list("pk", "payload").iterator(chunk_size=500):
        body = json.dumps(payload, separators=(",", ":")).encode()
        event.objects.filter(pk=pk).update(body=body)


def payloads(apps, schema_editor):
    event = apps.get_model("webhooks", "WebhookEvent")
    for pk, body in event.objects.values_list("pk", "body").iterator(chunk_size=500):
        event.objects.filter(pk=pk).update(payload=json.loads(bytes(body)))


class Migration(migrations.Migration):
    dependencies = [("webhooks", "0003_lean_indexes")]

    operations = [
        migrations.AddField(
            model_name="webhookevent", name="body",
            field=models.BinaryField(default=b"", help_text="The request body exactly as "
                                     "signed by the provider."),
            preserve_default=False,
        ),
        migrations.RunPython(bodies, payloads),
        migrations.RemoveField(model_name="webhookevent", name="payload"),
        migrations.AlterField(
            model_name="webhookevent", name="provider", field=models.CharField(max_length=32)
        ),
        migrations.CreateModel(
            name="WebhookRejection",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                           serialize=False, verbose_name="ID")),
                ("provider", models.CharField(max_length=32)),
                ("day", models.DateField()),
                ("reason", models.CharField(max_length=32)),
                ("count", models.PositiveBigIntegerField(default=0)),
                ("last_at", models.DateTimeField()),
            ],
            options={
                "ordering": ["-day", "provider", "reason"],
                "constraints": [
                    models.UniqueConstraint(fields=("provider", "day", "reason"),
                                            name="webhook_rejection_once_a_day"),
                ],
            },
        ),
    ]  # fmt: skip
