"""Fixtures of the HTTP-level tests: the extra people a permission table needs."""

import pytest

from tests.factories import PlanFactory, Role, member


@pytest.fixture
def funzionario_ferri(body):
    """A second funzionario of the Provincia: the one a delegation is granted to."""
    return member("funzionario_ferri", body, Role.FUNZIONARIO, first_name="Elena", last_name="Ferri")


@pytest.fixture
def other_plan(other_body):
    return PlanFactory(body=other_body)


@pytest.fixture
def segreteria_crema(other_body):
    """The Segreteria Generale of another body (the Comune di Crema): no rights in the Provincia."""
    return member("segreteria_crema", other_body, Role.SEGRETERIA, first_name="Franca", last_name="Crema")
