"""Steps: what each transition of a state machine does, declared in one place.

A state machine is a viewflow.fsm flow class (its states, and for each transition the source and target
states, who may take it and its conditions) plus one ``Step`` per transition, gathered in a ``Machine``
that hangs off the flow class (``Flow.machine``). A step declares everything else about its transition:
its input (a dataclass, and the form that produces it), what it records for each object it moves, what
it does once all the objects of a call have moved, its audit action and its notification event. The
engine (flows.services.engine) runs any step of any machine; it has no knowledge of a step's name.

``Machine`` refuses a registry that does not match its flow: a step without a transition, a transition
without a step, a label that differs from the transition's.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django import forms

from .. import errors
from ..services.common import save_with_history


@dataclass(frozen=True)
class CommentInput:
    comment: str = ""


@dataclass
class Call:
    """One call of a step: who acts, with which input, on which objects, and what the call shares across
    the objects it moves (one batch id; the one act, information, document or transmission they all get)."""

    step: Step
    by: Any
    input: Any
    ids: list[int]
    lock_versions: dict[int, int] = field(default_factory=dict)
    batch: uuid.UUID | None = None
    # True for a call on many objects chosen by the user (the batch page): a refusal names the objective
    # that blocked it, and the call leaves one ``batch_transition`` audit entry.
    is_batch: bool = False
    # the objects moved, in the order they moved, and when (one time for all of them)
    moved: list = field(default_factory=list)
    records: list = field(default_factory=list)  # their step records, in the same order
    at: Any = None
    # what a step shares across the objects of the call (e.g. ``act``), and its slow work done before the
    # transaction (e.g. the PDFs to sign)
    shared: dict = field(default_factory=dict)
    prepared: dict = field(default_factory=dict)


class Step:
    """One transition's behaviour. Subclasses set ``name`` (a value of the machine's transition choices)
    and override what their transition does beyond moving the object."""

    name: ClassVar[str]
    form: ClassVar[type[forms.Form]]
    Input: ClassVar[type] = CommentInput
    # the event whose notification rule applies (notifications.rules.RULES; a rule may tell nobody), when
    # it is not the step's name
    notification: ClassVar[str | None] = None
    # offered on the batch page (the Segreteria applies it to many objectives at once)
    in_batch: ClassVar[bool] = False
    # on the batch page, run in the task queue with its progress shown (flows.services.operations): for a
    # step whose work takes seconds for a whole plan. Its Input must hold only JSON values.
    in_background: ClassVar[bool] = False
    machine: Machine

    # -- labels ---------------------------------------------------------------------------------------
    @property
    def label(self) -> str:
        return self.machine.label(self.name)

    @property
    def audit_action(self) -> str:
        return f"{self.machine.audit_prefix}.{self.name}"

    def event(self, obj) -> str:
        """The notification event once ``obj`` has moved."""
        return self.notification or self.name

    # -- input ----------------------------------------------------------------------------------------
    def form_kwargs(self, body) -> dict:
        """Extra arguments of the form as shown for ``body`` (the fields its settings ask for)."""
        return {}

    def bound_form(self, data=None, files=None, *, body=None, **kwargs) -> forms.Form:
        """The step's form, shown for ``body`` when one is given (without: every field its settings could
        ask for, each optional where a setting decides; the flow's conditions then check the body)."""
        if body is not None:
            kwargs.update(self.form_kwargs(body))
        return self.form(data, files, **kwargs)

    def input_from(self, cleaned: dict):
        """The typed input of a valid form's ``cleaned_data``."""
        names = {f.name for f in dataclasses.fields(self.Input)}
        return self.Input(**{k: v for k, v in cleaned.items() if k in names and v is not None})

    def validate(self, data: dict | None, files: dict | None = None):
        """Validate input that does not come from a page (commands, imports, the API, tests) with the
        same form; ``files`` carries uploads as Django's ``UploadedFile`` objects."""
        form = self.bound_form(data or {}, files or {})
        if not form.is_valid():
            problems = [
                f"{form.fields[f].label if f in form.fields else ''}: {m}".lstrip(": ")
                for f, msgs in form.errors.items()
                for m in msgs
            ]
            raise errors.InvalidInput("Dati non validi. " + " ".join(problems), problems=problems)
        return self.input_from(form.cleaned_data)

    def comment(self, call: Call) -> str:
        return (getattr(call.input, "comment", "") or "").strip()

    # -- the call ---------------------------------------------------------------------------------------
    def prepare(self, call: Call) -> None:
        """Slow work done before the transaction, on the objects as they are now (no lock waits on it)."""

    def ready(self, call: Call) -> bool:
        """Whether the call is expected to go through, judged without locks before it is queued
        (``in_background``): one that is not runs at once in the request, so its refusal shows at once."""
        return True

    def begin(self, call: Call) -> list[int]:
        """Inside the transaction, before any object is locked: the ids the call moves (by default the
        ones asked for)."""
        return call.ids

    def flow_data(self, call: Call) -> dict:
        """What the flow's conditions read."""
        return {f.name: getattr(call.input, f.name) for f in dataclasses.fields(call.input)}

    # -- each object ----------------------------------------------------------------------------------
    def forbidden_message(self, obj, by) -> str:
        return errors.FORBIDDEN.format(action=self.label)

    def checked(self, call: Call, obj, flow) -> None:
        """After the transition passed its conditions, before anything is written."""

    def record_data(self, call: Call, obj, flow) -> dict:
        """What the step record keeps besides who, when, from and to."""
        return {}

    def highlighted(self, call: Call, obj, flow) -> bool:
        """Whether the step record is pointed out to the auditors."""
        return False

    def leave_behind(self, call: Call, obj, step_record) -> None:
        """What the step records for one object, once it moved."""

    # -- after all ------------------------------------------------------------------------------------
    def after_all(self, call: Call) -> None:
        """What the call leaves once all its objects moved (still inside the transaction)."""


class Machine:
    """The steps of one state machine, checked against its flow class (and attached to it)."""

    def __init__(
        self,
        *,
        name: str,
        flow_class,
        model,
        transitions,
        steps: list[type[Step]],
        lock,
        body_id,
        record_step,
        notify,
        lock_many=None,
        step_fields=None,
        save_many=None,
        record_many=None,
        notify_many=None,
        audit_prefix: str = "transition",
        stale_messages: tuple[str, str] = (errors.STALE, errors.STALE_SELF),
        not_found: str = errors.NOT_FOUND,
        missing_code: str = "L'obiettivo n. {pk}",
        batch_messages: tuple[str, str] = (errors.BATCH_EMPTY, errors.BATCH_BLOCKED),
    ):
        self.name = name
        self.flow_class = flow_class
        self.model = model
        self.transitions = transitions  # the TextChoices of the transitions' names and labels
        # (pk, by) -> the object, fetched through its visibility selector and locked; raises
        # model.DoesNotExist for one the person may not see, as for one that does not exist
        self.lock = lock
        # (ids, by) -> {pk: the object locked} for those the person may see, in one statement; without it
        # the objects are locked one by one (``lock_all``)
        self.lock_many = lock_many
        # the only fields a transition changes, saved alone (the history row still records the whole
        # object); without them the whole row is saved
        self.step_fields = step_fields
        # (objs, *, by, reasons, update_fields): the objects a call moved saved together with their
        # history rows (each with its reason); without it they are saved one by one
        self.save_many = save_many
        # ([(obj, record kwargs)]) -> their step records, in one statement; without it one by one
        self.record_many = record_many
        # ([(obj, event, comment)], *, by): the notifications of all the objects a call moved, read and
        # written together; without it ``notify`` for each
        self.notify_many = notify_many
        self.body_id = body_id  # obj -> the id of the body it belongs to (the audit entry's body)
        # (obj, *, transition, source, target, by, at, comment, data, batch, highlighted) -> the step record
        self.record_step = record_step
        # (obj, *, event, by, comment): the notifications of the step, inside its transaction
        self.notify = notify
        self.audit_prefix = audit_prefix
        self.stale_messages = stale_messages  # (changed by someone else, changed by the same person)
        self.not_found = not_found  # the refusal of an object the person may not see
        self.missing_code = missing_code  # how a batch's refusal names it
        self.batch_messages = batch_messages  # (nothing selected, one object blocked the whole batch)
        self.steps: dict[str, Step] = {}
        for step_class in steps:
            step = step_class()
            step.name = self.transitions(step_class.name).value  # the plain string, as stored and logged
            step.machine = self
            self.steps[step.name] = step
        self._check()
        flow_class.machine = self

    def _check(self) -> None:
        declared = set(self.transitions.values)
        if set(self.steps) != declared:
            raise TypeError(f"{self.name}: steps {sorted(self.steps)} != transitions {sorted(declared)}")
        for name in declared:
            method = getattr(self.flow_class, name, None)
            found = list(method.get_transitions()) if method is not None else []
            if not found:
                raise TypeError(f"{self.name}: {name} is not a transition of {self.flow_class.__name__}")
            if any(t.label != self.label(name) for t in found):
                raise TypeError(f"{self.name}: the label of {name} differs from its transition's")

    def label(self, name: str) -> str:
        return self.transitions(name).label

    def lock_all(self, ids: list[int], by) -> dict:
        """The objects of ``ids`` locked for a call, in ascending id order: those the person may see. One by
        one without ``lock_many``, stopping at the first refused (the call stops there too)."""
        if self.lock_many is not None:
            return self.lock_many(ids, by)
        locked = {}
        for pk in ids:
            try:
                locked[pk] = self.lock(pk, by)
            except self.model.DoesNotExist:
                break
        return locked

    def save_moved(self, objs: list, *, by, reasons: list[str]) -> None:
        """Save the objects a call moved, each with a history row naming ``by`` and its reason: only
        ``step_fields`` when the machine declares them."""
        fields = {"update_fields": self.step_fields} if self.step_fields else {}
        if self.save_many is not None and len(objs) > 1:
            self.save_many(objs, by=by, reasons=reasons, **fields)
            return
        for obj, reason in zip(objs, reasons, strict=True):
            save_with_history(obj, by=by, reason=reason, **fields)

    def record_steps(self, items: list[tuple]) -> list:
        """The step records of the objects a call moved: ``items`` are (object, record kwargs)."""
        if self.record_many is not None and len(items) > 1:
            return self.record_many(items)
        return [self.record_step(obj, **kwargs) for obj, kwargs in items]

    def notify_moved(self, items: list[tuple], *, by) -> None:
        """The notifications of the objects a call moved: ``items`` are (object, event, comment)."""
        if self.notify_many is not None and len(items) > 1:
            self.notify_many(items, by=by)
            return
        for obj, event, comment in items:
            self.notify(obj, event=event, by=by, comment=comment)

    def step(self, name: str) -> Step:
        try:
            return self.steps[name]
        except KeyError:
            raise errors.InvalidInput(f"Azione sconosciuta: «{name}».") from None

    def __iter__(self):
        return iter(self.steps.values())

    def sources(self, name: str) -> set:
        return {t.source for t in getattr(self.flow_class, name).get_transitions()}
