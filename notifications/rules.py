"""Who is told what. One row per event: the people who receive it and the text they read.

| event                       | who is told                                    | what they read              |
|-----------------------------|------------------------------------------------|-----------------------------|
| submit                      | the Segreteria Generale of the body            | sent to them: to review     |
| approve                     | responsible dirigente, union representatives   | consultation opened         |
| return_to_drafting          | responsible dirigente, delegates               | back in drafting + reason   |
| close_consultation          | each required signer: responsible, Segretario  | your signature is awaited   |
| sign, not the last          | nobody: the signers were told when it opened   | –                           |
| sign, the last              | the Segreteria Generale of the body            | signed: register the act    |
| adopt, transmit, publish    | responsible dirigente                          | act / receipt / published   |
| transmission_delivered      | responsible dirigente, Segreteria Generale     | receipt back: may publish   |
| transmission_failed         | the Segreteria Generale of the body            | not delivered + last error  |
| withdraw                    | responsible dirigente, delegates               | withdrawn + reason          |
| revise, discard_revision    | responsible dirigente, Segreteria Generale     | started / discarded         |
| delegation_granted/_revoked | the delegate                                   | you may (no longer) edit it |
| responsible_assigned        | the new responsible dirigente                  | you are responsible now     |
| update (content edit)       | nobody: the objective's open pages refresh     | –                           |
| restore (an earlier version)| responsible dirigente, delegates, Segreteria   | version restored + reason   |
| confronto_request           | the Segreteria Generale of the body            | a union asks for confronto  |
| observation_posted          | responsible dirigente, Segreteria Generale     | a union observation + text  |
| observation_answered        | the union representative answered              | the answer + text           |
| report.submit               | the Segreteria Generale of the body            | a progress report to check  |
| report.send_back            | responsible dirigente, delegates               | sent back + reason          |
| report.check                | the body's NIV/OIV, responsible dirigente      | checked: to validate        |
| report.validate             | responsible dirigente, Segreteria Generale     | validated                   |

The steps of the Relazione sulla performance concern the body, not one objective: they are told to roles of
the body by ``notifications.services.notify_body`` (the texts are in flows.steps.relazione.NOTIFY):
adoption → the NIV/OIV; validation, or not → the Segreteria Generale; publication → both.

The acting user is never told of their own action, and inactive accounts are never told anything. Nobody
is told of an objective outside its body: a recipient must hold a role in the objective's body that lets
them see it (``within_body``), so a dirigente removed from the body is no longer told, nor is a person of
another body who was made responsible by mistake. Every event, with recipients or not, also reaches the
open pages of the objective (``objective.<id>`` group).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, Case, Q, Value, When
from guardian.shortcuts import get_users_with_perms

from workflow.access import READ_ALL_ROLES, SEGRETERIA_ROLES
from workflow.models import UNION_VISIBLE_STATES, Membership, Objective, Role

# Audiences: who "the responsible dirigente" or "the unions" are for one objective.
RESPONSIBLE = "responsible"
DELEGATES = "delegates"
SEGRETERIA = "segreteria"
UNIONS = "unions"
SIGNERS = "signers"
SUBJECT = "subject"  # the person the event is about: the delegate, the newly assigned responsible
REVISORI = "revisori"  # the body's NIV/OIV

SIGN_COMPLETED = "sign_completed"  # the event of the signature that moves the objective to deliberation
CONFRONTO_REQUEST = "confronto_request"  # a union representative asks for a confronto on an information


@dataclass(frozen=True)
class Rule:
    recipients: tuple[str, ...]
    message: str = ""
    # "reason": the comment is the motivation and always shown; "comment": shown when given.
    comment: str = "comment"


RULES: dict[str, Rule] = {
    "submit": Rule(
        (SEGRETERIA,),
        "{actor} ha inviato alla Segreteria l'obiettivo {objective}: attende la revisione.",
    ),
    "approve": Rule(
        (RESPONSIBLE, UNIONS),
        "L'obiettivo {objective} è stato approvato dalla Segreteria: è aperta la consultazione sindacale.",
    ),
    "return_to_drafting": Rule(
        (RESPONSIBLE, DELEGATES),
        "{actor} ha restituito in redazione l'obiettivo {objective}.",
        comment="reason",
    ),
    "close_consultation": Rule(
        (SIGNERS,),
        "La consultazione sindacale sull'obiettivo {objective} è chiusa: serve la tua firma.",
    ),
    "sign": Rule(()),
    SIGN_COMPLETED: Rule(
        (SEGRETERIA,),
        "Le firme dell'obiettivo {objective} sono complete: va registrato l'atto di adozione.",
    ),
    "adopt": Rule((RESPONSIBLE,), "È stato registrato l'atto di adozione dell'obiettivo {objective}."),
    "transmit": Rule((RESPONSIBLE,), "L'obiettivo {objective} è stato trasmesso alla Funzione Pubblica."),
    "publish": Rule(
        (RESPONSIBLE,), "L'obiettivo {objective} è stato pubblicato in Amministrazione Trasparente."
    ),
    # The delivery of an HTTP transmission (flows.services.transmission), told by the system itself.
    "transmission_delivered": Rule(
        (RESPONSIBLE, SEGRETERIA),
        "La trasmissione a Funzione Pubblica dell'obiettivo {objective} è stata consegnata: "
        "si può pubblicare.",
        comment="none",
    ),
    "transmission_failed": Rule(
        (SEGRETERIA,),
        "La trasmissione a Funzione Pubblica dell'obiettivo {objective} non è stata consegnata: "
        "i tentativi sono esauriti. Ritentala dalla pagina dell'obiettivo.",
        comment="reason",
    ),
    "withdraw": Rule(
        (RESPONSIBLE, DELEGATES), "{actor} ha ritirato l'obiettivo {objective}.", comment="reason"
    ),
    "revise": Rule(
        (RESPONSIBLE, SEGRETERIA),
        "{actor} ha avviato la revisione {revision} dell'obiettivo {objective}.",
        comment="reason",
    ),
    "discard_revision": Rule(
        (RESPONSIBLE, SEGRETERIA),
        "{actor} ha annullato la revisione in corso dell'obiettivo {objective}: "
        "torna in vigore la versione pubblicata.",
        comment="reason",
    ),
    "delegation_granted": Rule(
        (SUBJECT,), "{actor} ti ha delegato la modifica della bozza {objective}.", comment="none"
    ),
    "delegation_revoked": Rule(
        (SUBJECT,), "{actor} ha revocato la tua delega alla modifica della bozza {objective}.", comment="none"
    ),
    "responsible_assigned": Rule(
        (SUBJECT,),
        "{actor} ti ha nominato dirigente responsabile dell'obiettivo {objective}.",
        comment="none",
    ),
    "update": Rule(()),
    # A draft's earlier version made current again (flows.services.versions), by the Segreteria or the
    # responsible: the content changed under whoever works on the draft.
    "restore": Rule(
        (RESPONSIBLE, DELEGATES, SEGRETERIA),
        "{actor} ha ripristinato una versione precedente della bozza {objective}.",
        comment="reason",
    ),
    # The union consultation (flows.services.consultation).
    CONFRONTO_REQUEST: Rule(
        (SEGRETERIA,),
        "{actor} ha chiesto il confronto sull'informazione sindacale che comprende l'obiettivo {objective}.",
        comment="reason",
    ),
    "observation_posted": Rule(
        (RESPONSIBLE, SEGRETERIA),
        "{actor} ha lasciato un'osservazione sindacale sull'obiettivo {objective}.",
        comment="text",
    ),
    "observation_answered": Rule(
        (SUBJECT,), "{actor} ha risposto alla tua osservazione sull'obiettivo {objective}.", comment="text"
    ),
    # The monitoring (flows.steps.report): ``{period}`` is the monitoring period's name.
    "report.submit": Rule(
        (SEGRETERIA,),
        "{actor} ha inviato la rendicontazione «{period}» dell'obiettivo {objective}: attende la verifica.",
    ),
    "report.send_back": Rule(
        (RESPONSIBLE, DELEGATES),
        "{actor} ha restituito la rendicontazione «{period}» dell'obiettivo {objective}.",
        comment="reason",
    ),
    "report.check": Rule(
        (REVISORI, RESPONSIBLE),
        "La Segreteria ha verificato la rendicontazione «{period}» dell'obiettivo {objective}: "
        "attende la validazione del NIV/OIV.",
    ),
    "report.update": Rule(()),  # new values saved: the report's open pages refresh
    "report.validate": Rule(
        (RESPONSIBLE, SEGRETERIA),
        "{actor} ha validato la rendicontazione «{period}» dell'obiettivo {objective}.",
    ),
}

TITLE_LENGTH = 80


def rule_for(event: str) -> Rule:
    try:
        return RULES[event]
    except KeyError:
        raise ValueError(f"No notification rule for {event!r}") from None


# The audiences named by the roles their people hold in the objective's body.
_ROLE_AUDIENCES = {SEGRETERIA: SEGRETERIA_ROLES, UNIONS: {Role.SINDACATO}, REVISORI: {Role.REVISORE}}


def _may_see(roles: set, objective: Objective) -> bool:
    """Whether roles held in the objective's body let their holder be told of it (``addressees``)."""
    return bool(
        roles & READ_ALL_ROLES
        or Role.FUNZIONARIO in roles
        or (Role.SINDACATO in roles and objective.state in UNION_VISIBLE_STATES)
    )


def addressees(event: str, objective: Objective, *, by, subject=None) -> tuple[list[int], set[int]]:
    """Whom ``event`` tells about ``objective``: their ids, each once, audience by audience in the rule's
    order and within one the responsible first, then by id; and which of them are union representatives
    (they read no internal comment). Never the actor, never an inactive account, and nobody who may not
    see the objective in its body: a recipient must hold there a role that reads every objective, a
    funzionario's role (told of the drafts delegated to them, also when the event has just taken the
    delegation or the draft away), or the union representatives' role from the consultation onwards. So a
    dirigente removed from the body is no longer told, nor is a person of another body made responsible
    by mistake.

    One query, whatever the audiences: the roles in the objective's body of everyone they could name."""
    names = rule_for(event).recipients
    if not names:
        return [], set()
    body_id = objective.plan.body_id
    named = {objective.responsible_id} if {RESPONSIBLE, SIGNERS} & set(names) else set()
    if SUBJECT in names and subject is not None:
        named.add(subject.pk)
    roles = _audience_roles(names)
    candidates = Q(user_id__in=[pk for pk in named if pk is not None])
    if roles:
        in_roles = Membership.objects.filter(body_id=body_id, role__in=roles)
        candidates |= Q(user_id__in=in_roles.values("user_id"))
    delegation = Value(False, output_field=BooleanField())
    if DELEGATES in names:  # what only guardian knows: who holds the draft's delegation
        holders = get_users_with_perms(
            objective, only_with_perms_in=["change_objective"], with_superusers=False
        ).values("pk")
        candidates |= Q(user_id__in=holders)
        delegation = Case(When(user_id__in=holders, then=True), default=False, output_field=BooleanField())
    rows = (
        Membership.objects.filter(candidates, body_id=body_id, user__is_active=True)
        .annotate(delegated=delegation)
        .values_list("user_id", "role", "delegated")
    )
    held: dict[int, set[str]] = {}
    delegated: set[int] = set()
    for user_id, role, is_delegated in rows:
        held.setdefault(user_id, set()).add(role)
        if is_delegated:
            delegated.add(user_id)
    return _told(names, objective, held, delegated=delegated, by=by, subject=subject)


def addressees_of_many(
    event: str, objectives: list[Objective], *, by
) -> dict[int, tuple[list[int], set[int]]]:
    """``addressees`` of one event for each of many objectives (a call that moved them together), in one
    query whatever their number and bodies: {objective id: (ids, union representatives)}. An event whose
    rule names the holders of a draft's delegation (only guardian knows them, objective by objective) is
    read objective by objective."""
    names = rule_for(event).recipients
    if not names:
        return {o.pk: ([], set()) for o in objectives}
    if DELEGATES in names:
        return {o.pk: addressees(event, o, by=by) for o in objectives}
    bodies = {o.plan.body_id for o in objectives}
    named = (
        {o.responsible_id for o in objectives if o.responsible_id is not None}
        if {RESPONSIBLE, SIGNERS} & set(names)
        else set()
    )
    roles = _audience_roles(names)
    candidates = Q(user_id__in=sorted(named))
    if roles:
        in_roles = Membership.objects.filter(body_id__in=sorted(bodies), role__in=roles)
        candidates |= Q(user_id__in=in_roles.values("user_id"))
    held_in: dict[int, dict[int, set[str]]] = {body_id: {} for body_id in bodies}
    for body_id, user_id, role in Membership.objects.filter(
        candidates, body_id__in=sorted(bodies), user__is_active=True
    ).values_list("body_id", "user_id", "role"):
        held_in[body_id].setdefault(user_id, set()).add(role)
    return {o.pk: _told(names, o, held_in[o.plan.body_id], delegated=set(), by=by) for o in objectives}


def _audience_roles(names) -> set[str]:
    """The roles held in the body that put their holder in one of the audiences ``names``."""
    roles = set().union(*(_ROLE_AUDIENCES.get(name, ()) for name in names))
    if SIGNERS in names:
        roles.add(Role.SEGRETARIO)
    return roles


def _told(names, objective, held: dict[int, set[str]], *, delegated: set[int], by, subject=None):
    """``addressees`` decided from the roles ``held`` in the objective's body by the candidates."""

    def in_audience(name: str, user_id: int) -> bool:
        if name == RESPONSIBLE:
            return user_id == objective.responsible_id
        if name == SIGNERS:
            return user_id == objective.responsible_id or Role.SEGRETARIO in held[user_id]
        if name == SUBJECT:
            return subject is not None and user_id == subject.pk
        if name == DELEGATES:
            return user_id in delegated and Role.FUNZIONARIO in held[user_id]
        return bool(held[user_id] & _ROLE_AUDIENCES[name])

    actor = getattr(by, "pk", None)
    # the responsible first (among the signers too, before the Segretario), then by id
    order = sorted(held, key=lambda pk: (pk != objective.responsible_id, pk))
    told: dict[int, None] = {}
    for name in names:
        for user_id in order:
            if user_id != actor and in_audience(name, user_id) and _may_see(held[user_id], objective):
                told.setdefault(user_id)
    unions = {pk for pk in told if Role.SINDACATO in held[pk]} if UNIONS in names else set()
    return list(told), unions


def within_body(people: list, objective: Objective) -> list:
    """Those of ``people`` who may see ``objective`` in its body (as ``addressees`` decides), in the same
    order."""
    roles: dict[int, set[str]] = {}
    for user_id, role in Membership.objects.filter(
        body_id=objective.plan.body_id, user__in=[u.pk for u in people]
    ).values_list("user_id", "role"):
        roles.setdefault(user_id, set()).add(role)
    return [user for user in people if _may_see(roles.get(user.pk, set()), objective)]


def _name(user) -> str:
    if user is None:
        return "Il sistema"
    return user.get_full_name() or user.get_username()


def message(event: str, objective: Objective, *, by, comment: str = "", context=None) -> str:
    rule = rule_for(event)
    title = (
        objective.title if len(objective.title) <= TITLE_LENGTH else objective.title[: TITLE_LENGTH - 1] + "…"
    )
    text = rule.message.format(
        actor=_name(by),
        objective=f"{objective.code} «{title}»",
        revision=objective.revision,
        **(context or {}),
    )
    comment = (comment or "").strip()
    if comment and rule.comment == "reason":
        text += f" Motivazione: {comment}"
    elif comment and rule.comment == "text":
        text += f" Testo: {comment}"
    elif comment and rule.comment == "comment":
        text += f" Commento: {comment}"
    return text


def leads_to_information(notification) -> bool:
    """Whether the notification's link opens the union information on its objective rather than the
    objective's page: a request for confronto, and the opening of the consultation for the unions."""
    if notification.transition == CONFRONTO_REQUEST:
        return True
    if notification.transition != "approve" or notification.objective_id is None:
        return False
    return Membership.objects.filter(
        user_id=notification.recipient_id,
        role=Role.SINDACATO,
        body_id__in=Objective.objects.filter(pk=notification.objective_id).values("plan__body_id"),
    ).exists()


# What each kind of notification is called in the inbox's filter. A reminder's event is
# ``reminder.<kind>.<subject id>``: its kind is ``reminder``.
KIND_LABELS: dict[str, str] = {
    "submit": "Invio alla Segreteria",
    "approve": "Approvazione e consultazione sindacale",
    "return_to_drafting": "Restituzione in redazione",
    "close_consultation": "Firma richiesta",
    SIGN_COMPLETED: "Firme complete",
    "adopt": "Atto di adozione",
    "transmit": "Trasmissione a Funzione Pubblica",
    "transmission_delivered": "Trasmissione consegnata",
    "transmission_failed": "Trasmissione non consegnata",
    "publish": "Pubblicazione",
    "withdraw": "Ritiro",
    "revise": "Revisione avviata",
    "discard_revision": "Revisione annullata",
    "delegation_granted": "Delega concessa",
    "delegation_revoked": "Delega revocata",
    "responsible_assigned": "Nomina a responsabile",
    "restore": "Ripristino di una versione",
    CONFRONTO_REQUEST: "Richiesta di confronto",
    "observation_posted": "Osservazione sindacale",
    "observation_answered": "Risposta a un'osservazione",
    "reminder": "Promemoria",
    "report.submit": "Rendicontazione inviata",
    "report.send_back": "Rendicontazione restituita",
    "report.check": "Rendicontazione verificata",
    "report.validate": "Rendicontazione validata",
    "operation_failed": "Operazione non riuscita",  # flows.services.operations
}


def kind_of(event: str) -> str:
    """An event's kind: the event itself, but ``reminder`` for every ``reminder.<kind>.<id>``."""
    return "reminder" if event.startswith("reminder.") else event


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())
