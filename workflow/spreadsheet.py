"""Spreadsheets (XLSX) for the people who open exports in Excel: plain data in, bytes out.

A CSV opens in one column in Excel with the Italian locale (it expects ``;``); a workbook opens as tables.
Each table is one sheet: a bold, frozen header row with Italian labels, then cells of their real type
(dates as dates shown ``gg/mm/aaaa``, weights as numbers), columns wide enough to read.

The bytes depend only on the data: the workbook's properties and the archive's entries carry a fixed
date (``when``, by default 1 January 2000), never the time of the export.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from workflow import content
from workflow.content import INDICATOR, OBJECTIVE, PHASE
from workflow.models import Frequency, ObjectiveKind, Polarity, State

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM:SS"
NUMBER_FORMAT = "0.00"
MAX_TEXT = 32_767  # the most characters Excel keeps in a cell
MAX_ROWS = 1_048_576  # the most rows of an Excel sheet, header included
SHEET_TOO_LONG = (
    "Il foglio «{title}» supererebbe le 1.048.576 righe che Excel può aprire: "
    "restringere i filtri o scaricare il CSV."
)


class SheetTooLong(ValueError):
    pass


@dataclass(frozen=True)
class Column:
    """One column: its Italian header, the type of its cells (``text``, ``int``, ``number``, ``date``,
    ``datetime``, ``bool``), its width in characters (``None``: fitted to the content) and, for codes, the
    labels to show instead."""

    label: str
    kind: str = "text"
    width: int | None = None
    labels: dict = field(default_factory=dict)


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: Iterable[list]  # data rows only, one value per column; may be a generator when every width is given


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _number(value):
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def _typed(column: Column, value):
    """The value as the cell should hold it; ``None`` leaves the cell empty."""
    if column.kind == "date":
        return _date(value)
    if column.kind == "datetime":
        if not isinstance(value, dt.datetime):
            return None
        return value.replace(tzinfo=None)  # Excel has no time zones: the caller passes local time
    if column.kind in ("int", "number"):
        return _number(value)
    if column.kind == "bool":
        return None if value in (None, "") else bool(value)
    if value is None:
        return None
    text = str(column.labels.get(value, value))
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_TEXT] or None


def _cell(sheet, column: Column, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_typed(column, value))
    if column.kind == "text" and cell.value is not None:
        cell.data_type = "s"  # text is text: «=1+1» or «=HYPERLINK(...)» must never become a formula
    elif column.kind == "date":
        cell.number_format = DATE_FORMAT
    elif column.kind == "datetime":
        cell.number_format = DATETIME_FORMAT
    elif column.kind == "number":
        cell.number_format = NUMBER_FORMAT
    return cell


def _fitted_width(column: Column, rows: list[list], index: int) -> int:
    if column.kind == "date":
        return 12
    if column.kind == "datetime":
        return 20
    longest = max((len(str(column.labels.get(r[index], r[index]))) for r in rows[:1000]), default=0)
    return min(max(len(column.label), longest, 6) + 2, 60)


def _write_sheet(workbook: Workbook, sheet: Sheet) -> None:
    ws = workbook.create_sheet(sheet.title[:31])
    rows: Iterable[list] = sheet.rows
    if any(c.width is None for c in sheet.columns):
        rows = list(rows)
    for n, column in enumerate(sheet.columns, start=1):  # widths before any row, as write-only sheets ask
        width = column.width if column.width is not None else _fitted_width(column, rows, n - 1)  # type: ignore[arg-type]
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=column.label)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for count, row in enumerate(rows, start=2):
        if count > MAX_ROWS:
            raise SheetTooLong(SHEET_TOO_LONG.format(title=sheet.title))
        ws.append([_cell(ws, c, v) for c, v in zip(sheet.columns, row, strict=False)])


class _FixedDateZip(zipfile.ZipFile):
    """A zip archive whose entries all carry the same date, so equal content gives equal bytes."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)


def _discard(workbook: Workbook) -> None:
    """Close the sheets already streamed to temporary files, and remove those files."""
    for ws in workbook.worksheets:
        if ws._writer is None:
            continue
        if not ws.closed:
            ws.close()
        ws._writer.cleanup()


def workbook_bytes(sheets: Iterable[Sheet], *, when: dt.datetime = FIXED_DATE) -> bytes:
    """The sheets as an XLSX file. Raises ``SheetTooLong`` for a sheet Excel could not open."""
    workbook = Workbook(write_only=True)
    try:
        for sheet in sheets:
            _write_sheet(workbook, sheet)
    except SheetTooLong:
        _discard(workbook)
        raise
    workbook.properties.creator = ""
    workbook.properties.created = workbook.properties.modified = when.replace(tzinfo=None)
    buffer = io.BytesIO()
    ExcelWriter(workbook, _FixedDateZip(buffer, "w", zipfile.ZIP_DEFLATED)).save()  # save() closes it
    return buffer.getvalue()


# -- the plan's tables (open data and plan export) -------------------------------------------------------
# Each table's fields are declared in workflow.content: their headings and the type of their cells come
# from there. Here: how wide a text column is, the labels shown for codes, and the columns that are not
# fields of the table's rows.
_TABLE_FIELDS = {"obiettivi": OBJECTIVE, "fasi": PHASE, "indicatori": INDICATOR}
_CELL_KINDS = {content.NUMBER: "number", content.DATE: "date", content.BOOL: "bool", content.INTEGER: "int"}
_CELL_WIDTHS = {"number": 10, "bool": 12, "int": 10}
_TEXT_WIDTHS = {
    "title": 60,
    "description": 60,
    "purpose": 60,
    "motivation": 60,
    "baseline_and_target": 60,
    "actions": 60,
    "beneficiaries": 40,
    "notes": 40,
    "expected": 40,
    "formula": 40,
    "data_source": 30,
    "unit": 12,
    "polarity": 24,
    "frequency": 14,
}
_CODE_LABELS = {  # the codes of the objective's and the indicator's choices
    "kind": dict(ObjectiveKind.choices),
    "state": dict(State.choices),
    "polarity": dict(Polarity.choices),
    "frequency": dict(Frequency.choices),
}
_OTHER_COLUMNS = {
    "objective": Column("Obiettivo"),
    "position": Column("N.", "int", 5),
    "published_on": Column("Data di pubblicazione", "date", 14),
    "adoption_act": Column("Atto di adozione", width=40),
}


def _field_column(f: content.Field) -> Column:
    kind = _CELL_KINDS.get(f.kind, "text")
    labels = _CODE_LABELS.get(f.name, {}) if f.kind == content.CHOICE else {}
    return Column(f.column, kind, _TEXT_WIDTHS.get(f.name, _CELL_WIDTHS.get(kind)), labels)


def _column(table: str, key: str) -> Column:
    fields = _TABLE_FIELDS[table]
    if key in fields.names():
        return _field_column(fields[key])
    return _OTHER_COLUMNS.get(key, Column(key))


def plan_tables_as_sheets(tables: dict[str, list[list]]) -> Iterator[Sheet]:
    """The plan's CSV tables (``obiettivi``, ``fasi``, ``indicatori``: a header row of keys, then data
    rows) as sheets with Italian headers; the rows are the CSV's, one for one."""
    for name, rows in tables.items():
        columns = [_column(name, key) for key in rows[0]]
        yield Sheet(title=name.capitalize(), columns=columns, rows=rows[1:])


def plan_tables_xlsx(tables: dict[str, list[list]]) -> bytes:
    return workbook_bytes(plan_tables_as_sheets(tables))
