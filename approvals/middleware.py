"""The public pages (Amministrazione Trasparente) in development."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse


class PublicNotFoundMiddleware:
    """Answer a page not found under the public pages with the project's 404 page even with DEBUG on,
    where Django would show its technical page, with the site's URL patterns, to whoever opened an
    unpublished plan. Without DEBUG the project's handler404 already does so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and settings.DEBUG
            and request.path.startswith(reverse("trasparenza:index"))
        ):
            return render(request, "404.html", status=404)
        return response
