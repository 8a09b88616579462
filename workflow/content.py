"""The fields of an objective, a phase and an indicator, declared once.

For each field: its name (the model field and the interchange key, ../shared/schemas/piao-performance.
schema.json), its Italian label, its kind, whether "no value" is None (a phase without weight or dates)
rather than an empty text, and where it goes: the interchange document (``exported``), the content an edit,
an import and a restore write (``content``; the rest is workflow data such as the state), the edit form
(``in_form``). ``heading`` is the shorter column heading of the plan's tables where it differs from the
label.

Every piece of code that walks the fields reads them here: the edit forms (workflow.forms), the export and
its tables (workflow.export, workflow.spreadsheet), the import (flows.services.interchange), the versions'
diffs (audit.versions) and the restores (flows.services.versions, flows.services.content). A new field is
declared here, and tests/workflow/test_content.py checks every model field is.

Plain data in, plain data out: it imports nothing of the project, so every app may import it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

TEXT = "text"
NUMBER = "number"
DATE = "date"
BOOL = "bool"
CHOICE = "choice"
INTEGER = "integer"
REFERENCE = "reference"  # a foreign key; the interchange document carries a code or a printed name


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = TEXT
    nullable: bool = False
    exported: bool = True
    content: bool = True
    in_form: bool = True
    heading: str = ""

    @property
    def column(self) -> str:
        """The heading of the field's column in the plan's tables."""
        return self.heading or self.label


@dataclass(frozen=True)
class Fields:
    """The declared fields of one model, in the order its page shows them."""

    noun: str  # what one row is called, in Italian
    masculine: bool
    fields: tuple[Field, ...]

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    def __getitem__(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def exported(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.exported)

    @property
    def content(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.content)

    @property
    def in_form(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.in_form)


def _not_exported(name, label, kind=TEXT, **extra) -> Field:
    """Workflow data: shown by the versions and their diffs, not part of the content."""
    return Field(name, label, kind, exported=False, content=False, in_form=False, **extra)


OBJECTIVE = Fields(
    noun="obiettivo",
    masculine=True,
    fields=(
        Field("code", "Codice", content=False, in_form=False),
        Field("title", "Titolo"),
        Field("strategic_objective", "Obiettivo strategico", REFERENCE, nullable=True),
        Field("weight", "Peso (%)", NUMBER),
        Field(
            "responsible",
            "Dirigente responsabile",
            REFERENCE,
            nullable=True,
            content=False,
            in_form=False,
            heading="Responsabile",
        ),
        _not_exported("responsible_name", "Responsabile (come stampato)"),
        Field("responsibility_center", "Centro di responsabilità", in_form=False),
        Field("kind", "Tipo di obiettivo", CHOICE, heading="Tipo"),
        Field("transversal", "Trasversale", BOOL),
        Field("purpose", "Finalità"),
        Field("motivation", "Motivazioni", heading="Motivazione"),
        Field(
            "baseline_and_target",
            "Situazione iniziale e traguardo atteso",
            heading="Situazione di partenza e risultato atteso",
        ),
        Field("beneficiaries", "Destinatari", heading="Beneficiari"),
        Field("actions", "Descrizione delle azioni da compiere", heading="Azioni"),
        # The schema's optional "state" is workflow data: workflow.export writes it after the rows.
        _not_exported("state", "Stato", CHOICE),
        _not_exported("revision", "Revisione", INTEGER),
    ),
)

PHASE = Fields(
    noun="fase",
    masculine=False,
    fields=(
        Field("description", "Descrizione"),
        Field("weight", "Peso (%)", NUMBER, nullable=True),
        Field("start", "Inizio previsto", DATE, nullable=True, heading="Inizio"),
        Field("end", "Fine prevista", DATE, nullable=True, heading="Fine"),
        Field("responsible", "Responsabile", in_form=False),
        Field("responsibility_center", "Centro di responsabilità"),
        Field("notes", "Note"),
    ),
)

INDICATOR = Fields(
    noun="indicatore",
    masculine=True,
    fields=(
        Field("description", "Descrizione"),
        Field("kind", "Tipo", heading="Tipo di indicatore"),
        Field("expected", "Valore atteso"),
        Field("notes", "Note"),
    ),
)


# A DUP link is four texts, exported and restored as they are; it has no history of its own.
DUP_LINK_KEYS = ("level", "code", "title", "view")


# -- values between the models and the interchange document -------------------------------------------
def to_interchange(field: Field, value):
    """A model value as the interchange document writes it: a weight as a number (40, 40.5), a date as
    ISO text, no value as None."""
    if value is None:
        return None
    if field.kind == NUMBER:
        number = Decimal(str(value))
        return int(number) if number == number.to_integral_value() else float(number)
    if field.kind == DATE:
        return value.isoformat()
    return value


def from_interchange(field: Field, value):
    """A value of the interchange document as the model keeps it: a number as a Decimal, an ISO date as a
    date; no value is None for a nullable field and an empty text for the others (a weight of 0 stays 0)."""
    if value is None:
        return None if field.nullable else ""
    if field.kind == NUMBER:
        return Decimal(str(value))
    if field.kind == DATE and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def normalised(field: Field, value):
    """A value of the interchange document as the export would write it back, to compare the two: a missing
    text is an empty text, a missing nullable value None."""
    if value is None:
        return None if field.nullable else ""
    return value
