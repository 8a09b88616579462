"""Writing the approvals records, one module per family; called by flows/ inside a step's transaction."""

from .steps import (
    act_create,
    publication_prerender,
    publication_records,
    signature_record,
    signatures_void,
    step_record,
    step_records,
)

__all__ = [
    "act_create",
    "publication_prerender",
    "publication_records",
    "signature_record",
    "signatures_void",
    "step_record",
    "step_records",
]
