"""Map the image paths written in notes to the URLs they are served from."""

from collections.abc import Callable


def normalize_image_path(path: str) -> str:
    """``./img/x.png`` and ``img/x.png`` name the same file."""
    path = path.strip()
    while path.startswith("./"):
        path = path[2:]
    return path


def image_src_for(cohort_id) -> Callable[[str], str]:
    """A rewriter for rendered ``<img src>``: stored images go to their serving URL.

    The cohort's images are looked up on the first image rendered, so text
    without images (most questions) costs no query.
    """
    from qa.models import NotesImage

    known: dict[str, str] | None = None

    def rewrite(src: str) -> str:
        nonlocal known
        if known is None:
            images = NotesImage.objects.filter(cohort_id=cohort_id) if cohort_id else []
            known = {normalize_image_path(image.original_path): image.get_absolute_url() for image in images}
        return known.get(normalize_image_path(src), src)

    return rewrite
