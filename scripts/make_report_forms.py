"""Write the other forms of the real 2023 report that the import reads, from its tab-separated text.

    .venv/bin/python scripts/make_report_forms.py [OUTPUT_DIR]

The sample in workflow/data is the report as a text export with tab-separated table cells and `**` around
bold runs. A Segreteria may instead have:

- the PDF their performance software printed (`report-2023.pdf`): here the same report printed again,
  landscape, with real tables (ruled, fixed column widths, long cells wrapped inside the cell, top
  aligned), bold runs in a bold font, and a new page at each of the report's page headers;
- a text with its columns aligned with spaces (`report-2023-layout.txt`): no tabs, long cells wrapped
  inside their column on the next lines, numbers right-aligned, a form feed between pages, bold kept
  as `**`;
- the text poppler's `pdftotext -layout` writes from that PDF (`report-2023-pdftotext.txt`, when
  poppler-utils is installed): no bold, columns that drift from page to page, right-aligned numbers
  one space before the next column, a form feed at each page.

The original PDF is not available: these are the nearest real thing, made by real tools (WeasyPrint for
the PDF), and committed so that the tests need neither this script nor its fonts. Run it again only when
the sample changes.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "workflow" / "data" / "piao-2023-sez-2-2-provincia-cremona.txt"
OUTPUT = ROOT / "tests" / "fixtures" / "report_forms"

PAGE_HEADER = "OBIETTIVI PERFORMANCE 2023"
# the tables of the report, by their first header cell: the column widths (characters) of the layout form
WIDTHS = {
    "Codice": [14, 112, 12],
    "Descrizione\tPeso\tInizio": [58, 9, 17, 15, 15, 36, 46],
    "Descrizione\tTipo": [72, 13, 15, 92],
    "CENTRO DI RESPONSABILIT": [92, 14, 60, 60],
}
_NUMBER = re.compile(r"[\d.,]+ ?%?")
_MARKER = re.compile(r"(\*{2,})")


def table_kind(line: str) -> str | None:
    return next((key for key in WIDTHS if line.startswith(key)), None)


def blocks(lines: list[str]):
    """('line', text) for each ordinary line, ('table', kind, rows) for each run of table rows (the
    header row first, when the run has one)."""
    kind = None
    rows: list[list[str]] = []
    for line in lines:
        cells = line.split("\t")
        header = table_kind(line)
        is_row = "\t" in line and sum(1 for c in cells if c.strip()) > 1
        if header or (is_row and kind and len(cells) == len(WIDTHS[kind])):
            if header:
                if rows:
                    yield ("table", kind, rows)
                kind, rows = header, []
            rows.append(cells)
            continue
        if rows:
            yield ("table", kind, rows)
            rows = []
        yield ("line", line.replace("\t", " ").rstrip())
    if rows:
        yield ("table", kind, rows)


# -- the layout text ---------------------------------------------------------------------------------


def layout_rows(kind: str, rows: list[list[str]]) -> list[str]:
    widths = WIDTHS[kind]
    out = []
    for cells in rows:
        wrapped = []
        for cell, width in zip(cells, widths, strict=True):
            cell = " ".join(cell.split())
            wrapped.append(textwrap.wrap(cell, width - 2, break_long_words=True) or [""])
        for k in range(max(len(w) for w in wrapped)):
            parts = []
            for lines, width in zip(wrapped, widths, strict=True):
                text = lines[k] if k < len(lines) else ""
                parts.append(text.rjust(width - 2) + "  " if _NUMBER.fullmatch(text) else text.ljust(width))
            out.append("".join(parts).rstrip())
    return out


def layout_text(text: str) -> str:
    out: list[str] = []
    for block in blocks(text.split("\n")):
        if block[0] == "table":
            out += layout_rows(block[1], block[2])
        else:
            line = block[1]
            if line.strip() == PAGE_HEADER and out:
                out.append("\f")
            label = re.fullmatch(r"(Vista|Esercizio) (.*)", line)
            out.append(f"{label[1]:<14}{label[2]}" if label else line)
    return "\n".join(out).replace("\n\f\n", "\n\f") + "\n"


# -- the PDF ------------------------------------------------------------------------------------------

CSS = """
@page { size: A4 landscape; margin: 12mm 10mm; }
html { font-family: "DejaVu Sans", sans-serif; font-size: 7pt; line-height: 1.3; }
p { margin: 0; min-height: 1.3em; }
.page { break-before: page; }
table { border-collapse: collapse; width: 100%; margin: 1.3em 0; table-layout: fixed; }
td, th { border: 0.5pt solid #555; padding: 1.5pt 3pt; vertical-align: top; text-align: left;
         font-weight: normal; overflow-wrap: anywhere; }
th { background: #ddd; }
td.n { text-align: right; }
tr { break-inside: avoid; }
"""


def inline(text: str) -> str:
    parts = text.split("**")
    return "".join(f"<b>{html.escape(p)}</b>" if k % 2 else html.escape(p) for k, p in enumerate(parts))


def report_html(text: str) -> str:
    body = []
    bold = False
    for block in blocks(text.split("\n")):
        if block[0] == "table":
            kind, rows = block[1], block[2]
            total = sum(WIDTHS[kind])
            cols = "".join(f'<col style="width:{w * 100 / total:.2f}%">' for w in WIDTHS[kind])
            head = table_kind("\t".join(rows[0])) is not None
            html_rows = []
            for k, cells in enumerate(rows):
                tag = "th" if head and k == 0 else "td"
                html_rows.append("<tr>" + "".join(
                    f'<{tag}{" class=n" if _NUMBER.fullmatch(c.strip()) else ""}>{inline(c.strip())}</{tag}>'
                    for c in cells) + "</tr>")
            if head:
                html_rows[0] = f"<thead>{html_rows[0]}</thead>"
            body.append(f"<table><colgroup>{cols}</colgroup>{''.join(html_rows)}</table>")
            continue
        line = block[1]
        # a bold run may go on over the next lines: the PDF has it closed and opened on each line
        markup = []
        pieces = _MARKER.split(line)
        for k, piece in enumerate(pieces):
            if k % 2:  # as the parser reads them: '**' or '***' opens or closes bold, '****' both
                bold ^= len(piece) <= 3
                # a bold run with the next text glued to it ('**40,00%****FINALITA'',
                # '**SATTA SABRINA**Tipo di Obiettivo'): two blocks of the page the export glued
                if len(piece) > 3 or (not bold and pieces[k + 1][:1].isalpha()):
                    markup.append("<br>")
            elif piece:
                markup.append(f"<b>{html.escape(piece)}</b>" if bold else html.escape(piece))
        shown = "".join(markup)
        cls = ' class="page"' if line.strip() == PAGE_HEADER and body else ""
        body.append(f"<p{cls}>{shown}</p>")
    return f"<html><head><style>{CSS}</style></head><body>{''.join(body)}</body></html>"


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUTPUT
    out.mkdir(parents=True, exist_ok=True)
    text = SAMPLE.read_text(encoding="utf-8")
    (out / "report-2023-layout.txt").write_text(layout_text(text), encoding="utf-8")
    from weasyprint import HTML

    HTML(string=report_html(text)).write_pdf(out / "report-2023.pdf")
    names = ["report-2023-layout.txt", "report-2023.pdf"]
    if shutil.which("pdftotext"):  # poppler-utils: the text a real PDF-to-text tool writes in layout mode
        subprocess.run(["pdftotext", "-layout", str(out / "report-2023.pdf"),  # noqa: S603,S607
                        str(out / "report-2023-pdftotext.txt")], check=True)
        names.append("report-2023-pdftotext.txt")
    for name in names:
        print(f"{out / name}: {(out / name).stat().st_size} byte")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
