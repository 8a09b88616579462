import pytest
from django.core.cache import cache

from tests.factories import BodyFactory, ObjectiveFactory, PlanFactory, Role, member


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: ids come back after a rollback, and a page cached by an earlier
    test under the same ids must not answer for this one."""
    cache.clear()


@pytest.fixture
def body(db):
    return BodyFactory()


@pytest.fixture
def plan(body):
    return PlanFactory(body=body)


@pytest.fixture
def other_body(db):
    return BodyFactory(name="Comune di Crema", ipa_code="c_d142")


@pytest.fixture
def people(body):
    """The named people of the Provincia di Cremona scenarios."""
    return {
        "dirigente_satta": member(
            "dirigente_satta",
            body,
            Role.DIRIGENTE,
            first_name="Sabrina",
            last_name="Satta",
            center="SETTORE RISORSE ECONOMICHE E FINANZIARIE",
        ),
        "dirigente_rossi": member(
            "dirigente_rossi",
            body,
            Role.DIRIGENTE,
            first_name="Paolo",
            last_name="Rossi",
            center="SETTORE INFRASTRUTTURE",
        ),
        "funzionario_bianchi": member(
            "funzionario_bianchi", body, Role.FUNZIONARIO, first_name="Anna", last_name="Bianchi"
        ),
        "segreteria": member("segreteria", body, Role.SEGRETERIA, first_name="Giulia", last_name="Verdi"),
        "segretario": member("segretario", body, Role.SEGRETARIO, first_name="Massimo", last_name="Placchi"),
        "revisore": member("revisore", body, Role.REVISORE, first_name="Laura", last_name="Neri"),
        "sindacato": member("sindacato", body, Role.SINDACATO, first_name="Carlo", last_name="Galli"),
        "amministratore": member(
            "amministratore", body, Role.AMMINISTRATORE, first_name="Ivo", last_name="Sala"
        ),
    }


@pytest.fixture
def draft(plan, people):
    return ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])
