"""The fields of an objective, a phase and an indicator, declared once.

For each field: its name (the model field and the interchange key, ../shared/schemas/piao-performance.
schema.json), its Italian label, its kind, whether "no value" is None (a phase without weight or dates)
rather than an empty text, and where it goes: the interchange document (``exported``), the content an edit,
an import and a restore write (``content``; the rest is workflow data such as the state), the edit form
(``in_form``). ``heading`` is the shorter column heading of the plan's tables where it differs from the
label. ``since`` is the version of the interchange format that brought the field (workflow.interchange:
a document without ``format_version`` is version 1), ``default`` the model value of a key a document
leaves out, for the fields whose "no value" is neither None nor an empty text.

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

# The version of the interchange format this application writes (the document's ``format_version``); it
# reads every version up to it (workflow.interchange).
FORMAT_VERSION = 2


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
    since: int = 1
    default: object = None

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
        # What makes it measurable (format version 2): read from ``expected`` when a document has none.
        Field("unit", "Unità di misura", since=2, heading="Unità"),
        Field("polarity", "Polarità", CHOICE, since=2, default="higher"),
        Field("baseline_value", "Valore di partenza", NUMBER, nullable=True, since=2, heading="Partenza"),
        Field(
            "baseline_year",
            "Anno del valore di partenza",
            INTEGER,
            nullable=True,
            since=2,
            heading="Anno di partenza",
        ),
        Field("target_1", "Target del primo anno", NUMBER, nullable=True, since=2, heading="Target anno 1"),
        Field("target_2", "Target del secondo anno", NUMBER, nullable=True, since=2, heading="Target anno 2"),
        Field("target_3", "Target del terzo anno", NUMBER, nullable=True, since=2, heading="Target anno 3"),
        Field(
            "tolerance", "Tolleranza dell'intervallo", NUMBER, nullable=True, since=2, heading="Tolleranza"
        ),
        Field("weight", "Peso nell'obiettivo (%)", NUMBER, nullable=True, since=2, heading="Peso (%)"),
        Field("formula", "Formula di calcolo", since=2, heading="Formula"),
        Field("data_source", "Fonte del dato", since=2, heading="Fonte"),
        Field(
            "frequency",
            "Frequenza di rilevazione",
            CHOICE,
            since=2,
            default="half_yearly",
            heading="Frequenza",
        ),
        Field("to_complete", "Da completare", BOOL, since=2, default=False),
    ),
)

# The indicator's fields that make it measurable: a row written before them (a version-1 document, the
# report, a revision published earlier) carries none of them (workflow.interchange.upgraded).
INDICATOR_MEASURES = tuple(f.name for f in INDICATOR if f.since == 2)


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
    date; no value is the field's default, else None for a nullable field and an empty text for the others
    (a weight of 0 stays 0)."""
    if value is None:
        return _no_value(field)
    if field.kind == NUMBER:
        return Decimal(str(value))
    if field.kind == DATE and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def normalised(field: Field, value):
    """A value of the interchange document as the export would write it back, to compare the two: a missing
    text is an empty text, a missing nullable value None, a missing choice its default."""
    if value is None:
        return _no_value(field)
    return value


def _no_value(field: Field):
    if field.default is not None:
        return field.default
    return None if field.nullable else ""
