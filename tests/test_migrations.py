"""The models and the migrations agree: a model change without its migration fails here, not
on the treasurer's server."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(
            f"makemigrations would write new migrations (exit {exit_.code}):\n{out.getvalue()}"
        )
