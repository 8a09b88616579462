"""Public pages of "Amministrazione Trasparente": no login, published revisions only."""

app_name = "trasparenza"

urlpatterns: list = []
