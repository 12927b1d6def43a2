"""Links sent to people without an account (a student's answer, an event invitation, a reminder):
one exception for a link that cannot be used, and one page that says why.

A link that matches nothing is not found (404); one used, expired or closed is gone (410).
"""

from django.shortcuts import render


class LienInvalide(Exception):
    """A link that cannot be used. `connu`: the link existed (used, expired, closed) rather than unknown."""

    def __init__(self, message: str, *, connu: bool):
        super().__init__(message)
        self.message = message
        self.connu = connu


def lien_invalide(request, *, titre: str, message: str, connu: bool = True, conseil: str = ""):
    """The page of a link that cannot be used: 410 when it existed, 404 when it matches nothing."""
    return render(
        request,
        "socle/lien_invalide.html",
        {"titre": titre, "message": message, "conseil": conseil},
        status=410 if connu else 404,
    )
