"""What each step of the approval path leaves behind, one module per family of records."""

from .consultation import (
    ConfrontoRequest,
    ConsultationOutcome,
    Meeting,
    Observation,
    ObservationAuthorRole,
    UnionInformation,
)
from .documents import SignedDocument, SignedDocumentObjective
from .files import StoredFile
from .monitoring import ReportEvidence, ReportStepRecord
from .relazione import PublishedRelazione, RelazioneAdoption, RelazioneStepRecord, RelazioneValidation
from .seal import BodySeal
from .steps import ActType, AdoptionAct, PublishedRevision, Signature, SignatureMethod, StepRecord
from .transmission import Transmission, TransmissionAttempt, TransmissionStatus, TransmitterKind

__all__ = [
    "ActType",
    "AdoptionAct",
    "BodySeal",
    "ConfrontoRequest",
    "ConsultationOutcome",
    "Meeting",
    "Observation",
    "ObservationAuthorRole",
    "PublishedRelazione",
    "PublishedRevision",
    "RelazioneAdoption",
    "RelazioneStepRecord",
    "RelazioneValidation",
    "ReportEvidence",
    "ReportStepRecord",
    "Signature",
    "SignatureMethod",
    "SignedDocument",
    "SignedDocumentObjective",
    "StepRecord",
    "StoredFile",
    "Transmission",
    "TransmissionAttempt",
    "TransmissionStatus",
    "TransmitterKind",
    "UnionInformation",
]
