"""What the approvals tests share: the body's electronic seal, issued by a test authority."""

import pytest

from flows.services.body_settings import body_seal_configure
from tests import pki


@pytest.fixture
def authority():
    return pki.authority("CA dei sigilli di prova")


@pytest.fixture
def sealed(body, people, authority):
    return body_seal_configure(
        body_id=body.pk,
        by=people["segreteria"],
        content=authority.seal_pkcs12("Provincia di Cremona"),
        password="segreto",
    )
