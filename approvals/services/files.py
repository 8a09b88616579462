"""Storing a file the approval path produces or receives (approvals.models.StoredFile)."""

from __future__ import annotations

from ..models import StoredFile


def stored_file_create(*, name: str, content: bytes, by, content_type: str = "application/pdf") -> StoredFile:
    return StoredFile.objects.create(
        name=name[:255],
        content_type=content_type,
        size=len(content),
        sha256=StoredFile.digest(content),
        content=content,
        created_by=by,
    )
