"""Real image bytes for upload tests, made by Pillow."""

import io

from PIL import Image


def image_bytes(fmt: str, size=(8, 6), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else 1).save(buffer, fmt)
    return buffer.getvalue()


SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
HTML_PAGE = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
