import datetime as dt
from types import SimpleNamespace

from workflow.gantt import gantt_svg


def phase(description, start, end):
    return SimpleNamespace(description=description, start=start, end=end)


def test_one_bar_per_dated_phase_and_notes_left_out():
    svg = gantt_svg([
        phase("Analisi <preliminare>", dt.date(2023, 1, 1), dt.date(2023, 3, 31)),
        phase("Nota senza date", None, None),
        phase("Attuazione", dt.date(2023, 4, 1), dt.date(2024, 2, 29)),
    ])
    assert svg.count("<rect") == 2
    assert "Analisi &lt;preliminare&gt;" in svg and "<preliminare>" not in svg
    assert "dal 01/04/2023 al 29/02/2024" in svg
    assert ">gen 24<" in svg  # months of a following year carry it
    assert ">1. Analisi" in svg and ">3. Attuazione" in svg  # numbered as in the phases table


def test_nothing_to_draw_without_dated_phases():
    assert gantt_svg([phase("Nota", None, None)]) == ""


def test_a_plan_over_three_years_labels_every_quarter_only():
    svg = gantt_svg([phase("Progettazione", dt.date(2023, 1, 1), dt.date(2025, 12, 31))])
    assert svg.count("<text") == 1 + 12  # the phase's label and one label per quarter
    assert ">gen 23<" in svg and ">ott 25<" in svg and ">feb 23<" not in svg
    assert svg.count("<line") == 36  # a grid line for every month


def test_a_phase_with_a_date_no_plan_can_have_is_left_out_instead_of_breaking_the_chart():
    svg = gantt_svg([
        phase("Analisi", dt.date(2023, 1, 1), dt.date(2023, 3, 31)),
        phase("Fine lontanissima", dt.date(2023, 4, 1), dt.date(9999, 12, 31)),
        phase("Inizio remoto", dt.date(1, 1, 1), dt.date(2023, 6, 30)),
    ])
    assert svg.count("<rect") == 1
    assert ">1. Analisi" in svg and "Fine lontanissima" not in svg and "Inizio remoto" not in svg
    assert gantt_svg([phase("Fine lontanissima", dt.date(2023, 4, 1), dt.date(9999, 12, 30))]) == ""
