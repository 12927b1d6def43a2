"""The public pages every site of the State owes (accessibility, legal notices, personal data) and the error page."""

import sys

from django import db
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string


@login_not_required
def accessibilite(request):
    return render(
        request,
        "socle/accessibilite.html",
        {"contact": settings.ACCESSIBILITE_CONTACT, "etablie_le": settings.ACCESSIBILITE_DATE},
    )


@login_not_required
def mentions_legales(request):
    return render(request, "socle/mentions_legales.html")


@login_not_required
def donnees_personnelles(request):
    return render(request, "socle/donnees_personnelles.html")


def erreur_serveur(request):
    """handler500: a database outage gets a French 503 page, other errors a plain 500 page.

    Neither page touches the database or the request's user: both must render while
    PostgreSQL is down.
    """
    _type, erreur, _tb = sys.exc_info()
    # django.db.Error, not DatabaseError: a persistent connection found closed raises
    # InterfaceError ("connection already closed"), which is not a DatabaseError.
    if isinstance(erreur, db.Error):
        reponse = HttpResponse(render_to_string("503.html"), status=503)
        reponse["Retry-After"] = "120"
        return reponse
    return HttpResponseServerError(render_to_string("500.html"))
