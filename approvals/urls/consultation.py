"""URLs of the consultation pages."""

urlpatterns: list = []
