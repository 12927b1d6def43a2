"""The access log: one call per view, export or download of personal data."""

from .models import ActionJournal, JournalAcces

__all__ = ["ActionJournal", "journaliser"]


def journaliser(request, *, action: str, etablissement_id: int | None, objet: str) -> JournalAcces:
    """Record that request.user did `action` on `objet` of LP `etablissement_id`.

    Written in the request's transaction: if the view fails, no entry claims an access
    that did not happen.
    """
    return journaliser_droit(
        request.user, action=action, etablissement_id=etablissement_id, objet=objet, chemin=request.get_full_path()
    )


def journaliser_droit(
    auteur, *, action: str, etablissement_id: int | None, objet: str, chemin: str = ""
) -> JournalAcces:
    """Record what `auteur` did (None: a script or the operator): a grant, withdrawal or invitation,
    and every entry `journaliser` writes for a request."""
    return JournalAcces.objects.create(
        user=auteur,
        utilisateur=auteur.email if auteur is not None else "système",
        etablissement_id=etablissement_id,
        action=action,
        objet=objet[:255],
        chemin=chemin[:255],
    )
