"""Pages of the objectives' approval path. Views parse input, call one selector or flows service, render."""

from django.shortcuts import render


def forbidden(request, exception=None):
    message = str(exception) if exception and str(exception) else "Non hai i permessi per questa operazione."
    return render(request, "403.html", {"message": message}, status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)
