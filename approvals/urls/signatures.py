"""URLs of the signatures pages."""

urlpatterns: list = []
