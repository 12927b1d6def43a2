import logging
import random
from smtplib import SMTPException

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.crypto import salted_hmac

from seances.communication import destinataires, sans_doublons
from seances.models import CategorieInvite
from socle.courriels import envoyer_courriel, lien
from socle.models import normaliser_email

from .enquetes import Population
from .models import Enquete, EnvoiEnquete, Invitation, Note, Reponse

logger = logging.getLogger(__name__)


def enquetes_creer(*, dispositif) -> list[Enquete]:
    """Open the dispositif's surveys not open yet, one per population; returns those created."""
    ouvertes = set(dispositif.enquetes.values_list("population", flat=True))
    nouvelles = [Enquete(dispositif=dispositif, population=p) for p in Population.values if p not in ouvertes]
    # Two référents clicking at once: the unique constraint keeps one survey per population.
    Enquete.objects.bulk_create(nouvelles, ignore_conflicts=True)
    return nouvelles


def invitations_creer(*, enquete: Enquete, nombre: int, par_courriel: bool = False) -> list[Invitation]:
    """Create `nombre` personal links for a survey (to hand out, or to email)."""
    if not par_courriel and not 1 <= nombre <= 500:
        raise ValidationError("Indiquez un nombre de liens entre 1 et 500.")
    return Invitation.objects.bulk_create(
        [Invitation(enquete=enquete, par_courriel=par_courriel) for _ in range(nombre)]
    )


@transaction.atomic
def reponse_enregistrer(*, jeton: str, notes: dict[str, int], commentaire: str = "") -> Reponse:
    """Record the answer given through a personal link, once.

    The invitation row is locked so that two submissions racing on the same link
    cannot both be counted; the answer itself keeps no link to the invitation.
    """
    invitation = Invitation.objects.select_for_update().select_related("enquete").get(jeton=jeton)
    if invitation.utilisee_le is not None:
        raise ValidationError("Ce lien a déjà servi : chaque lien ne permet de répondre qu’une fois.")
    enquete = invitation.enquete
    attendues = {q.code for q in enquete.questions}
    if set(notes) != attendues or not all(1 <= int(v) <= 4 for v in notes.values()):
        raise ValidationError("Répondez à chaque question par une note de 1 à 4.")
    invitation.utilisee_le = timezone.localdate()
    invitation.save(update_fields=["utilisee_le"])
    reponse = Reponse.objects.create(enquete=enquete, commentaire=commentaire.strip()[:1000])
    Note.objects.bulk_create([Note(reponse=reponse, question=code, valeur=int(v)) for code, v in notes.items()])
    return reponse


def resultats(enquete: Enquete) -> dict:
    """Aggregated results: answers count, and per question the count, mean and distribution."""
    lignes = (
        Note.objects.filter(reponse__enquete=enquete)
        .values("question", "valeur")
        .annotate(n=Count("id"))
        .order_by("question", "valeur")
    )
    distribution: dict[str, dict[int, int]] = {}
    for ligne in lignes:
        distribution.setdefault(ligne["question"], {})[ligne["valeur"]] = ligne["n"]
    moyennes = dict(
        Note.objects.filter(reponse__enquete=enquete)
        .values("question")
        .annotate(m=Avg("valeur"))
        .values_list("question", "m")
    )
    questions = []
    for question in enquete.questions:
        repartition = distribution.get(question.code, {})
        questions.append(
            {
                "question": question,
                "reponses": sum(repartition.values()),
                "moyenne": moyennes.get(question.code),
                "repartition": [repartition.get(valeur, 0) for valeur in (1, 2, 3, 4)],
            }
        )
    return {"reponses": enquete.reponses.count(), "questions": questions}


# Who a survey of each population is emailed to; students and parents get their links by hand
# (the app keeps no address of theirs).
CATEGORIES_PAR_POPULATION = {
    Population.MENTORS: [CategorieInvite.MENTOR],
    Population.PERSONNELS: [CategorieInvite.PERSONNEL],
    Population.PARTENAIRES: [CategorieInvite.PARTENAIRE, CategorieInvite.ENTREPRISE],
}


def _empreinte_adresse(enquete: Enquete, email: str) -> str:
    return salted_hmac(f"mentorat.enquete.{enquete.pk}", normaliser_email(email), algorithm="sha256").hexdigest()


def enquete_envoyer(*, enquete: Enquete) -> tuple[int, int]:
    """Email a personal link to each person of the survey's population not emailed yet.

    Returns (emails sent, people already emailed). The addresses are kept only as keyed hashes,
    in a table that the links do not point to: the answers stay anonymous.
    """
    categories = CATEGORIES_PAR_POPULATION.get(enquete.population)
    if not categories:
        raise ValidationError("Les élèves et les parents reçoivent leur lien de la main à la main, pas par courriel.")
    personnes = sans_doublons(d for c in categories for d in destinataires(enquete.dispositif, c))
    a_envoyer, deja = [], 0
    with transaction.atomic():
        envoyees = set(
            EnvoiEnquete.objects.select_for_update().filter(enquete=enquete).values_list("empreinte", flat=True)
        )
        for personne in personnes:
            empreinte = _empreinte_adresse(enquete, personne.email)
            if empreinte in envoyees:
                deja += 1
                continue
            envoyees.add(empreinte)
            EnvoiEnquete.objects.create(enquete=enquete, empreinte=empreinte)
            a_envoyer.append(personne.email)
        liens = invitations_creer(enquete=enquete, nombre=len(a_envoyer), par_courriel=True) if a_envoyer else []
        # Shuffled, so that the order of the links says nothing of the order of the addresses.
        random.SystemRandom().shuffle(liens)
        envois = list(zip(a_envoyer, liens, strict=True))
        transaction.on_commit(lambda: _envoyer_enquete(enquete, envois))
    return len(a_envoyer), deja


def _envoyer_enquete(enquete, envois):
    etablissement = enquete.dispositif.etablissement
    for email, invitation in envois:
        try:
            envoyer_courriel(
                destinataires=[email],
                sujet=f"Votre avis sur le mentorat — {etablissement.nom}",
                gabarit="bilans/emails/enquete",
                contexte={
                    "enquete": enquete,
                    "etablissement": etablissement,
                    "lien": lien(invitation.get_absolute_url()),
                },
            )
        except (SMTPException, OSError):
            logger.warning("Enquête %s : un courriel non envoyé.", enquete.pk, exc_info=True)
