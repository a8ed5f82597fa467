"""The one way a file comes into the service, and the way it goes back out.

Every upload (logos and covers today, the reconciliation CSVs; report photos and receipt scans
later) is checked by its content, never by the name or type its sender claims:

- an image must be a PNG, JPEG or WebP that Pillow decodes, within a size in bytes and a
  number of pixels (a decompression bomb is refused from its header, before it is decoded).
  It is then re-encoded: whatever was appended to it (a `<script>`) and its metadata (EXIF,
  GPS) are gone, and it is stored under a random name with the extension of the format
  actually found (`clean_image` -> `CleanImage`);
- a CSV must be UTF-8 text (a BOM is allowed) without NUL bytes, within a size (`clean_csv`).

A refusal is an `UploadRefused`: a 400 with a message. The entry points use the fields below,
never `FileField`s of their own: `ImageUpload` and `CsvUpload` (DRF), `ImageUploadField`
(Django forms), `PublicImageField` (models: its form field is ours, so the admin comes through
here too, and a file that code assigns to it directly is cleaned when the row is saved), with
`RandomName` as its `upload_to`. Sizes are set per kind in `UPLOAD_MAX_BYTES`; a request too
large to take at all is refused before it is read (`common.middleware`).

Public media (MEDIA_ROOT: logos, covers) are served by `serve_public_media` when
SERVE_MEDIA is on (`make run`); production's web server must send the same headers
(`MEDIA_HEADERS`; see DEVELOPERS.md): `nosniff`, a sandboxing CSP, and anything that is not an
image as an `application/octet-stream` attachment. Private files never go under MEDIA_ROOT:
the reconciliation imports are kept in the database, and files that are not (receipt scans)
belong in `private_storage()`, which has no URL. Either goes out only through a
permission-checked view, as `private_file_response`.
"""

from __future__ import annotations

import io
import re
import uuid
import warnings
from pathlib import Path, PurePosixPath
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import URLPattern, re_path
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.static import serve
from PIL import Image, ImageOps, UnidentifiedImageError
from rest_framework import serializers

from common.errors import ApplicationError

# Pillow's format -> (the extension we store, the content type we serve).
IMAGE_TYPES = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"),
               "WEBP": ("webp", "image/webp")}  # fmt: skip
IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"
# The extensions served inline as images; everything else under MEDIA_ROOT is an attachment.
IMAGE_SUFFIXES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                  ".webp": "image/webp"}  # fmt: skip
STORED_SUFFIXES = {*IMAGE_SUFFIXES, ".csv"}
# Sent with every public media file: no sniffing, and no script even if one got through.
MEDIA_HEADERS = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"}


class UploadRefused(ApplicationError):
    """An upload that is not what the service takes (a 400 with the reason)."""

    def __init__(self, message: str, *, code: str = "upload_refused") -> None:
        super().__init__(message, code=code)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def _read(upload: File | bytes, kind: str, message: str) -> bytes:
    """The upload's bytes, refusing it unread when it declares more than its kind takes."""
    limit = settings.UPLOAD_MAX_BYTES[kind]
    if isinstance(upload, bytes | bytearray | memoryview):
        data = bytes(upload)
    else:
        if upload.size is not None and upload.size > limit:
            raise UploadRefused(message % {"size": _megabytes(limit)}, code="file_too_large")
        upload.seek(0)
        data = upload.read(limit + 1)
        upload.seek(0)
    if len(data) > limit:
        raise UploadRefused(message % {"size": _megabytes(limit)}, code="file_too_large")
    return data


# --- Images -------------------------------------------------------------------------------


class CleanImage(ContentFile):
    """An image that came through `clean_image`: re-encoded, named `<uuid>.<extension>`."""

    def __init__(self, content: bytes, *, image_format: str, size: tuple[int, int]) -> None:
        extension, self.content_type = IMAGE_TYPES[image_format]
        super().__init__(content, name=f"{uuid.uuid4().hex}.{extension}")
        self.image_format, self.image_size = image_format, size


def _not_an_image() -> UploadRefused:
    return UploadRefused(
        _("The file is not a valid image: upload a JPEG, PNG or WebP image."), code="not_an_image"
    )


def _too_many_pixels() -> UploadRefused:
    millions = f"{settings.UPLOAD_IMAGE_MAX_PIXELS / 1_000_000:g}"
    return UploadRefused(
        _("The image has too many pixels: at most %(millions)s million.") % {"millions": millions},
        code="image_too_large",
    )


def open_image(upload: File | bytes) -> Image.Image:
    """The upload opened by Pillow (header only), if it is an image the service takes."""
    data = _read(upload, "image", _("The image is larger than %(size)s MB."))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # Only our formats' parsers ever see the bytes (no EPS, no SVG, no PDF).
            image = Image.open(io.BytesIO(data), formats=list(IMAGE_TYPES))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise _not_an_image() from None
    width, height = image.size
    if width * height > settings.UPLOAD_IMAGE_MAX_PIXELS:
        raise _too_many_pixels()
    return image


def clean_image(upload: File | bytes) -> CleanImage:
    """The upload, decoded and encoded again in its own format under a random name.

    Re-encoding keeps the pixels only: bytes after the image's end, EXIF (with any GPS
    position), comments and text chunks do not survive. The EXIF orientation is applied
    first, so a phone's photo stays the right way up."""
    if isinstance(upload, CleanImage):
        return upload
    image = open_image(upload)
    image_format = image.format
    try:
        image.load()
        image = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _not_an_image() from None
    icc_profile = image.info.get("icc_profile")
    image = _encodable(image, image_format)
    image.info = {}
    buffer = io.BytesIO()
    options: dict[str, Any] = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format in ("JPEG", "WEBP"):
        options["quality"] = 90
    image.save(buffer, image_format, **options)
    return CleanImage(buffer.getvalue(), image_format=image_format, size=image.size)


def _encodable(image: Image.Image, image_format: str) -> Image.Image:
    """The image in a mode its format writes without surprises (8 bits, RGB(A) or grey)."""
    alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if image_format == "JPEG":
        return image if image.mode in ("L", "RGB") else image.convert("RGB")
    return image.convert("RGBA" if alpha else "RGB")


# --- CSV ----------------------------------------------------------------------------------


def clean_csv(upload: File | bytes) -> bytes:
    """The upload's bytes, if they are UTF-8 text (with or without a BOM) within the limit."""
    data = _read(upload, "csv", _("The file is larger than %(size)s MB; split it by date."))
    if b"\x00" in data:
        raise UploadRefused(
            _("The file is not CSV text (it has NUL bytes): export it as CSV in UTF-8."),
            code="csv_binary",
        )
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UploadRefused(
            _("The file is not UTF-8 text (byte %(byte)s): export it as CSV in UTF-8.")
            % {"byte": error.start + 1},
            code="csv_encoding",
        ) from None
    return data


# --- Fields: DRF, forms, models -----------------------------------------------------------


class ImageUpload(serializers.FileField):
    """An uploaded JPEG, PNG or WebP; the validated value is a `CleanImage`."""

    def to_internal_value(self, data: Any) -> CleanImage:
        file = super().to_internal_value(data)
        try:
            return clean_image(file)
        except UploadRefused as refused:
            raise serializers.ValidationError(refused.message, code=refused.code) from None


class CsvUpload(serializers.FileField):
    """An uploaded CSV; the validated value is its checked bytes, under the sender's name
    (kept for display only: it never names a stored file)."""

    def to_internal_value(self, data: Any) -> ContentFile:
        file = super().to_internal_value(data)
        try:
            return ContentFile(clean_csv(file), name=file.name)
        except UploadRefused as refused:
            raise serializers.ValidationError(refused.message, code=refused.code) from None


class ImageUploadField(forms.FileField):
    """A form's image upload; a new file is cleaned into a `CleanImage`."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, str]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = IMAGE_ACCEPT
        return attrs

    def clean(self, data: Any, initial: Any = None) -> Any:
        value = super().clean(data, initial)
        if not isinstance(value, UploadedFile):
            return value  # nothing new: the current file, or False to clear it
        try:
            return clean_image(value)
        except UploadRefused as refused:
            raise forms.ValidationError(refused.message, code=refused.code) from None


@deconstructible
class RandomName:
    """`upload_to`: `<folder>/<uuid>.<extension>`, never the sender's file name."""

    def __init__(self, folder: str) -> None:
        self.folder = folder.strip("/")

    def __call__(self, instance: Any, filename: str) -> str:
        suffix = PurePosixPath(filename).suffix.lower()
        return f"{self.folder}/{uuid.uuid4().hex}{suffix if suffix in STORED_SUFFIXES else ''}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


class PublicImageField(models.ImageField):
    """An image published under MEDIA_URL; its files only ever come through `clean_image`."""

    def formfield(self, **kwargs: Any) -> forms.Field:
        return super().formfield(**{"form_class": ImageUploadField, **kwargs})

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        file = getattr(model_instance, self.attname)
        if file and not file._committed and not isinstance(file.file, CleanImage):
            setattr(model_instance, self.attname, clean_image(file.file))
        return super().pre_save(model_instance, add)


# --- Going back out -----------------------------------------------------------------------


def media_headers(response: HttpResponseBase, name: str) -> HttpResponseBase:
    """Set the headers every public media file is sent with."""
    for header, value in MEDIA_HEADERS.items():
        response[header] = value
    content_type = IMAGE_SUFFIXES.get(PurePosixPath(name).suffix.lower())
    if content_type:
        response["Content-Type"] = content_type
    else:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    return response


@require_safe
def serve_public_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """MEDIA_URL, served by Django (`make run`): images inline, anything else a download."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    return media_headers(response, path)


def media_urlpatterns() -> list[URLPattern]:
    prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    return [re_path(rf"^{prefix}(?P<path>.*)$", serve_public_media, name="media")]


def private_file_response(data: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A private file for the person a view has checked: a download, never a page."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


class PrivateStorage(FileSystemStorage):
    """Files that must not be public (receipt scans): outside MEDIA_ROOT, with no URL."""

    def __init__(self, location: str | Path | None = None) -> None:
        location = Path(location or settings.PRIVATE_MEDIA_ROOT).resolve()
        public = Path(settings.MEDIA_ROOT).resolve()
        if location == public or public in location.parents:
            raise ImproperlyConfigured("PRIVATE_MEDIA_ROOT must not be inside MEDIA_ROOT.")
        super().__init__(location=location, base_url=None)

    def url(self, name: str | None) -> str:
        raise ValueError(
            "A private file has no public URL: serve it through a permission-checked view "
            "with common.uploads.private_file_response."
        )


def private_storage() -> PrivateStorage:
    """The storage of private files (a callable, for a model field's `storage=`)."""
    return PrivateStorage()
