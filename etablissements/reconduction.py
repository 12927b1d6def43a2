"""Continuing last year's signed convention into the new year by an « avenant de reconduction ».

When next year's dispositif is opened from this one, its convention is copied as a draft.
If last year's convention with the same partner is signed, the parties need not sign a
new convention: they sign an avenant to last year's one that continues it for the new
year. The chef d'établissement records that avenant (he signs every avenant); the
new year's convention is then signed by it, with the text it carries, and links to it.
Without a signed convention last year with that partner (the partner changed, or it was
never signed), the draft is submitted and signed as any other.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from socle.roles import Role

from .models import Avenant, Convention
from .models.convention import StatutConvention
from .models.historique import ActionHistorique
from .services import (
    CHAMPS_CONVENTION,
    _avenant_enregistrer,
    _changement,
    _convention_verrouillee,
    _nom,
    _prevenir_le_lp,
    _tracer,
    texte_signe,
)


def convention_a_reconduire(convention) -> Convention | None:
    """Last school year's signed convention with the same partner, which an avenant may continue
    into `convention`'s year; None when `convention` is already signed or there is none."""
    if convention.est_signee:
        return None
    dispositif = convention.dispositif
    return (
        Convention.objects.filter(
            dispositif__etablissement_id=dispositif.etablissement_id,
            dispositif__annee=dispositif.annee - 1,
            partenaire_id=convention.partenaire_id,
            statut__in=[StatutConvention.SIGNEE, StatutConvention.ECHUE],
        )
        .select_related("dispositif")
        .first()
    )


def marquer_a_reconduire(dispositif, conventions) -> list:
    """`conventions` of `dispositif`, each with `a_reconduire` set: unsigned, and last year's
    convention with its partner is signed (one query, for the dispositif's overview)."""
    signes = set(
        Convention.objects.filter(
            dispositif__etablissement_id=dispositif.etablissement_id,
            dispositif__annee=dispositif.annee - 1,
            statut__in=[StatutConvention.SIGNEE, StatutConvention.ECHUE],
        ).values_list("partenaire_id", flat=True)
    )
    for c in conventions:
        c.a_reconduire = not c.est_signee and c.partenaire_id in signes
    return conventions


@transaction.atomic
def convention_reconduire(*, convention, auteur, date_signature: date) -> Avenant:
    """Record the avenant de reconduction the chef signed: last year's convention goes on for
    `convention`'s year, which is signed by it with the text of the draft.

    The avenant, numbered on last year's convention, lists what the new year's text changes
    (the period at least); last year's convention itself keeps its text.
    """
    convention = _convention_verrouillee(convention)
    ancienne = convention_a_reconduire(convention)
    if ancienne is None:
        if convention.est_signee:
            raise ValidationError("Cette convention est déjà signée.")
        raise ValidationError(
            "Aucune convention signée avec ce partenaire l’année précédente : "
            "cette convention se soumet à la signature du chef d’établissement."
        )
    if not (convention.date_debut and convention.date_fin):
        raise ValidationError("Avant de reconduire, complétez la période de l’engagement.")
    if ancienne.date_signature_etablissement and date_signature < ancienne.date_signature_etablissement:
        raise ValidationError(
            {
                "date_signature": "L’avenant ne peut pas précéder la signature de la convention "
                f"{ancienne.dispositif.annee_scolaire} ({ancienne.date_signature_etablissement:%d/%m/%Y})."
            }
        )
    annee = convention.dispositif.annee_scolaire
    avenant = _avenant_enregistrer(
        convention=ancienne,
        auteur=auteur,
        objet=f"Reconduction pour l’année {annee}",
        date_signature=date_signature,
        changements=[
            _changement(convention, champ, getattr(ancienne, champ), getattr(convention, champ))
            for champ in CHAMPS_CONVENTION
            if getattr(ancienne, champ) != getattr(convention, champ)
        ],
    )

    avant = StatutConvention(convention.statut).label
    # Both parties signed the avenant: its date is both signatures' date; the partner's
    # signatory is last year's, who signed the convention the avenant continues.
    convention.statut = StatutConvention.SIGNEE
    convention.reconduite_par = avenant
    convention.signataire_etablissement = _nom(auteur)
    convention.date_signature_etablissement = date_signature
    convention.signee_par = auteur
    convention.signataire_partenaire = ancienne.signataire_partenaire
    convention.date_signature_partenaire = date_signature
    convention.signee_partenaire_par = None
    convention.texte_signe = texte_signe(convention)
    convention.full_clean()
    convention.save()
    reference = (
        f"Avenant n° {avenant.numero} du {date_signature:%d/%m/%Y} à la convention {ancienne.dispositif.annee_scolaire}"
    )
    _tracer(
        dispositif=convention.dispositif,
        auteur=auteur,
        action=ActionHistorique.SIGNATURE,
        convention=convention,
        changements=[
            {"champ": "Statut", "avant": avant, "apres": "Signée"},
            {"champ": "Reconduction", "avant": "—", "apres": reference},
        ],
    )
    # The chef decided: the référent, who prepared the draft, learns it needs no signature.
    _prevenir_le_lp(
        convention,
        role=Role.REFERENT,
        sujet="Convention reconduite par avenant",
        message=f"{_nom(auteur)} reconduit la convention avec {convention.partenaire} pour {annee} "
        f"par l’avenant n° {avenant.numero} à la convention {ancienne.dispositif.annee_scolaire} : "
        "elle est signée, sans nouvelle signature.",
        libelle_lien="Lire la convention",
    )
    return avenant
