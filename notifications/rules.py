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

from django.contrib.auth import get_user_model

from workflow.access import READ_ALL_ROLES, SEGRETERIA_ROLES, segretari_of
from workflow.models import UNION_VISIBLE_STATES, Membership, Objective, Role
from workflow.selectors import delegates_of

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


def _active(users):
    return users.filter(is_active=True)


def _in_roles(objective: Objective, roles) -> list:
    users = get_user_model().objects.filter(
        memberships__body_id=objective.plan.body_id, memberships__role__in=roles
    )
    return list(_active(users).distinct().order_by("pk"))


def audience(name: str, objective: Objective, *, subject=None) -> list:
    """The people an audience names for ``objective`` (duplicates and the actor are removed later)."""
    if name == RESPONSIBLE:
        return [objective.responsible] if objective.responsible_id else []
    if name == DELEGATES:
        return list(delegates_of(objective))
    if name == SEGRETERIA:
        return _in_roles(objective, SEGRETERIA_ROLES)
    if name == UNIONS:
        return _in_roles(objective, [Role.SINDACATO])
    if name == SIGNERS:
        responsible = [objective.responsible] if objective.responsible_id else []
        return responsible + list(segretari_of(objective.plan.body_id).order_by("pk"))
    if name == SUBJECT:
        return [subject] if subject is not None else []
    if name == REVISORI:
        return _in_roles(objective, [Role.REVISORE])
    raise ValueError(f"Unknown audience {name!r}")


def recipients(event: str, objective: Objective, *, by, subject=None) -> list:
    """Everyone ``event`` tells, each once, in a stable order; never the actor, never an inactive account."""
    seen: dict[int, object] = {}
    for name in rule_for(event).recipients:
        for user in audience(name, objective, subject=subject):
            if user.is_active and user.pk != getattr(by, "pk", None):
                seen.setdefault(user.pk, user)
    return list(seen.values())


def within_body(people: list, objective: Objective) -> list:
    """Those of ``people`` who may see ``objective`` in its body, in the same order: the roles that read
    every objective of the body; the union representatives from the consultation onwards; a funzionario
    of the body (told of the drafts delegated to them, also when the event has just taken the delegation
    or the draft away). Nobody of another body, nobody whose role in this one was revoked."""
    roles: dict[int, set[str]] = {}
    for user_id, role in Membership.objects.filter(
        body_id=objective.plan.body_id, user__in=[u.pk for u in people]
    ).values_list("user_id", "role"):
        roles.setdefault(user_id, set()).add(role)

    def may_see(user) -> bool:
        held = roles.get(user.pk, set())
        return bool(
            held & READ_ALL_ROLES
            or Role.FUNZIONARIO in held
            or (Role.SINDACATO in held and objective.state in UNION_VISIBLE_STATES)
        )

    return [user for user in people if may_see(user)]


def union_recipients(event: str, objective: Objective) -> set[int]:
    """The ids of the union representatives ``event`` tells: they are not shown internal comments."""
    if UNIONS not in rule_for(event).recipients:
        return set()
    return {u.pk for u in audience(UNIONS, objective)}


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
}


def kind_of(event: str) -> str:
    """An event's kind: the event itself, but ``reminder`` for every ``reminder.<kind>.<id>``."""
    return "reminder" if event.startswith("reminder.") else event


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())
