"""Page-test helpers: images to upload and proposal form posts built from `proposal_data`."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import proposal_data


def image_upload(name: str = "cover.png", size: tuple[int, int] = (640, 360)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, "#0b5d4b").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _rows(prefix: str, rows: list[dict], fields: tuple[str, ...], blank: int) -> dict[str, str]:
    post = {f"{prefix}-TOTAL_FORMS": str(len(rows) + blank), f"{prefix}-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        for field in fields:
            post[f"{prefix}-{index}-{field}"] = str(row[field])
    return post


def proposal_post(enterprise: Any = None, **overrides: Any) -> dict[str, Any]:
    """The form post a person makes on the proposal page (with two blank rows per table)."""
    data = proposal_data(**overrides)
    post: dict[str, Any] = {
        key: str(data[key])
        for key in ("title", "slug", "summary", "story", "goal_amount", "goal_currency",
                    "start_date", "end_date", "funding_model")
    }  # fmt: skip
    if enterprise is not None:
        post["enterprise"] = str(enterprise.pk)
    post["sdg_goals"] = [str(goal) for goal in data["sdg_goals"]]
    post["sdg_indicators"] = ", ".join(data["sdg_indicators"])
    post["beneficiary_groups"] = list(data["beneficiary_groups"])
    post.update(_rows("budget", data["budget_lines"], ("description", "amount"), blank=2))
    post.update(_rows("outcome", data["outcomes"], ("indicator", "target_value", "unit"), blank=2))
    return post
