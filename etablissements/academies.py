"""The académie's administration: its LPs (each created with its chef's invitation) and its list
of partner associations.

The administrator manages places and accounts; they read no nominative data of the LPs.
Every write checks that the author administers the académie (404 otherwise, as for a
missing one) and runs in one transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from socle.roles import Role

from . import invitations
from .models import Academie, Affectation, Etablissement, Invitation, Partenaire
from .scoping import academies_administrees


def academie_administree(user, pk) -> Academie:
    """The académie `pk` if the user administers it; 404 otherwise."""
    if pk not in academies_administrees(user):
        raise Http404
    return Academie.objects.get(pk=pk)


def partenaire_de_la_liste(academie: Academie, pk) -> Partenaire:
    """A partner on the académie's list (404 for any other)."""
    partenaire = academie.partenaires.filter(pk=pk).first()
    if partenaire is None:
        raise Http404
    return partenaire


def lycees(academie: Academie) -> list[Etablissement]:
    """The académie's LPs, each with `chefs` (accounts) and `chefs_invites` (pending addresses)."""
    lps = list(academie.etablissements.order_by("nom"))
    chefs: dict[int, list] = {}
    for affectation in Affectation.objects.filter(etablissement__in=lps, role=Role.CHEF).select_related("user"):
        chefs.setdefault(affectation.etablissement_id, []).append(affectation.user)
    invites: dict[int, list] = {}
    for invitation in Invitation.objects.en_attente().filter(etablissement__in=lps, role=Role.CHEF):
        invites.setdefault(invitation.etablissement_id, []).append(invitation.email)
    for lp in lps:
        lp.chefs = chefs.get(lp.pk, [])
        lp.chefs_invites = invites.get(lp.pk, [])
    return lps


def partenaires(academie: Academie):
    """The académie's list of partner associations, the « 1 jeune, 1 mentor » laureates first."""
    return academie.partenaires.order_by("-plan_1j1m", "nom")


def partenaires_a_inscrire(academie: Academie):
    """Associations on another académie's list and not yet on this one."""
    return Partenaire.objects.filter(academies__isnull=False).exclude(academies=academie).distinct().order_by("nom")


def uai_libre(uai: str, exclure=None) -> None:
    """Refuse a UAI already held by an LP, naming it."""
    autre = Etablissement.objects.filter(uai__iexact=uai).exclude(pk=getattr(exclure, "pk", None)).first()
    if autre is not None:
        raise ValidationError(
            {"uai": f"Ce code UAI est déjà celui du lycée {autre.nom} ({autre.commune or autre.academie})."}
        )


@transaction.atomic
def creer_lycee(*, par, academie: Academie, valeurs: dict, chef: dict | None = None) -> Etablissement:
    """Create an LP in the académie and, when `chef` gives an email, invite its chef.

    `valeurs`: nom, uai, adresse, code_postal, commune. `chef`: email, prenom, nom. If the
    invitation cannot be sent, nothing is created.
    """
    academie = academie_administree(par, academie.pk)
    uai = (valeurs.get("uai") or "").strip().upper()
    uai_libre(uai)
    lp = Etablissement(academie=academie, **{**valeurs, "uai": uai})
    lp.full_clean()
    lp.save()
    if chef and chef.get("email"):
        invitations.inviter(
            par=par,
            email=chef["email"],
            role=Role.CHEF,
            lieu=lp,
            prenom=chef.get("prenom", ""),
            nom=chef.get("nom", ""),
        )
    return lp


@transaction.atomic
def creer_partenaire(*, par, academie: Academie, valeurs: dict) -> Partenaire:
    """A new association, put on the académie's list."""
    academie = academie_administree(par, academie.pk)
    partenaire = Partenaire(**valeurs)
    partenaire.full_clean()
    partenaire.save()
    partenaire.academies.add(academie)
    return partenaire


@transaction.atomic
def inscrire_partenaire(*, par, academie: Academie, partenaire: Partenaire) -> None:
    """Put an association already known (on another académie's list) on this académie's list."""
    academie = academie_administree(par, academie.pk)
    partenaire.academies.add(academie)


@transaction.atomic
def retirer_partenaire(*, par, academie: Academie, partenaire: Partenaire) -> None:
    """Take the association off the académie's list; it stays on the others' and keeps its conventions."""
    academie = academie_administree(par, academie.pk)
    partenaire.academies.remove(academie)
