"""What the tests share, in one place: ``walk`` (the valid input of every transition, ``act``,
``walk_to``, ``snapshot``), ``pages`` (the POST of every form, the addresses and reading of a page) and
``files`` (real PDFs and images for the upload fields). Import from ``tests.support``."""

from .files import SMALL_PDF, image_bytes, pdf_upload, small_pdf
from .pages import (
    FORM_DATA,
    block,
    detail_url,
    edit_post,
    edit_url,
    form_data,
    text,
    transition_post,
    transition_url,
)
from .walk import (
    COMMENT,
    PATH,
    REVISION_IN_PROGRESS,
    TARGET,
    VALID_FILES,
    VALID_INPUT,
    act,
    files_for,
    fresh,
    last_history,
    last_step,
    reason,
    snapshot,
    walk_to,
)

__all__ = [
    "COMMENT", "FORM_DATA", "PATH", "REVISION_IN_PROGRESS", "SMALL_PDF", "TARGET", "VALID_FILES",
    "VALID_INPUT",
    "act", "block", "detail_url", "edit_post", "edit_url", "files_for", "form_data", "fresh", "image_bytes",
    "last_history", "last_step", "pdf_upload", "reason", "small_pdf", "snapshot", "text", "transition_post",
    "transition_url", "walk_to",
]
