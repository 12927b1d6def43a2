"""What the mentors, students and binômes tell the frise chronologique of `etablissements`.

Registered in `BinomesConfig.ready()`; see the table of evidence in `etablissements.frise`.
Mentors and students belong to the LP, not to one year: every dispositif of the LP sees them
(a student gone before the dispositif's school year began does not count).
"""

from datetime import date

from django.db.models import Exists, OuterRef, Q

from etablissements.frise import EN_COURS, FAIT

from .models import Binome, Eleve, Mentor, ReunionAppariement, StatutBinome, StatutEleve, StatutHonorabilite

CODES = ("sourcing", "eleves", "appariement")


def annotations(jour: date) -> dict:
    mentors = Mentor.objects.filter(etablissement=OuterRef("etablissement_id"))
    # A mentor may meet students once their honorabilité is verified and still valid.
    honorabilite_valide = Q(honorabilite__statut=StatutHonorabilite.VERIFIEE) & (
        Q(honorabilite__expiration__isnull=True) | Q(honorabilite__expiration__gte=jour)
    )
    # Students of the LP still there when the dispositif's school year began (1 September).
    eleves = Eleve.objects.filter(
        Q(date_sortie__isnull=True)
        | Q(date_sortie__year__gt=OuterRef("annee"))
        | Q(date_sortie__year=OuterRef("annee"), date_sortie__month__gte=9),
        etablissement=OuterRef("etablissement_id"),
        statut__in=[StatutEleve.PROPOSE, StatutEleve.RETENU],
    )
    binomes = Binome.objects.filter(dispositif=OuterRef("pk"))
    return {
        "mentor": Exists(mentors),
        "mentor_valide": Exists(mentors.filter(honorabilite_valide)),
        "eleve": Exists(eleves),
        # The sheet: « les élèves participant au dispositif sont volontaires ».
        "eleve_volontaire": Exists(eleves.filter(statut=StatutEleve.RETENU, volontaire=True)),
        "reunion_appariement": Exists(ReunionAppariement.objects.filter(dispositif=OuterRef("pk"))),
        "binome_propose": Exists(binomes.filter(statut=StatutBinome.PROPOSE)),
        "binome_forme": Exists(binomes.exclude(statut=StatutBinome.PROPOSE)),
    }


def deriver(d, jour: date) -> dict[str, str]:
    """Sourcing, identification of students and pairing."""
    resultat = {}
    if d.mentor:
        resultat["sourcing"] = FAIT if d.mentor_valide else EN_COURS
    if d.eleve:
        resultat["eleves"] = FAIT if d.eleve_volontaire else EN_COURS
    # Pairing is done once a binôme is formed; a pairing meeting or a proposal means it is under way.
    if d.binome_forme:
        resultat["appariement"] = FAIT
    elif d.reunion_appariement or d.binome_propose:
        resultat["appariement"] = EN_COURS
    return resultat
