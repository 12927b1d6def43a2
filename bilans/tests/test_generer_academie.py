"""The académie-scale generator (issue 8), run with tiny parameters: counts, constraints, reproducibility."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bilans.models import Enquete, Note, ResultatEleve
from bilans.national import calculer
from binomes.models import Binome, Eleve, Mentor
from etablissements.models import Academie, Affectation, Dispositif, Etablissement, Jalon, LigneBudget
from etablissements.models.jalon import JALONS
from seances.models import Participation, Seance, StatutSeance
from socle.validators import valider_ine, valider_uai

pytestmark = pytest.mark.django_db

PETIT = {"lps": 2, "annees": 2, "eleves": 6, "mentors": 3, "binomes": 5, "seances": 3, "reponses": 2, "annee": 2025}


def generer(graine=42, purger=False):
    sortie = StringIO()
    call_command("generer_academie", graine=graine, purger=purger, stdout=sortie, **PETIT)
    return sortie.getvalue()


def empreinte():
    """The generated data without primary keys: what must not change from one run to the next."""
    return (
        list(Etablissement.objects.order_by("uai").values_list("uai", "nom", "commune")),
        list(Eleve.objects.order_by("ine").values_list("ine", "nom", "prenom", "sexe", "date_naissance", "classe")),
        list(Mentor.objects.order_by("email").values_list("email", "nom", "prenom", "metier")),
        list(
            Participation.objects.order_by("seance__date", "seance__heure", "eleve__ine", "mentor__email").values_list(
                "seance__date", "seance__heure", "seance__statut", "eleve__ine", "mentor__email", "presence"
            )
        ),
        list(LigneBudget.objects.order_by("dispositif__etablissement__uai", "date").values_list("montant", "date")),
        list(Note.objects.order_by("reponse__enquete__population", "question", "valeur").values_list("valeur")),
    )


def test_compte_les_lignes_et_respecte_les_regles():
    sortie = generer()

    assert Academie.objects.count() == 1
    assert Etablissement.objects.count() == 2
    assert Dispositif.objects.count() == 2 * 2
    assert Jalon.objects.count() == 2 * 2 * len(JALONS)
    assert Mentor.objects.count() == 2 * 3
    assert Eleve.objects.count() == 2 * 2 * 6
    assert Binome.objects.count() == 2 * 2 * 5
    assert Seance.objects.count() == 2 * 2 * 5 * 3
    # Each séance: the student and the mentor of the binôme, with attendance.
    assert Participation.objects.count() == 2 * Seance.objects.count()
    assert Participation.objects.filter(eleve__isnull=False).count() == Seance.objects.count()
    assert LigneBudget.objects.count() == 2 * 2 * 4
    # Surveys and results for the past year only.
    assert Enquete.objects.count() == 2 * 2
    assert ResultatEleve.objects.count() == 2 * 5
    # Séances of the past year are held, with recorded attendance.
    assert not Seance.objects.filter(dispositif__annee=2024).exclude(statut=StatutSeance.TENUE).exists()
    for lp in Etablissement.objects.all():
        valider_uai(lp.uai)
    for code in Eleve.objects.values_list("ine", flat=True):
        valider_ine(code)
    # One account per role on the first LP, a coordinator, a pilotage and a national account, printed.
    assert Affectation.objects.count() == 10
    assert "pilotage@bench.mentorat.fr" in sortie and "national@bench.mentorat.fr" in sortie
    assert "referent@bench.mentorat.fr" in sortie


def test_meme_graine_memes_donnees():
    generer(graine=7)
    premiere = empreinte()
    generer(graine=7, purger=True)
    assert empreinte() == premiere
    assert Etablissement.objects.count() == 2
    generer(graine=8, purger=True)
    assert empreinte() != premiere


def test_refuse_de_generer_deux_fois_sans_purger():
    generer()
    with pytest.raises(CommandError):
        generer()


def test_plusieurs_academies_et_le_tableau_national():
    sortie = StringIO()
    call_command("generer_academie", stdout=sortie, **{**PETIT, "lps": 6, "academies": 2})
    academies = list(Academie.objects.order_by("nom"))
    assert [a.nom for a in academies] == ["Académie de Synthèse", "Académie de Synthèse 02"]
    # The LPs spread evenly, in blocks.
    assert [a.etablissements.count() for a in academies] == [3, 3]
    # The national dashboard sees each académie, and its total is every LP's.
    tableau = calculer(PETIT["annee"])
    assert [(ligne.nom, ligne.etablissements, ligne.dispositifs) for ligne in tableau.lignes] == [
        ("Académie de Synthèse", 3, 3),
        ("Académie de Synthèse 02", 3, 3),
    ]
    assert (
        tableau.total["mentors"].valeur
        == Mentor.objects.filter(binomes__dispositif__annee=PETIT["annee"]).distinct().count()
    )
    # Purging removes every generated académie.
    call_command("generer_academie", purger=True, stdout=StringIO(), **{**PETIT, "lps": 2})
    assert Academie.objects.count() == 1 and Etablissement.objects.count() == 2


def test_refuse_plus_d_academies_que_de_lycees():
    with pytest.raises(CommandError, match="au moins un lycée par académie"):
        call_command("generer_academie", stdout=StringIO(), **{**PETIT, "lps": 2, "academies": 3})
