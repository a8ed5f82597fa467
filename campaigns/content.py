"""Cleaning what enterprises write and upload: story HTML, and the sizes of their images."""

from __future__ import annotations

from django.core.files.base import File
from django.utils.translation import gettext as _

from common.uploads import UploadRefused, open_image

STORY_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "a", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
STORY_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}

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


def image_problems(upload: File) -> list[str]:
    """Why an uploaded cover or logo is unacceptable (empty list: it is fine).

    What an image is, and how large it may be, is `common.uploads`' to say; the smallest and
    largest picture a cover or a logo may be is ours."""
    try:
        with open_image(upload) as image:
            width, height = image.size
    except UploadRefused as refused:
        return [refused.message]
    if width < IMAGE_MIN_SIZE[0] or height < IMAGE_MIN_SIZE[1]:
        return [_("The image must be at least 320×180 pixels.")]
    if width > IMAGE_MAX_SIZE[0] or height > IMAGE_MAX_SIZE[1]:
        return [_("The image must be at most 6000×6000 pixels.")]
    return []
