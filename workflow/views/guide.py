"""The help page ("Guida"): the path of an objective and, for each role, what that role does.

Open to everyone, signed in or not: it tells nothing that is not in the README, and a person who cannot
sign in yet (or a citizen) may want to read it. A signed-in person finds the sections of the roles they
hold in the current body first, then the others."""

from django.shortcuts import render

from workflow import access
from workflow.models import Role, State

# Each step of the path: the state, who acts in it, what moves the objective on.
PATH = [
    (
        State.DRAFTING,
        "Dirigente responsabile (o un funzionario a cui ha delegato la modifica)",
        "Compila contenuti, fasi e indicatori; il dirigente la invia alla Segreteria.",
    ),
    (
        State.SUBMITTED,
        "Segreteria Generale",
        "Rivede la bozza: la approva, avviando la consultazione sindacale, o la restituisce al dirigente "
        "con una motivazione.",
    ),
    (
        State.UNION_CONSULTATION,
        "Rappresentanze sindacali e Segreteria Generale",
        "Le rappresentanze ricevono l'informazione, possono chiedere il confronto e lasciare osservazioni; "
        "la Segreteria registra gli incontri e chiude la consultazione.",
    ),
    (
        State.SIGNATURE,
        "Dirigente responsabile e Segretario Generale",
        "Ciascun firmatario richiesto firma lo stesso documento; con l'ultima firma l'obiettivo passa in "
        "deliberazione.",
    ),
    (
        State.DELIBERATION,
        "Segreteria Generale",
        "Registra l'atto di adozione (tipo, numero, data e PDF dell'atto).",
    ),
    (
        State.TRANSMISSION,
        "Segreteria Generale",
        "Scarica il pacchetto per il portale PIAO della Funzione Pubblica e ne registra la ricevuta "
        "(o lo invia tramite l'intermediario, se l'ente lo usa).",
    ),
    (
        State.PUBLICATION,
        "Segreteria Generale",
        "Pubblica l'obiettivo in Amministrazione Trasparente, con data e indirizzo.",
    ),
    (
        State.PUBLISHED,
        "Cittadini; Segreteria o dirigente responsabile per una revisione",
        "L'obiettivo è pubblico. Una revisione lo riporta in redazione come nuova versione: quella "
        "pubblicata resta visibile finché la nuova non è pubblicata.",
    ),
    (
        State.WITHDRAWN,
        "Nessuno",
        "Stato finale: la Segreteria può ritirare, con una motivazione, un obiettivo mai pubblicato.",
    ),
]

# The roles in the order the page lists them, each with the template of its section.
SECTIONS = [
    (Role.DIRIGENTE, "workflow/guida/dirigente.html"),
    (Role.FUNZIONARIO, "workflow/guida/funzionario.html"),
    (Role.SEGRETERIA, "workflow/guida/segreteria.html"),
    (Role.SEGRETARIO, "workflow/guida/segretario.html"),
    (Role.REVISORE, "workflow/guida/revisore.html"),
    (Role.SINDACATO, "workflow/guida/sindacato.html"),
    (Role.AMMINISTRATORE, "workflow/guida/amministratore.html"),
]


def guide(request):
    mine = access.roles_in(request.user, request.ente)
    sections = [
        {"role": role.value, "label": role.label, "template": template, "mine": role in mine}
        for role, template in SECTIONS
    ]
    sections.sort(key=lambda s: not s["mine"])  # stable: the user's roles first, each group in order
    return render(
        request,
        "workflow/guida.html",
        {
            "nav": "guide",
            "path": [{"label": state.label, "who": who, "what": what} for state, who, what in PATH],
            "sections": sections,
            "has_roles": bool(mine),
        },
    )
