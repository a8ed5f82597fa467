"""Cleaning what enterprises upload: story HTML and cover images."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

STORY_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "a", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
STORY_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_MIN_SIZE = (320, 180)
IMAGE_MAX_SIZE = (6000, 6000)


def sanitize_story(html: str) -> str:
    """Keep formatting and links; drop scripts, styles, event handlers and javascript: URLs."""
    import nh3

    return nh3.clean(
        html or "",
        tags=STORY_TAGS,
        attributes=STORY_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def image_problems(upload: UploadedFile) -> list[str]:
    """Why an uploaded cover or logo is unacceptable (empty list: it is fine)."""
    if upload.size > IMAGE_MAX_BYTES:
        return [_("The image is larger than 5 MB.")]
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format, size = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return [_("The file is not a valid image.")]
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        return [_("Upload a JPEG, PNG or WebP image.")]
    width, height = size
    if width < IMAGE_MIN_SIZE[0] or height < IMAGE_MIN_SIZE[1]:
        return [_("The image must be at least 320×180 pixels.")]
    if width > IMAGE_MAX_SIZE[0] or height > IMAGE_MAX_SIZE[1]:
        return [_("The image must be at most 6000×6000 pixels.")]
    return []
