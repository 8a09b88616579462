"""The steps of the objective's approval path (DESIGN.md, "The objective's states").

The flow class (flows.objective_flow) declares each transition's states, who may take it and its
conditions; each class here declares the rest of it. To learn what a step does, read its class.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import audit.services as audit
from approvals import services as approvals
from approvals.models import AdoptionAct, SignatureMethod, SignedDocument
from approvals.selectors import last_publication, missing_signatures, signer_capacities, valid_signatures
from approvals.selectors import signatures as documents
from approvals.services import signatures as document_records
from notifications.rules import SIGN_COMPLETED
from notifications.services import notify_transition, notify_transitions
from workflow.models import Objective, SignatureMode, State, Transition
from workflow.selectors import objectives_visible_to

from .. import errors, forms
from ..objective_flow import ObjectiveFlow
from ..services import consultation, report_rows, signatures, transmission
from ..services.common import check_fresh, lock_objective, lock_objectives, save_many_with_history
from ..services.content import restore_content
from ..services.engine import check_may_apply
from . import Call, Machine, Step


# -- inputs -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ApproveInput:
    comment: str = ""
    protocol_number: str = ""
    protocol_date: dt.date | None = None


@dataclass(frozen=True)
class CloseConsultationInput:
    outcome: str = ""
    summary: str = ""
    early_reason: str = ""
    comment: str = ""


@dataclass(frozen=True)
class SignInput:
    confirm: bool = False
    signed_pdf: Any = None  # the uploaded PAdES file (an UploadedFile, or bytes)
    comment: str = ""


@dataclass(frozen=True)
class AdoptInput:
    act_type: str
    act_number: str
    act_date: dt.date
    act_file: forms.ActFile | None = None
    comment: str = ""


@dataclass(frozen=True)
class TransmitInput:
    receipt_reference: str = ""
    receipt_date: dt.date | None = None
    receipt_file: forms.ReceiptFile | None = None
    comment: str = ""


@dataclass(frozen=True)
class PublishInput:
    published_on: dt.date
    url: str
    comment: str = ""


# -- the steps ----------------------------------------------------------------------------------------
class Submit(Step):
    name = Transition.SUBMIT
    form = forms.CommentForm


class Approve(Step):
    """The approval sends one information to the unions for all the objectives approved together."""

    name = Transition.APPROVE
    form = forms.ApproveForm
    Input = ApproveInput
    in_batch = True

    def after_all(self, call: Call) -> None:
        call.shared["information"] = consultation.information_send(
            objectives=call.moved,
            by=call.by,
            batch=call.batch,
            protocol_number=call.input.protocol_number,
            protocol_date=call.input.protocol_date,
        )


class ReturnToDrafting(Step):
    """Back to the dirigente, with the reason; the signatures given so far are voided."""

    name = Transition.RETURN_TO_DRAFTING
    form = forms.ReasonForm
    in_batch = True

    def leave_behind(self, call: Call, obj, step_record) -> None:
        approvals.signatures_void(objective=obj, step=step_record)


class CloseConsultation(Step):
    """The outcome of the consultation, then one PDF to sign for all the objectives closed together."""

    name = Transition.CLOSE_CONSULTATION
    form = forms.CloseConsultationForm
    Input = CloseConsultationInput
    in_batch = True
    in_background = True  # the PDF to sign of a whole plan takes seconds

    def prepare(self, call: Call) -> None:
        # the PDF to sign (seconds for a whole plan), rendered before the transaction on the content as it
        # is now; inside it the PDF is used only if that is still the content being frozen
        call.prepared = signatures.documents_prerender(
            objective_ids=call.ids, by=call.by, data=self.flow_data(call)
        )

    def ready(self, call: Call) -> bool:
        candidates = signatures.closing_candidates(
            objective_ids=call.ids, by=call.by, data=self.flow_data(call), lock_versions=call.lock_versions
        )
        return len(candidates) == len(set(call.ids))

    def checked(self, call: Call, obj, flow) -> None:
        """A closing after a confronto records one outcome and one summary of positions: those of the
        confronto on one information. A batch may not hand them to the objectives of another one."""
        if not flow.step_data.get("confronto"):
            return  # mixed with one, the conditions refuse the outcome (none was asked) or its lack
        information = flow.step_data.get("information")
        first = call.shared.setdefault("confronto_information", information)
        if first != information:
            raise errors.ConditionsUnmet(errors.CLOSING_MIXED_CONFRONTI)

    def record_data(self, call: Call, obj, flow) -> dict:
        # the outcome and the confronto come from the flow's records
        typed = {"summary": call.input.summary.strip(), "early_reason": call.input.early_reason.strip()}
        return typed | flow.step_data

    def highlighted(self, call: Call, obj, flow) -> bool:
        return bool(flow.step_data.get("early_reason"))  # an early closing is pointed out to the auditors

    def after_all(self, call: Call) -> None:
        # one PDF to sign for all of them, never regenerated
        call.shared["document"] = signatures.document_freeze(
            objectives=call.moved, by=call.by, batch=call.batch, prepared=call.prepared
        )[0]


class Sign(Step):
    """A signature by login, or by the upload of the PAdES-signed document: then every objective of the
    document that waits for this person's signature is signed with it, and the upload becomes the file
    the next signer signs. The signature stays open until the last required signer has signed."""

    name = Transition.SIGN
    form = forms.SignForm
    Input = SignInput

    def form_kwargs(self, body) -> dict:
        return {"signature_mode": body.signature_mode}

    def event(self, obj) -> str:
        # the last signature tells the Segreteria the act can be registered; the others tell nobody
        return SIGN_COMPLETED if obj.state == State.DELIBERATION else self.name

    def forbidden_message(self, obj, by) -> str:
        # say why: a signer who already signed, or someone whose signature is not needed
        signed = valid_signatures(obj).filter(signer=by).exists()
        return errors.ALREADY_SIGNED if signed else errors.NOT_A_SIGNER

    def prepare(self, call: Call) -> None:
        if call.input.signed_pdf is None:
            return
        if len(call.ids) != 1:  # the file signs the objectives of its document that wait for the signer
            raise errors.InvalidInput(errors.SIGN_UPLOAD_ONE_OBJECTIVE)
        call.prepared["content"] = signatures.read_upload(call.input.signed_pdf)

    def begin(self, call: Call) -> list[int]:
        if call.input.signed_pdf is None:
            return call.ids
        return self._verify_upload(call)

    def flow_data(self, call: Call) -> dict:
        return super().flow_data(call) | {"pades": call.shared.get("pades")}

    def record_data(self, call: Call, obj, flow) -> dict:
        pades = call.shared.get("pades")
        if not pades:
            return {"method": "login"}
        return {
            "method": "pades",
            "document": pades["document"].pk,
            "file_sha256": pades["file"].sha256,
            "certificate_subject": pades["certificate_subject"],
        }

    def leave_behind(self, call: Call, obj, step_record) -> None:
        pades = call.shared.get("pades")
        extra = {"method": SignatureMethod.PADES, **pades} if pades else {}
        approvals.signature_record(objective=obj, signer=call.by, step=step_record, **extra)

    def after_all(self, call: Call) -> None:
        pades = call.shared.get("pades")
        if not pades:
            return
        document, stored, named = pades["document"], pades["file"], call.shared["named"]
        document_records.document_advance(document=document, file=stored)
        audit.record(
            action="signature.upload",
            by=call.by,
            obj=named,
            body_id=named.plan.body_id,
            data={
                "document": document.pk,
                "sha256": stored.sha256,
                "objectives": [o.code for o in call.moved],
                "certificate_subject": pades["certificate_subject"],
                "certificate_fiscal_code": pades["certificate_fiscal_code"],
                "timestamp_at": pades["timestamp_at"].isoformat() if pades["timestamp_at"] else None,
                "method": SignatureMethod.PADES,
            },
        )

    def _verify_upload(self, call: Call) -> list[int]:
        """Check the upload against the current file of the named objective's document, under the
        document's lock, and find the objectives it signs."""
        (objective_id,) = call.ids
        by = call.by
        # Lock order: the document first, then its objectives in ascending ids (as the engine does), so two
        # signers uploading for two objectives of one document wait for each other in turn.
        seen = objectives_visible_to(by).filter(pk=objective_id).first()
        if seen is None:
            raise Objective.DoesNotExist(errors.NOT_FOUND)
        found = documents.current_document(seen)
        if found is not None:
            SignedDocument.objects.select_for_update().filter(pk=found.pk).first()
        objective = lock_objective(objective_id=objective_id, by=by)
        check_fresh(objective, call.lock_versions.get(objective_id), by=by)
        check_may_apply(self, objective, by)
        body = objective.plan.body
        if body.signature_mode != SignatureMode.QUALIFIED:
            raise errors.InvalidInput(signatures.LOGIN_MODE)
        if found is None:
            raise errors.ConditionsUnmet(signatures.NO_DOCUMENT)
        document = SignedDocument.objects.select_related("original", "current").get(pk=found.pk)
        content = call.prepared["content"]
        verified = signatures.verify(content, document=document, body=body, by=by)
        stored = document_records.stored_file_create(
            name=f"firmato-{document.original.name}"[:255], content=content, by=by
        )
        call.shared["named"] = objective
        call.shared["pades"] = {
            "document": document,
            "file": stored,
            "certificate_subject": verified.subject,
            "certificate_issuer": verified.issuer,
            "certificate_serial": verified.serial,
            "certificate_fiscal_code": verified.fiscal_code,
            "timestamp_at": verified.timestamp,
        }
        waiting = [objective.pk] + [o.pk for o in self._also_waiting(document, objective, by)]
        if len(waiting) > 1:
            call.batch = uuid.uuid4()
        return waiting

    @staticmethod
    def _also_waiting(document, objective, by) -> list[Objective]:
        """The other objectives of ``document`` that wait for ``by``'s signature on it."""
        waiting = []
        for item in documents.document_objectives(document):
            other = item.objective
            if other.pk == objective.pk:
                continue
            if other.state != State.SIGNATURE or other.revision != item.revision:
                continue
            current = documents.current_document(other)
            if current is None or current.pk != document.pk:
                continue  # returned to drafting and frozen again since: it is signed on its new document
            if not objectives_visible_to(by).filter(pk=other.pk).exists():
                continue
            if signer_capacities(other, by) & missing_signatures(other):
                waiting.append(other)
        return waiting


class Adopt(Step):
    """The act of adoption (decree or deliberation): one act, with its PDF, for all the objectives of the
    call."""

    name = Transition.ADOPT
    form = forms.AdoptForm
    Input = AdoptInput
    in_batch = True

    def _act(self, call: Call, obj) -> AdoptionAct:
        act = call.shared.get("act")
        if act is None:
            data = call.input
            act = call.shared["act"] = approvals.act_create(
                body_id=obj.plan.body_id,
                act_type=data.act_type,
                number=data.act_number,
                date=data.act_date,
                by=call.by,
                file_name=data.act_file.name if data.act_file else "",
                file_content=data.act_file.content if data.act_file else None,
            )
        elif act.body_id != obj.plan.body_id:
            raise errors.InvalidInput(errors.BATCH_MIXED_BODIES)
        return act

    def record_data(self, call: Call, obj, flow) -> dict:
        act = self._act(call, obj)
        return {
            "act_id": act.pk,
            "act_type": act.act_type,
            "act_number": act.number,
            "act_date": act.date.isoformat(),
        }

    def after_all(self, call: Call) -> None:
        call.shared["act"].objectives.add(*call.moved)  # the act's objectives, in one statement


class Transmit(Step):
    """The transmission to Funzione Pubblica: by hand with the portal's receipt, or through the body's
    intermediary (the receipt comes back later). One package and one record for all the objectives."""

    name = Transition.TRANSMIT
    form = forms.TransmitForm
    Input = TransmitInput
    in_batch = True

    def form_kwargs(self, body) -> dict:
        return {"transmitter": body.transmitter}

    def record_data(self, call: Call, obj, flow) -> dict:
        data = call.input
        if not (data.receipt_reference and data.receipt_date):
            return {}  # sent through an intermediary: the receipt comes back on the transmission's record
        return {
            "receipt_reference": data.receipt_reference.strip(),
            "receipt_date": data.receipt_date.isoformat(),
        }

    def after_all(self, call: Call) -> None:
        call.shared["transmission"] = transmission.transmission_record(
            objectives=call.moved, by=call.by, receipt=call.input, batch=call.batch
        )


class Publish(Step):
    name = Transition.PUBLISH
    form = forms.PublishForm
    Input = PublishInput
    in_batch = True

    def prepare(self, call: Call) -> None:
        # the attestation pages of the documents published without digital signatures (WeasyPrint, a
        # quarter of a second each), rendered before the transaction on the records as they are now;
        # inside it a page is used only if it prints what would be printed then. Only for a call that
        # can go through: a refused one does not wait for a render first.
        candidates = [
            o
            for o in objectives_visible_to(call.by)
            .filter(pk__in=call.ids, state=State.PUBLICATION)
            .select_related("plan__body")
            if ObjectiveFlow(o, by=call.by).publish.has_perm(call.by)
        ]
        if len(candidates) == len(set(call.ids)):
            call.prepared["attestations"] = approvals.publication_prerender(candidates)

    def record_data(self, call: Call, obj, flow) -> dict:
        return {"published_on": call.input.published_on.isoformat(), "url": call.input.url}

    def after_all(self, call: Call) -> None:
        # what is published of each revision, read and written together (one file per document)
        approvals.publication_records(
            list(zip(call.moved, call.records, strict=True)),
            published_on=call.input.published_on,
            url=call.input.url,
            prepared=call.prepared.get("attestations"),
        )
        for obj in call.moved:
            if obj.revision > 1:  # a revision published: its new phases and indicators join the open reports
                report_rows.rows_complete(obj, by=call.by)


class Withdraw(Step):
    name = Transition.WITHDRAW
    form = forms.ReasonForm
    in_batch = True


class Revise(Step):
    """A new revision of a published objective (the flow counts it); the published one stays public."""

    name = Transition.REVISE
    form = forms.ReasonForm


class DiscardRevision(Step):
    """Back to the published revision: its content restored, the signatures of the discarded one voided."""

    name = Transition.DISCARD_REVISION
    form = forms.ReasonForm

    def leave_behind(self, call: Call, obj, step_record) -> None:
        approvals.signatures_void(objective=obj, step=step_record)
        restore_content(
            objective=obj,
            content=last_publication(obj).content,
            by=call.by,
            reason=f"Annullata la revisione: {self.comment(call)}",
        )
        report_rows.rows_complete(obj, by=call.by)


def _record_step(objective, **kwargs):
    return approvals.step_record(objective=objective, **kwargs)


def _notify(objective, *, event, by, comment):
    notify_transition(objective=objective, transition=event, by=by, comment=comment)


def _notify_many(items, *, by):
    notify_transitions(items=items, by=by)


OBJECTIVE = Machine(
    name="objective",
    flow_class=ObjectiveFlow,
    model=Objective,
    transitions=Transition,
    steps=[
        Submit,
        Approve,
        ReturnToDrafting,
        CloseConsultation,
        Sign,
        Adopt,
        Transmit,
        Publish,
        Withdraw,
        Revise,
        DiscardRevision,
    ],
    lock=lambda pk, by: lock_objective(objective_id=pk, by=by),
    lock_many=lambda ids, by: lock_objectives(objective_ids=ids, by=by),
    # the flow changes the state and the revision (ObjectiveFlow); the save, its lock version and editor
    step_fields=("state", "state_entered_at", "revision", "lock_version", "updated_by", "updated_at"),
    save_many=save_many_with_history,
    body_id=lambda objective: objective.plan.body_id,
    record_step=_record_step,
    record_many=approvals.step_records,
    notify=_notify,
    notify_many=_notify_many,
)
