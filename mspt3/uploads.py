"""The one gate every uploaded or imported image passes through.

The type is decided by the bytes (magic number, then Pillow parsing the whole
file), never by the file name or the client's Content-Type, and only raster
formats a browser cannot execute are accepted: no SVG, no HTML. Stored names
are random and built here, so no user-supplied name can reach the filesystem
or step outside the media folder.
"""

from __future__ import annotations

import io
import posixpath
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from markdownx.forms import ImageForm
from PIL import Image

# Pillow format name → (served content type, stored extension).
ALLOWED_FORMATS = {
    "PNG": ("image/png", "png"),
    "JPEG": ("image/jpeg", "jpg"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
# A lecture screenshot is a few hundred KB; 10 MB and 40 megapixels leave room
# while refusing decompression bombs.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000


def _magic_format(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


class ImageRejected(ValidationError):
    """The bytes are not an image this site will store and serve."""


@dataclass(frozen=True)
class ValidatedImage:
    content: bytes
    format: str
    content_type: str
    extension: str
    width: int
    height: int


def max_image_bytes() -> int:
    return getattr(settings, "MSPT3_IMAGE_MAX_BYTES", DEFAULT_MAX_BYTES)


def validate_image(data: bytes, *, max_bytes: int | None = None) -> ValidatedImage:
    """Accept ``data`` only if it is a complete PNG, JPEG, GIF or WebP image.

    Raises ImageRejected with a message a person can act on.
    """
    limit = max_bytes if max_bytes is not None else max_image_bytes()
    if not data:
        raise ImageRejected(_("The file is empty."))
    if len(data) > limit:
        raise ImageRejected(
            _("The image is %(size)d bytes; the limit is %(limit)d bytes.") % {"size": len(data), "limit": limit}
        )
    magic = _magic_format(data[:16])
    if magic is None:
        raise ImageRejected(_("Only PNG, JPEG, GIF and WebP images are accepted (the content is not one of them)."))
    try:
        with Image.open(io.BytesIO(data)) as image:
            size = image.size
            found = image.format
            image.verify()
    except Image.DecompressionBombError:
        raise ImageRejected(_("The image has too many pixels.")) from None
    except Exception as exc:  # Pillow raises many kinds for damaged files; all mean "not a valid image".
        raise ImageRejected(_("The image is damaged or incomplete (%(error)s).") % {"error": exc}) from None
    if found != magic or found not in ALLOWED_FORMATS:
        raise ImageRejected(_("The image's content does not match its format."))
    if size[0] * size[1] > MAX_PIXELS:
        raise ImageRejected(_("The image has too many pixels."))
    content_type, extension = ALLOWED_FORMATS[found]
    return ValidatedImage(data, found, content_type, extension, size[0], size[1])


def random_file_name(extension: str) -> str:
    """``<random>.<ext>`` for a validated image; nothing of the user's name survives."""
    if extension not in {ext for _type, ext in ALLOWED_FORMATS.values()}:
        raise ValueError(f"unsafe extension {extension!r}")
    return f"{secrets.token_hex(16)}.{extension}"


def safe_storage_name(folder: str, extension: str) -> str:
    """``<folder>/<year>/<random>.<ext>``: nothing of the user's file name is used.

    ``folder`` is one of ours (e.g. "notes"); it is still checked so a mistake
    can never produce an absolute path or a ``..`` step.
    """
    if posixpath.isabs(folder) or "\\" in folder or ".." in folder.split("/"):
        raise ValueError(f"unsafe upload folder {folder!r}")
    folder = folder.strip("/")
    if not folder:
        raise ValueError("an upload folder is required")
    return f"{folder}/{timezone.now():%Y}/{random_file_name(extension)}"


def store_image(image: ValidatedImage, folder: str) -> str:
    """Save a validated image under a random name; returns the storage name."""
    return default_storage.save(safe_storage_name(folder, image.extension), ContentFile(image.content))


class ValidatedImageForm(ImageForm):
    """markdownx's upload form, with the type decided by content and a random name.

    The stock form trusts the browser's Content-Type and would store SVG.
    """

    def clean(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            raise ValidationError(_("No image was uploaded."))
        if upload.size > max_image_bytes():
            raise ImageRejected(
                _("The image is %(size)d bytes; the limit is %(limit)d bytes.")
                % {"size": upload.size, "limit": max_image_bytes()}
            )
        upload.seek(0)
        self.cleaned_data["validated"] = validate_image(upload.read())
        return self.cleaned_data

    def save(self, commit=True):
        name = store_image(self.cleaned_data["validated"], settings.MARKDOWNX_MEDIA_PATH)
        return default_storage.url(name)
