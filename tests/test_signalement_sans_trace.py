"""Acceptance 4 of issue 15: the chef suspends the mentor from a signalement, the séance service then
refuses that mentor's future séances, and the signalement's content reaches no export, no académie
page, no year-end report and no email (its sentence is searched in each of them)."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from binomes.models import Signalement, StatutBinome
from binomes.tests.factories import BinomeFactory, MentorFactory
from etablissements.tests.factories import AffectationFactory
from seances import services
from seances.models import Presence, Seance, StatutSeance
from seances.tests.factories import SeanceFactory
from tests.urls_inventaire import motifs

MAINTENANT = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)
PHRASE = "Il a insisté pour voir Inès seule dans sa voiture, phrase témoin XK81"
# The words a leak would carry, however a page cuts or escapes the sentence.
MORCEAUX = ("XK81", "phrase témoin", "seule dans sa voiture", "06 99 88 77 66")

# Every file or document an export gives out; a new one fails `test_chaque_export_est_fouille`.
EXPORTS = {
    "binomes:eleves_export",
    "binomes:mentors_export",
    "binomes:binomes_export",
    "bilans:export",
    "rgpd:export_eleve",
    "rgpd:export_mentor",
    "bilans:national_export",
}


def _sans_trace(texte: str, ou: str):
    for morceau in MORCEAUX:
        assert morceau not in texte, f"« {morceau} » trouvé dans {ou}"


def _lire(client, url, **parametres) -> str:
    reponse = client.get(url, parametres)
    # A refused page would hide nothing: each one must really be served.
    assert reponse.status_code == 200, url
    return reponse.content.decode()


def test_chaque_export_est_fouille():
    trouves = {nom for nom, route, _vue in motifs() if nom and ("export" in nom or route.endswith((".csv", ".xlsx")))}
    assert trouves == EXPORTS, "Ajoutez le nouvel export à la fouille des signalements."


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
def test_le_chef_suspend_le_mentor_et_le_signalement_ne_laisse_aucune_trace(
    client, cast, media, settings, django_capture_on_commit_callbacks
):
    settings.DOUBLE_AUTHENTIFICATION_ROLES = []
    with time_machine.travel(MAINTENANT, tick=False):
        mentor = MentorFactory(etablissement=cast.lp_a, verifie=True, nom="Garnier", prenom="Hugo")
        binome = BinomeFactory(dispositif=cast.dispositif_a, mentor=mentor, statut=StatutBinome.ACTIF)
        SeanceFactory(dispositif=cast.dispositif_a, binome=binome, date=datetime.date(2026, 11, 2))
        a_venir = SeanceFactory(dispositif=cast.dispositif_a, binome=binome, prevue=True)

        # A parent reports through the LP's public link.
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("seances:signalement_public", args=[cast.lp_a.code_public]),
                {"qualite": "parent", "texte": PHRASE, "contact": "06 99 88 77 66"},
            )
        signalement = Signalement.objects.get()

        # The chef reads it, names the mentor and suspends them.
        client.force_login(cast.chef_a)
        assert PHRASE in client.get(reverse("seances:signalement", args=[signalement.pk])).content.decode()
        client.post(reverse("seances:signalement", args=[signalement.pk]), {"statut": "en_cours", "mentor": mentor.pk})
        with django_capture_on_commit_callbacks(execute=True):
            reponse = client.post(reverse("seances:signalement_suspendre", args=[signalement.pk]))
        assert reponse.status_code == 302
        binome.refresh_from_db()
        a_venir.refresh_from_db()
        assert binome.statut == StatutBinome.SUSPENDU and a_venir.statut == StatutSeance.ANNULEE

        # The séance service refuses the mentor in any future séance.
        with pytest.raises(ValidationError, match="Mentor suspendu par le chef d’établissement"):
            services.seance_enregistrer(
                seance=Seance(dispositif=cast.dispositif_a, date=datetime.date(2026, 12, 14)),
                participants=[(mentor, Presence.ATTENDU), (binome.eleve, Presence.ATTENDU)],
            )

        # Every export, read by the chef (who reads everything of the LP).
        for nom in ("binomes:eleves_export", "binomes:mentors_export", "binomes:binomes_export"):
            client.force_login(cast.referent_a)
            _sans_trace(_lire(client, reverse(nom)), nom)
        client.force_login(cast.chef_a)
        _sans_trace(_lire(client, reverse("rgpd:export_eleve", args=[binome.eleve.pk])), "l’export RGPD")
        export_mentor = _lire(client, reverse("rgpd:export_mentor", args=[mentor.pk]))
        _sans_trace(export_mentor, "l’export RGPD du mentor")
        assert "suspensions par le chef" in export_mentor  # the fact, not the content
        client.force_login(cast.pilotage)
        _sans_trace(_lire(client, reverse("bilans:export")), "l’export CSV des indicateurs")
        classeur = load_workbook(io.BytesIO(client.get(reverse("bilans:export"), {"format": "xlsx"}).content))
        cellules = " ".join(str(c.value) for feuille in classeur for ligne in feuille.iter_rows() for c in ligne)
        _sans_trace(cellules, "l’export XLSX")

        # The académie's pages: its dashboard, and its administration.
        _sans_trace(_lire(client, reverse("bilans:academie")), "le tableau de bord académique")
        _sans_trace(_lire(client, reverse("accueil")), "l’accueil du pilotage")
        admin = AffectationFactory(admin_academique=True, academie=cast.lp_a.academie).user
        client.force_login(admin)
        _sans_trace(
            _lire(client, reverse("etablissements:academie", args=[cast.lp_a.academie_id])),
            "l’administration académique",
        )
        # The national level: its dashboard and its export.
        client.force_login(AffectationFactory(pilotage_national=True).user)
        _sans_trace(_lire(client, reverse("bilans:national")), "le tableau de bord national")
        _sans_trace(_lire(client, reverse("bilans:national_export")), "l’export national")

        # The year-end report, built and read back.
        client.force_login(cast.chef_a)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("bilans:rapport_generer", args=[cast.dispositif_a.pk]))
        pdf = b"".join(client.get(reverse("bilans:rapport_telecharger", args=[cast.dispositif_a.pk])).streaming_content)
        texte = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert "Rapport annuel du dispositif de mentorat" in texte
        _sans_trace(texte, "le rapport annuel")

        # Every email sent along the way.
        assert mail.outbox
        for courriel in mail.outbox:
            corps = courriel.subject + courriel.body + "".join(str(a[0]) for a in courriel.alternatives)
            _sans_trace(corps, f"le courriel « {courriel.subject} »")
