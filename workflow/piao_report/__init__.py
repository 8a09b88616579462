"""The PIAO section 2.2 report parser: the text of an "Obiettivi di Performance - P.I.A.O. Sez. 2.2."
report in, the interchange document (../shared/schemas/piao-performance.schema.json) out, with the
warnings the report's own totals allow. Plain Python: no Django, no database.

    tokens     the input checks, page headers taken out, `**` markers cut away
    sections   the text cut into preamble, strategic objectives, objective sections, final table
    objective  one objective's head, text blocks, phases, indicators and DUP links
    tables     the strategic objectives' blocks and the final table
    checks     the cross-checks, as Italian warnings
    parser     parse_report, and the codes of the sections that have no page header
"""

from .errors import ReportError
from .parser import ParseResult, parse_report

__all__ = ["ParseResult", "ReportError", "parse_report"]
