"""Checking and storing uploaded files: by content, not by name; images without GPS EXIF."""

import hashlib
import io
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext
from PIL import Image, UnidentifiedImageError

# What a reporter or an OPD may attach: photos and PDF documents.
ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
# EXIF tag of the GPS sub-directory (TIFF/EXIF standard).
EXIF_GPS_TAG = 0x8825
# Pillow refuses images over this many pixels, so a small "decompression bomb" file cannot
# exhaust memory.
MAX_IMAGE_PIXELS = 50_000_000


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def attachment_check(upload) -> CheckedFile:
    """Read an uploaded file, check its real type and size, and clean it.

    Raises ValidationError with an Indonesian message naming the file. Images are decoded
    fully (a file that only claims to be an image is refused) and re-encoded without the GPS
    position; other EXIF data (orientation, camera) is kept.
    """
    name = getattr(upload, "name", "") or "lampiran"
    max_bytes = settings.ATTACHMENT_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            gettext("Berkas “%(name)s” terlalu besar (maksimal %(mb)s MB).")
            % {"name": name, "mb": max_bytes // (1024 * 1024)},
            code="file_too_large",
        )
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise ValidationError(
            gettext("Berkas “%(name)s” terlalu besar (maksimal %(mb)s MB).")
            % {"name": name, "mb": max_bytes // (1024 * 1024)},
            code="file_too_large",
        )
    if not content:
        raise ValidationError(
            gettext("Berkas “%(name)s” kosong.") % {"name": name}, code="file_empty"
        )
    kind = filetype.guess(content)
    content_type = kind.mime if kind else ""
    if content_type not in ALLOWED_TYPES:
        raise ValidationError(
            gettext("Berkas “%(name)s” bukan foto (JPEG, PNG, WebP) atau PDF.") % {"name": name},
            code="file_type",
        )
    if content_type in IMAGE_TYPES:
        content = _image_without_gps(content, content_type, name)
    return CheckedFile(
        name=name[:255],
        content=content,
        content_type=content_type,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _image_without_gps(content: bytes, content_type: str, name: str) -> bytes:
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(content)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(content))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            gettext("Foto “%(name)s” rusak atau tidak dapat dibaca.") % {"name": name},
            code="file_broken",
        ) from exc
    exif = image.getexif()
    if EXIF_GPS_TAG not in exif:
        return content
    del exif[EXIF_GPS_TAG]
    out = io.BytesIO()
    save_format = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}[content_type]
    options = {"exif": exif.tobytes()}
    if save_format == "JPEG":
        options.update(quality=90, optimize=True)
    image.save(out, format=save_format, **options)
    return out.getvalue()


def as_content_file(checked: CheckedFile) -> ContentFile:
    return ContentFile(
        checked.content, name=f"{checked.sha256}.{ALLOWED_TYPES[checked.content_type]}"
    )
