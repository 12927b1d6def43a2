"""The student's word after a séance, without an account.

The référent or the coordinator makes a one-time link per pair of the séance, hands it out or
prints it as a QR code; the student answers three questions on a phone. Only the SHA-256 of the
link's secret is stored, the link works once and expires, and the answer is written tied to the
binôme alone (no séance, no link, dated by the day): nothing else can trace it back.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from binomes.models import Binome
from etablissements.models.invitation import empreinte_jeton
from socle.liens import LienInvalide

from . import services
from .models import AvisEleve, LienAvis, Seance, StatutSeance

# Long enough for a student who answers at home the next weekend, short enough that a lost
# sheet stops working before the next séance's sheet is printed.
DUREE_LIEN = timedelta(days=14)


@dataclass(frozen=True)
class LienRemis:
    """A link just made: the clear secret exists only here, for the page or the sheet that shows it."""

    binome: Binome
    jeton: str
    expire_le: object


def liens_avis_creer(*, seance: Seance) -> list[LienRemis]:
    """Make (or make again) the link of every pair of the séance that has not answered yet.

    Making a link again replaces the secret: a sheet printed earlier stops working, which is what
    the référent wants when a sheet was lost. A pair that already answered gets no new link.
    """
    if seance.statut == StatutSeance.ANNULEE:
        return []
    maintenant = timezone.now()
    remis = []
    with transaction.atomic():
        binomes = list(services.binomes_de_la_seance(seance))
        liens = LienAvis.objects.select_for_update().filter(seance=seance, binome__in=[b.pk for b in binomes])
        deja = {lien.binome_id: lien for lien in liens}
        for binome in binomes:
            lien = deja.get(binome.pk)
            if lien is not None and lien.utilise_le is not None:
                continue
            jeton = secrets.token_urlsafe(24)
            expire_le = maintenant + DUREE_LIEN
            if lien is None:
                LienAvis.objects.create(
                    binome=binome,
                    seance=seance,
                    empreinte=empreinte_jeton(jeton),
                    cree_le=maintenant,
                    expire_le=expire_le,
                )
            else:
                lien.empreinte, lien.cree_le, lien.expire_le = empreinte_jeton(jeton), maintenant, expire_le
                lien.save(update_fields=["empreinte", "cree_le", "expire_le"])
            remis.append(LienRemis(binome=binome, jeton=jeton, expire_le=expire_le))
    return remis


def lien_trouver(jeton: str) -> LienAvis:
    """The link of a secret, if it can still be used; else LienInvalide with the reason in French."""
    lien = LienAvis.objects.select_related("seance").filter(empreinte=empreinte_jeton(jeton)).first()
    if lien is None:
        raise LienInvalide("Ce lien ne correspond à aucune séance.", connu=False)
    if lien.utilise_le is not None:
        raise LienInvalide("Tu as déjà donné ton avis avec ce lien : merci !", connu=True)
    if lien.expire_le <= timezone.now():
        raise LienInvalide(
            "Ce lien a expiré. Demande un nouveau lien à ton professeur référent si tu veux donner ton avis.",
            connu=True,
        )
    return lien


def avis_enregistrer(*, jeton: str, ressenti: str, utilite: str, continuer: str) -> AvisEleve:
    """Write the student's answers and spend the link, once: two answers sent at the same
    moment (a double tap, two phones) find one link already spent."""
    with transaction.atomic():
        lien = lien_trouver(jeton)
        # A conditional update rather than a read-then-write: only one request can spend the link.
        if not LienAvis.objects.filter(pk=lien.pk, utilise_le__isnull=True).update(utilise_le=timezone.now()):
            raise LienInvalide("Tu as déjà donné ton avis avec ce lien : merci !", connu=True)
        return AvisEleve.objects.create(
            binome_id=lien.binome_id, ressenti=ressenti, utilite=utilite, continuer=continuer
        )
