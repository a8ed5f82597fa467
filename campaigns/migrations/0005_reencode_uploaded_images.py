"""Logos and covers stored before `common.uploads`: re-encoded under random names, as new
uploads are.

A file stored under its sender's name (`poly.html`) with whatever it carried (a script after
the image, the GPS position in a photo's EXIF) is decoded and encoded again as
`<folder>/<uuid>.<ext>`, and the old file is removed once the new names are committed. A file
that is not an image the service takes is dropped (the field emptied, the file removed): it
never was a logo. A file missing from the storage, or already stored under a random name, is
left as it is."""

import re

from django.core.files.storage import default_storage
from django.db import migrations, transaction

from common.uploads import RandomName, UploadRefused, clean_image

FIELDS = [("Enterprise", "logo", "enterprises/logos"), ("Campaign", "cover", "campaigns/covers")]
RANDOM = re.compile(r"^[0-9a-f]{32}\.(png|jpg|webp)$")


def reencoded(name: str, folder: str) -> str | None:
    """The file's new name ("" when it is dropped), or None to leave it."""
    if RANDOM.match(name.rpartition("/")[2]) or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    transaction.on_commit(lambda: default_storage.delete(name))
    try:
        clean = clean_image(data)
    except UploadRefused:
        return ""
    return default_storage.save(RandomName(folder)(None, clean.name), clean)


def reencode(apps, schema_editor):
    for model_name, field, folder in FIELDS:
        model = apps.get_model("campaigns", model_name)
        for pk, name in model.objects.exclude(**{field: ""}).values_list("pk", field):
            new_name = reencoded(name, folder)
            if new_name is not None:
                model.objects.filter(pk=pk).update(**{field: new_name})


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0004_random_upload_names")]

    operations = [migrations.RunPython(reencode, migrations.RunPython.noop)]
