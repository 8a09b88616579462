"""Public pages of "Amministrazione Trasparente": no login, published revisions only.

Mounted at ``/trasparenza/``. One installation serves many bodies, so each address names the body by its
IPA code: ``/trasparenza/<ipa>/piao/<year>/`` is the plan of one body for one year.
"""

from django.urls import path

from workflow.views import legal

from ..views import public, relazione_public

app_name = "trasparenza"

_objective = "<str:ipa_code>/piao/<int:year>/obiettivi/<str:code>/"
_relazione = "<str:ipa_code>/relazione/<int:year>/versioni/<int:version>/"

urlpatterns: list = [
    path("", public.index, name="index"),
    path("verifica-relazione/", relazione_public.verify_page, name="verify_relazione"),
    path("<str:ipa_code>/", public.body_page, name="body"),
    path("<str:ipa_code>/accessibilita/", legal.legal_page, {"page": "accessibilita"}, name="accessibilita"),
    path("<str:ipa_code>/privacy/", legal.legal_page, {"page": "privacy"}, name="privacy"),
    path("<str:ipa_code>/note-legali/", legal.legal_page, {"page": "note_legali"}, name="note_legali"),
    path("<str:ipa_code>/piao/<int:year>/", public.year_page, name="year"),
    path("<str:ipa_code>/piao/<int:year>/dati.json", public.open_data_json, name="open_data_json"),
    path("<str:ipa_code>/piao/<int:year>/dati.xlsx", public.open_data_xlsx, name="open_data_xlsx"),
    path("<str:ipa_code>/piao/<int:year>/<str:table>.csv", public.open_data_csv, name="open_data_csv"),
    path("<str:ipa_code>/relazione/<int:year>/", relazione_public.relazione_page, name="relazione"),
    path(_relazione + "relazione.pdf", relazione_public.relazione_pdf, name="relazione_pdf"),
    path(_relazione + "validazione.pdf", relazione_public.validation_pdf, name="relazione_validation_pdf"),
    path(_relazione + "dati.json", relazione_public.open_data_json, name="relazione_json"),
    path(_relazione + "dati.xlsx", relazione_public.open_data_xlsx, name="relazione_xlsx"),
    path(_relazione + "<str:table>.csv", relazione_public.open_data_csv, name="relazione_csv"),
    path(_objective, public.objective_page, name="objective"),
    path(_objective + "revisioni/<int:revision>/", public.objective_page, name="revision"),
    path(_objective + "revisioni/<int:revision>/firmato.pdf", public.signed_pdf, name="signed_pdf"),
    path(_objective + "revisioni/<int:revision>/atto.pdf", public.act_pdf, name="act_pdf"),
]
