"""Fixtures of the auditors' tests: the people of another body and a way to read the change log page."""

import html
import re

import pytest

from tests.factories import PlanFactory, Role, member


@pytest.fixture
def other_plan(other_body):
    return PlanFactory(body=other_body)


@pytest.fixture
def revisore_crema(other_body):
    """The auditor of another body (the Comune di Crema): sees none of the Provincia's entries."""
    return member("revisore_crema", other_body, Role.REVISORE, first_name="Rita", last_name="Crema")


@pytest.fixture
def segreteria_crema(other_body):
    return member("segreteria_crema", other_body, Role.SEGRETERIA, first_name="Franca", last_name="Crema")


def text(response) -> str:
    """The page as text: tags removed, entities decoded, spaces collapsed."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    page = re.sub(r"<[^>]+>", " ", body.decode())
    return re.sub(r"\s+", " ", html.unescape(page))


def log_rows(response) -> list[dict]:
    """The change log table: one dict per row (sequence and the text of each cell, by column name)."""
    page = response.content.decode()
    names = ["n", "quando", "utente", "azione", "oggetto", "dettagli", "motivazione"]
    rows = []
    for seq, cells in re.findall(r'<tr data-sequence="(\d+)">(.*?)</tr>', page, re.S):
        values = [
            re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", c))).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)
        ]
        rows.append({"sequence": int(seq), **dict(zip(names, values, strict=True))})
    return rows
