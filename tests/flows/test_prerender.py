"""The PDF to sign is rendered before the closing's transaction, so no row (and on SQLite no database)
stays locked while WeasyPrint works; it is used only if the objectives still hold the content it prints."""

import pytest
from django.db import connection

from approvals import attestation
from approvals.models import SignedDocument
from approvals.pdf import content_hash
from flows import errors
from flows.services import signatures
from tests.factories import ensure_role_groups
from tests.support import act, fresh, walk_to
from workflow.models import State


@pytest.fixture
def role_groups(transactional_db):
    ensure_role_groups()  # a transactional test empties the tables the migrations filled


def _spy(monkeypatch, module, name) -> list[bool]:
    """Each call of ``module.name``: was a transaction open when it ran?"""
    calls = []
    real = getattr(module, name)

    def spy(**kwargs):
        calls.append(connection.in_atomic_block)
        return real(**kwargs)

    monkeypatch.setattr(module, name, spy)
    return calls


@pytest.fixture
def renders(monkeypatch):
    """Each render of the PDF to sign."""
    return _spy(monkeypatch, signatures, "render_objectives_pdf")


@pytest.mark.django_db(transaction=True)
def test_the_pdf_is_rendered_before_the_transaction(role_groups, draft, people, renders):
    objective = walk_to(draft, State.UNION_CONSULTATION, people)
    act(objective, "close_consultation", people["segreteria"])
    assert fresh(objective).state == State.SIGNATURE
    assert renders == [False]  # once, outside any transaction
    document = SignedDocument.objects.get()
    assert document.content_hash == content_hash([fresh(objective)])


@pytest.mark.django_db(transaction=True)
def test_a_refused_closing_renders_nothing(role_groups, draft, people, renders):
    objective = walk_to(draft, State.UNION_CONSULTATION, people)
    with pytest.raises(errors.ConditionsUnmet):  # too early and no reason given
        act(objective, "close_consultation", people["segreteria"], data={"comment": "presto"})
    with pytest.raises(errors.Forbidden):
        act(objective, "close_consultation", people["dirigente_satta"])
    assert renders == [] and not SignedDocument.objects.exists()


@pytest.mark.django_db
def test_a_pdf_of_other_content_is_not_used(draft, people):
    objective = walk_to(draft, State.UNION_CONSULTATION, people)
    prepared = signatures.documents_prerender(
        objective_ids=[objective.pk], by=people["segreteria"], data={"early_reason": "Scadenza imminente"}
    )
    assert len(prepared) == 1
    # The content changes after the render (here behind the flow's back, as a concurrent revision would).
    objective.purpose = "Finalità cambiata dopo la stampa"
    objective.save()
    [document] = signatures.document_freeze(
        objectives=[fresh(objective)], by=people["segreteria"], prepared=prepared
    )
    assert document.content_hash == content_hash([fresh(objective)])
    assert document.content_hash not in prepared
    assert bytes(document.original.content) != prepared[next(iter(prepared))].content


# -- the publication's attestation page ----------------------------------------------------------------
@pytest.fixture
def attestations(monkeypatch):
    """Each render of an attestation page."""
    return _spy(monkeypatch, attestation, "attestation_pdf")


@pytest.mark.django_db(transaction=True)
def test_the_attestation_page_is_rendered_before_the_publication_transaction(
    role_groups, draft, people, attestations
):
    objective = walk_to(draft, State.PUBLICATION, people)
    act(objective, "publish", people["segreteria"])
    published = fresh(objective).published_revisions.get()
    assert published.attestation and attestations == [False]  # once, outside any transaction


@pytest.mark.django_db(transaction=True)
def test_a_refused_publication_renders_no_attestation(role_groups, draft, people, attestations):
    objective = walk_to(draft, State.PUBLICATION, people)
    with pytest.raises(errors.Forbidden):
        act(objective, "publish", people["dirigente_satta"])
    assert attestations == []


@pytest.mark.django_db
def test_an_attestation_page_is_used_only_while_it_prints_the_same_signatures(draft, people, attestations):
    from approvals.services.steps import (
        _attested,
        _current_items,
        _document_signatures,
        publication_prerender,
    )

    objective = fresh(walk_to(draft, State.PUBLICATION, people))
    prepared = publication_prerender([objective])
    assert len(prepared) == 1 and len(attestations) == 1
    document = _current_items([objective])[objective.pk].document

    def publish_file():
        entries, signed, _digital = _document_signatures(document)
        return _attested(document, objective, entries, signed, by=people["segreteria"], prepared=prepared)

    publish_file()
    assert len(attestations) == 1  # the page rendered before was used
    # A signer's name changes after the render: the page printed before would name the old one.
    segretario = people["segretario"]
    segretario.last_name = "Cambiato"
    segretario.save()
    publish_file()
    assert len(attestations) == 2  # rendered again, with the name as it is now
