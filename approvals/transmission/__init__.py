"""The transmission to Funzione Pubblica: the package (pure) and the transmitters that deliver it."""

from .package import Package, SignedPdf, build_package, manifest_problems, read_package
from .transmitters import (
    Delivery,
    DeliveryResult,
    HttpTransmitter,
    ManualTransmitter,
    Transmitter,
    transmitter_for,
)

__all__ = [
    "Delivery",
    "DeliveryResult",
    "HttpTransmitter",
    "ManualTransmitter",
    "Package",
    "SignedPdf",
    "Transmitter",
    "build_package",
    "manifest_problems",
    "read_package",
    "transmitter_for",
]
