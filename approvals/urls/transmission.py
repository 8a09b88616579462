"""URLs of the transmission pages."""

urlpatterns: list = []
