"""The report in the forms its users have, read into the one text the parser reads.

The parser (tokens, sections, objective, tables) reads one form: lines of text, table cells separated by
tabs, bold runs between `**`. The readers here turn each other form into that one:

    decode       the bytes of a text export: UTF-8, with or without a byte-order mark, or UTF-16 with
                 one; Windows or old Mac line endings; form feeds between pages
    from_layout  a text whose table columns are aligned with spaces (a PDF-to-text tool in layout
                 mode): cells found by the columns of each table's header row, a cell wrapped on the
                 next lines joined back to its row
    from_pdf     the PDF itself: characters with their position and font (PDFium), lines from their
                 baselines, bold from the font, then the same work on the columns as from_layout

A converted text keeps one line for each line of its source (a cell's continuation lines become empty
lines), so that an error's line number still points at the user's file; for a PDF it also names the page.
"""

from __future__ import annotations

import codecs
import ctypes
import re
from collections.abc import Callable
from dataclasses import dataclass, field

PDF_MAGIC = b"%PDF-"
NOT_TEXT = (
    "Il file non è testo UTF-8 né UTF-16 (byte {at}), e non è un PDF: serve il report (il PDF o il suo "
    "testo) o un'esportazione JSON."
)
_PARAMETER = re.compile(r"(Vista|Esercizio)[ \t]+(\S.*)")
_HEAD_LINES = 40
_LINE_REF = re.compile(r"\briga (\d+)\b")


@dataclass(frozen=True)
class Table:
    """One table of the report: how its header row begins, its column labels, and how a line that
    begins a new row is told from a line that goes on with the row before (a cell wrapped on it): a key
    column filled (as `key_pattern` says), or else all the `also` columns filled, the first capitalised."""

    signature: str
    labels: tuple[str, ...]
    keys: tuple[int, ...]
    key_pattern: re.Pattern | None = None
    also: tuple[int, ...] = ()
    # columns whose every word has a shape (a number, a date): a layout tool may put such a word a
    # little before its column, or one space after the cell before; and columns of a single word
    shapes: dict[int, re.Pattern] = field(default_factory=dict)
    single: frozenset[int] = frozenset()


_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})*(?:,\d+)?|%")
_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")

TABLES = (
    Table(
        "Codice Titolo Peso", ("Codice", "Titolo", "Peso"), (0,), re.compile(r"\d{4}_[0-9A-Z]+|Totale:"),
        shapes={2: _NUMBER},
    ),
    Table(
        "Descrizione Peso Inizio",
        ("Descrizione", "Peso", "Inizio Previsto", "Fine Prevista", "Responsabile",
         "Centro di Responsabilità", "Note"),
        (2, 3),
        _DATE,
        also=(0, 5),
        shapes={1: _NUMBER, 2: _DATE, 3: _DATE},
        single=frozenset({1, 2, 3}),
    ),
    Table(
        "Descrizione Tipo Valore", ("Descrizione", "Tipo", "Valore Atteso", "Note"), (1,),
        shapes={1: re.compile(r"[A-Z]{4,}")}, single=frozenset({1, 2}),
    ),
    Table(
        "CENTRO DI RESPONSABILIT",
        ("CENTRO DI RESPONSABILITA'", "N. OBIETTIVI",
         "GRADO MEDIO DI RILEVANZA DEGLI OBIETTIVI AI SENSI DEL SMVP",
         "% TEORICA DI RISULTATO CONNESSA ALLA PERFORMANCE OPERATIVA"),
        (0,),
        re.compile(r"S[0-9A-Z]{2}\W.*"),
        shapes={1: re.compile(r"\d+"), 2: _NUMBER, 3: re.compile(r"[\d.,]+ ?%")},
        single=frozenset({1, 2}),
    ),
)


@dataclass(frozen=True)
class Word:
    """A word of a line: where it begins and ends (characters in a text, points in a PDF), its text
    (bold runs of a PDF already between `**`), and the room before it on the line."""

    x: float
    end: float
    text: str
    gap: float


@dataclass
class Source:
    """The report's text as the parser reads it, which form it came in, and (for a PDF) the page of
    each line."""

    text: str
    form: str  # "testo", "testo allineato" or "PDF"
    pages: list[int] = field(default_factory=list)

    def where(self, line: int) -> str:
        """Where a line of the text is in the user's file: '' for a text (its lines are the file's)."""
        if self.pages and 0 < line <= len(self.pages):
            return f"Pagina {self.pages[line - 1]} del PDF"
        return ""

    def located(self, warning: str) -> str:
        """A warning of the parser with its line numbers ('riga 120') turned into pages of the PDF."""
        if not self.pages:
            return warning
        return _LINE_REF.sub(lambda m: _lower_first(self.where(int(m[1]))) or m[0], warning)


def read_report(raw: bytes) -> Source:
    """Bytes of the report in any form it is read in. Raises ValueError with an Italian message."""
    if raw.startswith(PDF_MAGIC):
        return from_pdf(raw)
    text = decode(raw)
    if "**" not in text:  # a text tool that keeps no bold: the objectives' titles and names marked again
        text = "\n".join(restore_bold(text.split("\n")))
    if is_tabbed(text):
        return Source(text.replace("\f", ""), "testo")
    return Source(from_layout(text), "testo allineato")


_RESPONSIBLE = re.compile(r"Responsabile\s+(\S.*)")
_GLUED_LABEL = re.compile(
    r"(?<=\S)(Collegato a\b|FINALITA', MOTIVAZIONI E TRAGUARDO ATTESO)"
    r"|(?<=\S)(INDICATORI|GANTT FASI PREVISTE|FASI PREVISTE PER LA REALIZZAZIONE DELL'OBIETTIVO)"
    r"(?=\s*$)"
)
_BOLD_NAME = re.compile(r"Responsabile \*\*(.+?)\*\*")
_GLUED_HEAD = re.compile(r"(?P<title>.*?)Responsabile (?P<name>\S.*?) ?Tipo di Obiettivo (?P<rest>.*)")
_TITLE_LINES = 3


def restore_bold(lines: list[str]) -> list[str]:
    """What the parser reads from bold, found again in a text without it: an objective's head is the
    line 'Responsabile <name>' followed by 'Tipo di Obiettivo ...'; the name is bold, and so is the
    title on the lines above it (moved down to it over empty lines), or after the name where a page
    header glued them ('FARONI BARBARAContribuire al ...')."""
    # '****' parts a line into pieces and leaves bold as it was
    out = [_GLUED_LABEL.sub(lambda m: "****" + m[0], line) for line in lines]
    lines = list(out)
    for i, line in enumerate(lines):
        glued = _GLUED_HEAD.fullmatch(line.strip())
        if glued:  # title, name and kind on one line, as the text export glues them
            name, title = glued["name"].strip(), glued["title"].strip()
            header_name = name if title.startswith(name) and len(title) > len(name) else ""
            title = title[len(header_name) :].strip()  # after the page header's name, glued to it
            title = f"**{title}**" if title else ""
            out[i] = f"{header_name}{title}Responsabile **{name}**Tipo di Obiettivo {glued['rest']}"
            if title and not header_name:  # a title wrapped: its first lines right above
                _embolden_above(out, i - 1)
            continue
        head = _RESPONSIBLE.fullmatch(line.strip())
        following = next((text.strip() for text in lines[i + 1 : i + 4] if text.strip()), "")
        if not head or not following.startswith("Tipo di Obiettivo"):
            continue
        name = head[1].strip()
        out[i] = f"Responsabile **{name}**"
        end = i - 1
        while end >= 0 and not out[end].strip() and i - end <= 3:
            end -= 1
        block = _embolden_above(out, end, name=name)
        if block and end < i - 1:  # the title moved down to the head, over the empty lines
            out[end - len(block) + 1 : end + 1] = [""] * len(block)
            out[i - len(block) : i] = block
    # a page header's name glued to the page's repeated title ('BIROLI GIULIOContribuire al ...')
    names = sorted({m[1] for line in out if (m := _BOLD_NAME.search(line))}, key=len, reverse=True)
    for i in range(1, len(out)):
        text = out[i].strip()
        if "**" in text or not out[i - 1].rstrip().endswith("Responsabile"):
            continue
        name = next((n for n in names if text.startswith(n) and len(text) > len(n)), None)
        if name:
            title, _, heading = text[len(name) :].partition("****")  # a heading glued after the title
            out[i] = f"{name}**{title.strip()}**" + (f"****{heading}" if heading else "")
    return out


def _embolden_above(out: list[str], end: int, *, name: str = "") -> list[str]:
    """The title's lines ending at ``end`` (up to an empty line), made bold in place; returns them. A
    line that begins with ``name`` is the page header's name glued to the title's first line."""
    block: list[str] = []
    for k in range(end, max(end - _TITLE_LINES, -1), -1):
        text = out[k].strip()
        if not text or text == "Responsabile" or "**" in text:
            break
        if name and text.startswith(name) and len(text) > len(name):
            out[k] = f"{name}**{text[len(name):].strip()}**"
            break
        out[k] = f"**{text}**"
        block.insert(0, out[k])
    return block


def decode(raw: bytes) -> str:
    encoding = "utf-8"
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if raw.startswith(bom):
            raw, encoding = raw[len(bom):], name
            break
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ValueError(NOT_TEXT.format(at=exc.start)) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # a form feed begins a page: it stays at the start of a line (which keeps its number; the layout
    # reader ends a table's row there), elsewhere it ends the line
    return re.sub(r"(?<=[^\n])\f", "\n\f", text)


def is_tabbed(text: str) -> bool:
    """Whether the text's tables have their cells separated by tabs (the form the parser reads)."""
    return any(
        line.count("\t") >= 2 and sum(1 for cell in line.split("\t") if cell.strip()) >= 2
        for line in text.split("\n")
    )


# -- the columns, from any form --------------------------------------------------------------------


def tabulate(lines: list[list[Word]], *, plain: Callable[[int], str], render: Callable[[list[Word]], str],
             min_gap: float, tolerance: float, snap: float, breaks: frozenset[int] = frozenset()
             ) -> list[str]:
    """One output line for each line: a table's header and rows with their cells between tabs (a
    row's continuation lines joined to it, left empty), every other line as `plain(index)` gives it."""
    out: list[str] = []
    table: tuple[Table, list[float]] | None = None  # the last header's table and its columns
    row: list[list[Word]] | None = None  # the row being read, its words by column
    row_at = 0
    after = "blank"  # what the line before was: blank, header, row or text

    def close_row():
        nonlocal row
        if row is not None:
            out[row_at] = "\t".join(render(words) for words in row)
            row = None

    for i, words in enumerate(lines):
        if i in breaks:  # a new page ends the row being read
            close_row()
            after = "blank"
        if not words:
            close_row()
            out.append("")
            after = "blank"
            continue
        header = _header(words)
        if header:
            close_row()
            table = header
            out.append("\t".join(header[0].labels))
            after = "header"
            continue
        if table:
            # the shapes of the columns count only inside a table (its header or a row just above)
            inside = after in ("row", "header")
            cells = _cells(words, table[0], table[1], min_gap=min_gap, tolerance=tolerance,
                           snap=snap if inside else None)
            if cells is not None and _starts_row(cells, table[0]):
                close_row()
                row, row_at = cells, len(out)
                out.append("")
                after = "row"
                continue
            if cells is not None and after in ("row", "header") and not any(cells[k] for k in table[0].keys):
                if after == "row":  # a cell wrapped on this line: its words go to their row's cells
                    for column, more in enumerate(cells):
                        # a column of one word already filled: the words are the next column's
                        while column in table[0].single and row[column] and column + 1 < len(row):
                            column += 1
                        row[column].extend(more)
                out.append("")  # a wrapped header cell, or a row's continuation
                continue
        close_row()
        text = plain(i)
        parameter = _PARAMETER.fullmatch(text.strip()) if len(out) < _HEAD_LINES else None
        out.append(f"{parameter[1]}\t{parameter[2]}" if parameter else text)
        after = "text"
    close_row()
    return out


def _bare(word: Word) -> str:
    return word.text.strip("*")


def _header(words: list[Word]) -> tuple[Table, list[float]] | None:
    joined = " ".join(_bare(w) for w in words)
    for table in TABLES:
        if not joined.startswith(table.signature):
            continue
        starts, at = [], 0
        for label in table.labels:
            first = label.split()[0]
            found = next((k for k in range(at, len(words)) if _bare(words[k]) == first), None)
            if found is None:
                return None
            starts.append(words[found].x)
            at = found + 1
        return table, starts
    return None


def _cells(words: list[Word], table: Table, starts: list[float], *, min_gap: float, tolerance: float,
           snap: float | None):
    """The line's words by column, or None when the line does not keep to the columns (a word of a new
    column without the room a column leaves before it: ordinary text). With ``snap``, the shapes of
    the columns count too: a word with the shape of a later column (a number, a date) that begins up
    to ``snap`` before it belongs to it, and may follow the cell before after one space; so may the
    word after a column of a single word, which it leaves."""
    cells: list[list[Word]] = [[] for _ in starts]
    column = -1
    for word in words:
        bare = _bare(word)
        at = max((k for k, start in enumerate(starts) if start <= word.x + tolerance), default=0)
        shaped = False
        if snap is not None:
            # a word one space after ordinary text goes on with it ('dell'allegato 8'); after room, or
            # after a number or a date, it may be the next column's; a number at the right end of its
            # own column stays there
            if (column < 0 or word.gap >= min_gap or column in table.shapes) and not _fits(table, at, bare):
                ahead = next(
                    (k for k in range(at + 1, len(starts))
                     if starts[k] <= word.x + snap and _fits(table, k, bare)),
                    None,
                )
                if ahead is not None:
                    at = ahead
            if column >= 0 and at == column and column in table.single and column + 1 < len(starts):
                at = column + 1
            at = max(at, column)
            shaped = word.gap > 0 and (_fits(table, at, bare) or column in table.single)
        if column >= 0 and at != column and word.gap < min_gap and not shaped:
            return None
        column = at
        cells[at].append(word)
    return cells


def _fits(table: Table, column: int, text: str) -> bool:
    shape = table.shapes.get(column)
    return shape is not None and bool(shape.fullmatch(text))


def _starts_row(cells: list[list[Word]], table: Table) -> bool:
    texts = [" ".join(_bare(w) for w in words) for words in cells]
    for key in table.keys:
        if texts[key] and (table.key_pattern is None or table.key_pattern.fullmatch(texts[key])):
            return True
    return bool(table.also) and all(texts[k] for k in table.also) and not texts[table.also[0]][:1].islower()


# -- text aligned with spaces ----------------------------------------------------------------------

_WORD = re.compile(r"\S+")


def _text_words(line: str) -> list[Word]:
    words, end = [], 0
    for match in _WORD.finditer(line.expandtabs(8)):
        words.append(Word(match.start(), match.end(), match.group(), match.start() - end))
        end = match.end()
    return words


def from_layout(text: str) -> str:
    lines = text.split("\n")
    breaks = frozenset(i for i, line in enumerate(lines) if line.startswith("\f"))
    lines = [line.replace("\f", "") for line in lines]
    out = tabulate(
        [_text_words(line) for line in lines],
        breaks=breaks,
        snap=3,
        plain=lambda i: lines[i].rstrip(),
        render=_render,
        min_gap=2,
        tolerance=1,
    )
    return "\n".join(out)


# -- the PDF ---------------------------------------------------------------------------------------

_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demibold", re.IGNORECASE)
_SPACES = {" ", "\u00a0", "\t"}


@dataclass
class _Char:
    ch: str
    x: float
    end: float
    y: float
    size: float
    bold: bool


def from_pdf(raw: bytes) -> Source:
    import pypdfium2 as pdfium  # loads PDFium only when a PDF is read

    try:
        document = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        raise ValueError(
            "Il PDF non si apre (file danneggiato o protetto da password): "
            "serve il PDF del report come lo stampa il programma, o il suo testo."
        ) from exc
    lines: list[list[Word]] = []
    pages: list[int] = []
    number = 0
    try:
        for number in range(len(document)):
            page = document[number]
            for words in _page_lines(page):
                lines.append(words)
                pages.append(number + 1)
            lines.append([])  # a page ends a paragraph
            pages.append(number + 1)
    except pdfium.PdfiumError as exc:
        raise ValueError(
            f"Il PDF è danneggiato: la pagina {number + 1} non si legge. Serve il PDF del report come lo "
            "stampa il programma, o il suo testo."
        ) from exc
    finally:
        document.close()
    _join_broken_words(lines, min_gap=4.0, tolerance=2.0)
    if not any(lines):
        raise ValueError(
            "Il PDF non contiene testo (è una scansione?): serve il PDF del report come lo stampa il "
            "programma, con il testo selezionabile, o il suo testo."
        )
    out = tabulate(
        lines,
        plain=lambda i: _render(lines[i]),
        render=_render,
        min_gap=4.0,
        tolerance=2.0,
        snap=6.0,
    )
    return Source("\n".join(out), "PDF", pages)


def _page_lines(page) -> list[list[Word]]:
    """The page's lines of words, top to bottom; an empty line where the space between two lines is
    more than a line's height (a paragraph or a table ends)."""
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    try:
        chars = _chars(textpage, pdfium_c)
    finally:
        textpage.close()
    chars.sort(key=lambda c: (-round(c.y, 1), c.x))
    rows: list[list[_Char]] = []
    for char in chars:
        if rows and abs(rows[-1][0].y - char.y) <= 0.4 * char.size:
            rows[-1].append(char)
        else:
            rows.append([char])
    out: list[list[Word]] = []
    previous = None
    for row in rows:
        row.sort(key=lambda c: c.x)
        size = max(c.size for c in row)
        if previous is not None and previous - row[0].y > 1.9 * size:
            out.append([])
        previous = row[0].y
        words = _words(row)
        if words:
            out.append(words)
    return out


def _chars(textpage, pdfium_c) -> list[_Char]:
    """The page's characters: the text in one call, then each character's box and, once for each text
    object, its font's weight and size."""
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count <= 0:
        return []
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    pdfium_c.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: count * 2].decode("utf-16-le", errors="replace")
    box = pdfium_c.FS_RECTF()
    name = ctypes.create_string_buffer(128)
    objects: dict[int | None, tuple[bool, float]] = {}
    # the text object of a character as a plain address (a pointer object costs a cast each time)
    object_of = ctypes.cast(
        pdfium_c.FPDFText_GetTextObject, ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
    )
    handle_of_page = ctypes.cast(textpage.raw, ctypes.c_void_p)
    out = []
    for k, ch in enumerate(text):
        if ch in "\x00\n\r\uffff":
            continue
        if ch == "\ufffe":  # how PDFium's text gives its mark of a hyphen where a line broke
            ch = "\x02"
        handle = object_of(handle_of_page, k)
        style = objects.get(handle)
        if style is None:
            font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(textpage, k))
            size = pdfium_c.FPDFText_GetFontSize(textpage, k) or 10.0
            bold = False
            if font:
                pdfium_c.FPDFFont_GetBaseFontName(font, name, len(name))
                bold = bool(_BOLD_FONT.search(name.value.decode("latin-1"))) or (
                    pdfium_c.FPDFFont_GetWeight(font) >= 600
                )
            style = objects[handle] = (bold, size)
        pdfium_c.FPDFText_GetLooseCharBox(textpage, k, box)
        out.append(_Char(ch, box.left, max(box.right, box.left), box.bottom, style[1], style[0]))
    return out


def _words(row: list[_Char]) -> list[Word]:
    """Characters into words: a space, a gap wider than a quarter of the font size or a change of font
    weight ends a word (after a change of weight with no gap the words are glued: gap 0)."""
    groups: list[list[_Char]] = []
    split = True
    for char in row:
        if char.ch in _SPACES:
            split = True
            continue
        last = groups[-1] if groups else None
        if split or last is None or char.x - last[-1].end > 0.25 * char.size or char.bold != last[0].bold:
            groups.append([char])
        else:
            last.append(char)
        split = False
    words: list[Word] = []
    end = None
    for group in groups:
        text = "".join(c.ch for c in group)
        gap = group[0].x - end if end is not None else group[0].x
        words.append(Word(group[0].x, group[-1].end, f"**{text}**" if group[0].bold else text, gap))
        end = group[-1].end
    return words


def _join_broken_words(lines: list[list[Word]], *, min_gap: float, tolerance: float) -> None:
    """A word the page broke over two lines, at its hyphen (PDFium marks it) or after a slash, is made
    whole again on the first line, when the second line's first word begins where its run of text did."""
    for line, following in zip(lines, lines[1:], strict=False):
        if not line or not following:
            continue
        last, first = line[-1], following[0]
        if not _broken(last.text) or last.text.startswith("**") != first.text.startswith("**"):
            continue  # not broken, or the two halves differ in weight (two words, not one)
        start = len(line) - 1
        while start > 0 and line[start].gap < min_gap:
            start -= 1
        if abs(first.x - line[start].x) > tolerance:
            continue
        joined = last.text.rstrip("*").replace("\x02", "-") + first.text.lstrip("*")
        line[-1] = Word(last.x, first.end, joined, last.gap)
        rest = following[1:]
        following[:] = [Word(rest[0].x, rest[0].end, rest[0].text, rest[0].x)] + rest[1:] if rest else []


def _render(words: list[Word]) -> str:
    """Words back into a line or a cell: a space where there was room, none where a word was glued to
    the next or broke over two lines of a cell (at a hyphen or a slash); neighbouring bold runs joined."""
    out = ""
    for k, word in enumerate(words):
        if k:
            new_line = word.x < words[k - 1].x
            if (not new_line and word.gap > 0.5) or (new_line and not _broken(words[k - 1].text)):
                out += " "
        out += word.text
    return re.sub(r"\*\*(\s?)\*\*", r"\1", out).replace("\x02", "-")


def _broken(text: str) -> bool:
    """Whether a word at the end of a line goes on with the first word of the next: PDFium's mark of a
    hyphen where the line broke, or a hyphen or slash right after a letter or digit."""
    bare = text.rstrip("*")
    return bare.endswith("\x02") or (len(bare) > 1 and bare[-1] in "-/" and bare[-2].isalnum())


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
