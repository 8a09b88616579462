"""URLs of the transmission pages."""

from django.urls import path

from approvals.views import transmission

urlpatterns: list = [
    path("trasmissione/", transmission.transmission_page, name="transmission_page"),
    path("trasmissione/pacchetto/", transmission.package_view, name="transmission_package"),
    path(
        "trasmissione/obiettivi/<int:pk>/pacchetto/",
        transmission.objective_package_view,
        name="objective_package",
    ),
    path(
        "trasmissione/<int:pk>/pacchetto/",
        transmission.stored_package_view,
        name="stored_package",
    ),
    path("trasmissione/<int:pk>/ricevuta/", transmission.receipt_view, name="transmission_receipt"),
    path("trasmissione/<int:pk>/ritenta/", transmission.retry_view, name="transmission_retry"),
    path(
        "trasmissione/<int:pk>/ricevuta-manuale/",
        transmission.receipt_record_view,
        name="transmission_receipt_record",
    ),
]
