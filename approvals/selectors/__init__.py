"""Reads over the approvals records, one module per family."""

from .steps import (
    RESPONSIBLE,
    SEGRETARIO,
    last_publication,
    missing_signatures,
    required_capacities,
    signer_capacities,
    timeline,
    valid_signatures,
)

__all__ = [
    "RESPONSIBLE",
    "SEGRETARIO",
    "last_publication",
    "missing_signatures",
    "required_capacities",
    "signer_capacities",
    "timeline",
    "valid_signatures",
]
