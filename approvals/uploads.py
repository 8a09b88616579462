"""Checking an uploaded file before it is accepted (plain bytes in, a refusal out; no database).

Every PDF the approval path receives (an adoption act, a portal receipt, a meeting's minutes, a signed
document) is parsed with a real PDF library, and refused when it does not parse, when it carries
JavaScript, a launch action or embedded files, or when its compressed content would expand beyond a
limit. A receipt may also be a PNG or JPEG screenshot: it must decode as one, within a size limit. Each
refusal has its own message, which the pages show next to the file field.

The limits come from the settings: ``UPLOAD_MAX_BYTES`` (the size of an upload) and
``PDF_MAX_EXPANDED_BYTES`` (the total of a PDF's streams once decompressed).
"""

from __future__ import annotations

import io
import logging
import warnings
import zlib

from django.conf import settings

MEGABYTE = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MEGABYTE
DEFAULT_MAX_EXPANDED_BYTES = 100 * MEGABYTE
MAX_OBJECTS = 100_000  # far above any real act or signed document; bounds the work of one check
IMAGE_MAX_PIXELS = 25_000_000  # 5000 × 5000: a screenshot or an A4 page scanned at 300 dpi fits easily

NOT_A_PDF = "Il file caricato non è un PDF leggibile."
PDF_ENCRYPTED = "Il PDF è protetto da password: carica una copia senza password."
PDF_JAVASCRIPT = (
    "Il PDF contiene codice JavaScript, che non è ammesso: carica una copia senza script "
    "(per esempio salvandola di nuovo con «Stampa in PDF»)."
)
PDF_LAUNCH = (
    "Il PDF contiene un comando che avvia programmi o apre altri file (azione «Launch»), che non è ammesso."
)
PDF_EMBEDDED_FILES = (
    "Il PDF contiene file allegati al suo interno, che non sono ammessi: carica il documento senza allegati."
)
PDF_TOO_EXPANDED = "Il contenuto del PDF, una volta decompresso, supera {mb} MB: il file non è accettato."
PDF_TOO_MANY_OBJECTS = "Il PDF contiene troppi oggetti (più di {n}) per essere controllato."
IMAGE_INVALID = "L'immagine non è un file PNG o JPEG leggibile."
IMAGE_TOO_LARGE = "L'immagine è troppo grande: supera {mp} milioni di pixel."

IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}

# Filters whose data a viewer hands to an image decoder: their size here is their size in the file.
_IMAGE_FILTERS = {"/DCTDecode", "/DCT", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode", "/CCF", "/Crypt"}
_FLATE = {"/FlateDecode", "/Fl"}
_CHUNK = 64 * 1024

logging.getLogger("pypdf").setLevel(logging.ERROR)  # it warns about every oddity of a malformed file


class FileRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def max_upload_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_expanded_bytes() -> int:
    return int(getattr(settings, "PDF_MAX_EXPANDED_BYTES", DEFAULT_MAX_EXPANDED_BYTES))


def megabytes(size: int) -> int:
    return size // MEGABYTE


# -- PDF -----------------------------------------------------------------------------------------------
def check_pdf(content: bytes, *, embedded_files: bool = False) -> str:
    """The content type of ``content`` if it is a PDF that parses, with at least one page, no JavaScript,
    no launch action, no embedded file (unless ``embedded_files``: a Relazione carries its data as one),
    and streams that expand to at most ``PDF_MAX_EXPANDED_BYTES`` in all. Raises FileRefused."""
    from pypdf import apply_configuration
    from pypdf.errors import LimitReachedError

    if not content.startswith(b"%PDF-"):
        raise FileRefused(NOT_A_PDF)
    limit = max_expanded_bytes()
    # pypdf expands the cross-reference and object streams itself: no single one beyond the limit
    with apply_configuration(**_decoder_limits(limit)):
        try:
            _Inspection(content, limit, embedded_files=embedded_files).run()
        except FileRefused:
            raise
        except LimitReachedError as exc:
            raise FileRefused(PDF_TOO_EXPANDED.format(mb=megabytes(limit))) from exc
        except Exception as exc:  # a malformed file makes the parser raise many kinds of errors
            raise FileRefused(NOT_A_PDF) from exc
    return "application/pdf"


def _decoder_limits(limit: int) -> dict:
    return {
        "zlib_maximum_output_length": limit,
        "lzw_maximum_output_length": limit,
        "run_length_maximum_output_length": limit,
        "brotli_maximum_output_length": limit,
        "array_based_stream_maximum_output_length": limit,
        "stream_decoding_work_maximum_length": limit,
    }


class _Inspection:
    """One pass over every object of the file: what each dictionary says, and each stream's size once
    decompressed, counted against the budget before pypdf expands anything itself."""

    def __init__(self, content: bytes, limit: int, *, embedded_files: bool = False):
        self.content = content
        self.limit = limit
        self.budget = limit
        self.embedded_files = embedded_files

    def run(self) -> None:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(self.content), strict=False)
        if reader.is_encrypted and not self._decrypts(reader):
            raise FileRefused(PDF_ENCRYPTED)
        # objects stored on their own first: an object stream is measured before pypdf expands it
        plain = sorted((num, gen) for gen, table in reader.xref.items() for num in table)
        numbers = {num for num, _gen in plain}
        packed = sorted(num for num in reader.xref_objStm if num not in numbers)
        if len(plain) + len(packed) > MAX_OBJECTS:
            raise FileRefused(PDF_TOO_MANY_OBJECTS.format(n=f"{MAX_OBJECTS:_}".replace("_", ".")))
        self.inspect(reader.trailer)
        for num, gen in plain:
            self.inspect(reader.get_object(_reference(reader, num, gen)))
        for num in packed:
            self.inspect(reader.get_object(_reference(reader, num, 0)))
        if len(reader.pages) < 1:
            raise FileRefused(NOT_A_PDF)

    @staticmethod
    def _decrypts(reader) -> bool:
        """An encrypted file with an empty user password (permissions only) opens like any other."""
        try:
            return bool(reader.decrypt(""))
        except Exception:  # an unknown security handler, or a missing cipher
            return False

    def inspect(self, value) -> None:
        from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, DictionaryObject):
                self.dictionary(item)
                if isinstance(item, StreamObject):
                    self.stream(item)
                stack.extend(item.values())
            elif isinstance(item, ArrayObject):
                stack.extend(item)
            # an indirect reference is inspected as an object of its own, not followed here

    def dictionary(self, d) -> None:
        action = _resolved(d.get("/S"))
        if "/JS" in d or "/JavaScript" in d or action == "/JavaScript":
            raise FileRefused(PDF_JAVASCRIPT)
        if action == "/Launch":
            raise FileRefused(PDF_LAUNCH)
        if not self.embedded_files and (
            "/EmbeddedFiles" in d
            or "/EF" in d
            or _resolved(d.get("/Type")) == "/EmbeddedFile"
            or _resolved(d.get("/Subtype")) == "/FileAttachment"
        ):
            raise FileRefused(PDF_EMBEDDED_FILES)

    def stream(self, stream) -> None:
        size = _expanded_size(_raw(stream), _filters(stream), self.budget)
        self.budget -= size
        if self.budget < 0:
            raise FileRefused(PDF_TOO_EXPANDED.format(mb=megabytes(self.limit)))


def _reference(reader, num: int, gen: int):
    from pypdf.generic import IndirectObject

    return IndirectObject(num, gen, reader)


def _resolved(value):
    from pypdf.generic import IndirectObject

    return value.get_object() if isinstance(value, IndirectObject) else value


def _raw(stream) -> bytes:
    """The bytes of the stream as stored in the file (pypdf keeps them undecoded until asked)."""
    return bytes(stream._data or b"")


def _filters(stream) -> list[str]:
    value = _resolved(stream.get("/Filter"))
    if value is None:
        return []
    if isinstance(value, str):
        return [str(value)]
    return [str(_resolved(v)) for v in value]


def _expanded_size(data: bytes, filters: list[str], budget: int) -> int:
    """The size of ``data`` once its ``filters`` are undone, or something above ``budget`` as soon as it
    is known to exceed it. The last Flate filter is measured without keeping its output."""
    from pypdf import apply_configuration
    from pypdf.filters import ASCII85Decode, ASCIIHexDecode, FlateDecode, LZWDecode, RunLengthDecode

    decoders = {
        "/FlateDecode": FlateDecode,
        "/Fl": FlateDecode,
        "/LZWDecode": LZWDecode,
        "/LZW": LZWDecode,
        "/RunLengthDecode": RunLengthDecode,
        "/RL": RunLengthDecode,
        "/ASCIIHexDecode": ASCIIHexDecode,
        "/AHx": ASCIIHexDecode,
        "/ASCII85Decode": ASCII85Decode,
        "/A85": ASCII85Decode,
    }
    for position, name in enumerate(filters):
        if name in _IMAGE_FILTERS or name not in decoders:
            return len(data)
        if name in _FLATE and position == len(filters) - 1:
            return _inflated_size(data, budget)
        with apply_configuration(**_decoder_limits(budget + 1)):
            data = decoders[name].decode(data)
        if len(data) > budget:
            return len(data)
    return len(data)


def _inflated_size(data: bytes, budget: int) -> int:
    """How many bytes ``data`` inflates to, reading at most ``budget + 1`` of them in chunks: a bomb is
    stopped as soon as it passes the budget, without its output ever being held. A damaged stream counts
    what inflates before the damage, as a viewer would show it."""
    total = 0
    for wbits in (zlib.MAX_WBITS | 32, -zlib.MAX_WBITS):  # zlib or gzip header, else raw deflate
        inflater = zlib.decompressobj(wbits)
        pending = data
        try:
            while True:
                out = inflater.decompress(pending, _CHUNK)
                total += len(out)
                if total > budget:
                    return total
                pending = inflater.unconsumed_tail
                if inflater.eof or (not pending and len(out) < _CHUNK):
                    return total
        except zlib.error:
            if total:
                return total
    return total


# -- images --------------------------------------------------------------------------------------------
def check_image(content: bytes) -> str:
    """The content type of ``content`` if it is a PNG or JPEG image that decodes, within
    ``IMAGE_MAX_PIXELS``. Raises FileRefused."""
    from PIL import Image

    too_large = FileRefused(IMAGE_TOO_LARGE.format(mp=IMAGE_MAX_PIXELS // 1_000_000))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                content_type = IMAGE_TYPES.get(image.format or "")
                if content_type is None:
                    raise FileRefused(IMAGE_INVALID)
                width, height = image.size
                if width * height > IMAGE_MAX_PIXELS:
                    raise too_large
                image.verify()
            with Image.open(io.BytesIO(content)) as image:
                image.load()
    except FileRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_large from exc
    except Exception as exc:  # Pillow raises many kinds of errors on a damaged file
        raise FileRefused(IMAGE_INVALID) from exc
    return content_type


# -- evidence of a progress report: a PDF, an image or a spreadsheet ----------------------------------
EVIDENCE_KIND_UNKNOWN = (
    "Sono ammessi PDF, immagini PNG o JPEG e fogli di calcolo XLSX, ODS o CSV: «{name}» non è tra questi."
)
EVIDENCE_NOT_WHAT_IT_CLAIMS = (
    "Il file «{name}» non è un {kind} leggibile: il contenuto non corrisponde all'estensione."
)
SPREADSHEET_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "csv": "text/csv",
}
_ZIP_MAX_MEMBERS = 10_000


def _zip_spreadsheet(content: bytes, extension: str) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            if len(names) > _ZIP_MAX_MEMBERS:
                return False
            if extension == "xlsx":
                return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)
            if "mimetype" not in names or archive.getinfo("mimetype").file_size > 200:
                return False  # never inflate a large member: a forged size is bounded by reading 200 bytes
            with archive.open("mimetype") as member:
                return member.read(200).strip() == SPREADSHEET_TYPES["ods"].encode()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False


def _csv_text(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            content.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def check_evidence(content: bytes, name: str) -> str:
    """The content type of an evidence file, judged by its content, which must be what its name claims:
    a PDF (checked as every PDF), a PNG or JPEG image, an XLSX or ODS workbook, a CSV text. Raises
    FileRefused."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "pdf":
        return check_pdf(content)
    if extension in ("png", "jpg", "jpeg"):
        content_type = check_image(content)
        if content_type != ("image/png" if extension == "png" else "image/jpeg"):
            raise FileRefused(EVIDENCE_NOT_WHAT_IT_CLAIMS.format(name=name, kind=f"file {extension.upper()}"))
        return content_type
    if extension in ("xlsx", "ods"):
        if not _zip_spreadsheet(content, extension):
            raise FileRefused(
                EVIDENCE_NOT_WHAT_IT_CLAIMS.format(name=name, kind=f"foglio {extension.upper()}")
            )
        return SPREADSHEET_TYPES[extension]
    if extension == "csv":
        if not _csv_text(content):
            raise FileRefused(EVIDENCE_NOT_WHAT_IT_CLAIMS.format(name=name, kind="file CSV di testo"))
        return SPREADSHEET_TYPES["csv"]
    raise FileRefused(EVIDENCE_KIND_UNKNOWN.format(name=name))
