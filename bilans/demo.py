"""Demo data of the review: last year's dispositif (for trends), surveys with answers, the qualitative review.

Idempotent: it finds the demo LPs by UAI and creates each object only once.
"""

from datetime import date, time, timedelta

from binomes.models import Binome, Eleve, Mentor, StatutBinome
from etablissements.frise import generer_jalons
from etablissements.models import Dispositif
from etablissements.models.dispositif import annee_scolaire_courante
from seances.models import Participation, Presence, Seance, StatutSeance, TypeSeance

from .enquetes import Population
from .models import BilanQualitatif, Enquete, Invitation, ResultatEleve, Situation
from .services import reponse_enregistrer

UAI = "0691234S"


def charger(*, stdout=None):
    annee = annee_scolaire_courante()
    courant = Dispositif.objects.filter(etablissement__uai=UAI, annee=annee).select_related("etablissement").first()
    if courant is None:
        return
    _annee_precedente(courant)
    _enquetes(courant)
    BilanQualitatif.objects.get_or_create(
        dispositif=courant,
        defaults={
            "relations_partenaires": "Échanges réguliers avec l’association ; deux entreprises nouvelles cette année.",
            "difficultes": "Salles difficiles à réserver le jeudi ; transport vers les entreprises.",
            "ameliorations": "Lancer l’appariement dès octobre et prévoir une salle dédiée.",
        },
    )
    if stdout:
        stdout.write("  Bilans : année précédente, enquêtes et bilan qualitatif de démonstration.")


def _annee_precedente(courant):
    """Last year's programme: two pairs that ran to their end, with séances and results."""
    precedent, cree = Dispositif.objects.get_or_create(
        etablissement=courant.etablissement, annee=courant.annee - 1, defaults={"partenaire": courant.partenaire}
    )
    if not cree:
        return
    generer_jalons(precedent)
    mentors = list(Mentor.objects.filter(etablissement=courant.etablissement).order_by("pk")[:2])
    eleves = list(Eleve.objects.filter(etablissement=courant.etablissement).order_by("-date_naissance")[:2])
    for i, (mentor, eleve) in enumerate(zip(mentors, eleves, strict=False)):
        binome = Binome.objects.create(
            dispositif=precedent,
            mentor=mentor,
            eleve=eleve,
            statut=StatutBinome.TERMINE,
            date_debut=date(precedent.annee, 10, 6),
            date_fin_prevue=date(precedent.annee + 1, 5, 29),
            date_fin=date(precedent.annee + 1, 5, 29),
        )
        for mois in range(6):
            seance = Seance.objects.create(
                dispositif=precedent,
                date=binome.date_debut + timedelta(days=30 * mois),
                heure=time(14),
                type=TypeSeance.ENTRETIEN,
                statut=StatutSeance.TENUE,
                compte_rendu="Point d’étape du projet professionnel.",
            )
            Participation.objects.create(seance=seance, mentor=mentor, presence=Presence.PRESENT)
            absent = mois == 3 and i == 0
            Participation.objects.create(
                seance=seance, eleve=eleve, presence=Presence.ABSENT_EXCUSE if absent else Presence.PRESENT
            )
        ResultatEleve.objects.create(
            dispositif=precedent,
            eleve=eleve,
            presente=True,
            admis=i == 0,
            situation=Situation.FORMATION if i == 0 else Situation.RECHERCHE,
            situation_le=date(precedent.annee + 1, 7, 1),
        )


def _enquetes(courant):
    for population in Population.values:
        enquete, cree = Enquete.objects.get_or_create(dispositif=courant, population=population)
        if not cree or population not in (Population.ELEVES, Population.MENTORS):
            continue
        invitations = Invitation.objects.bulk_create([Invitation(enquete=enquete) for _ in range(4)])
        for invitation, note in zip(invitations[:3], (4, 3, 4), strict=True):
            reponse_enregistrer(jeton=invitation.jeton, notes={q.code: note for q in enquete.questions})
