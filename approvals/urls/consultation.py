"""URLs of the consultation pages."""

from django.urls import path

from ..views import consultation as views

urlpatterns: list = [
    path("consultazione/", views.consultation_home, name="consultation_home"),
    path("consultazione/informazioni/<int:pk>/", views.information_detail, name="information_detail"),
    path("consultazione/informazioni/<int:pk>/lettera/", views.information_letter, name="information_letter"),
    path(
        "consultazione/informazioni/<int:pk>/lettera.pdf",
        views.information_letter_pdf,
        name="information_letter_pdf",
    ),
    path("consultazione/informazioni/<int:pk>/confronto/", views.request_confronto, name="request_confronto"),
    path("consultazione/informazioni/<int:pk>/incontri/", views.record_meeting, name="record_meeting"),
    path("consultazione/incontri/<int:pk>/verbale/", views.meeting_attachment, name="meeting_attachment"),
    path("consultazione/obiettivi/<int:pk>/", views.objective_information, name="objective_information"),
    path("consultazione/obiettivi/<int:pk>/osservazioni/", views.post_observation, name="post_observation"),
]
