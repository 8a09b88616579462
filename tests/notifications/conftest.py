"""Fixtures of the notification tests: the people of another body, who must never hear of this one."""

import pytest

from tests.factories import Role, member


@pytest.fixture
def outsiders(other_body):
    """The Segreteria, a dirigente and a union representative of the Comune di Crema."""
    return {
        "segreteria_crema": member("segreteria_crema", other_body, Role.SEGRETERIA),
        "segretario_crema": member("segretario_crema", other_body, Role.SEGRETARIO),
        "dirigente_crema": member("dirigente_crema", other_body, Role.DIRIGENTE),
        "sindacato_crema": member("sindacato_crema", other_body, Role.SINDACATO),
    }
