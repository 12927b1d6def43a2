"""The year-end report: built in the background, every section in the PDF, tagged, states, failure and retry."""

import datetime
import shutil
import subprocess
import time
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from bilans import rapports
from bilans.enquetes import Population
from bilans.models import BilanQualitatif, Enquete, RapportAnnuel, StatutRapport
from bilans.services import invitations_creer, reponse_enregistrer
from bilans.tasks import construire_rapport
from binomes.tests.factories import BinomeFactory
from etablissements.models import LigneBudget
from seances.models import Participation, Presence
from seances.tests.factories import SeanceFactory
from socle.models import JournalAcces

SECTIONS = [
    "Rapport annuel du dispositif de mentorat",
    "Indicateurs",
    "Graphiques",
    "Actions menées",
    "Satisfaction",
    "Bilan qualitatif",
    "Budget",
    "Comparaison avec l’année précédente",
]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def donnees(cast):
    d = cast.dispositif_a
    binome = BinomeFactory(dispositif=d)
    seance = SeanceFactory(dispositif=d, binome=binome)
    absent = BinomeFactory(dispositif=d)
    Participation.objects.create(seance=seance, eleve=absent.eleve, presence=Presence.ABSENT_NON_EXCUSE)
    enquete = Enquete.objects.create(dispositif=d, population=Population.MENTORS)
    (invitation,) = invitations_creer(enquete=enquete, nombre=1)
    reponse_enregistrer(jeton=invitation.jeton, notes={q.code: 4 for q in enquete.questions})
    BilanQualitatif.objects.create(
        dispositif=d,
        relations_partenaires="Relations suivies avec l’association.",
        difficultes="Salles difficiles à réserver le jeudi.",
        ameliorations="Lancer les binômes dès octobre.",
    )
    LigneBudget.objects.create(dispositif=d, type="allocation", source="academie", libelle="Crédits", montant=1200)
    return d


def _texte_pdf(contenu: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(contenu)).pages)


def _verifier_pdf(contenu: bytes, tmp_path):
    texte = _texte_pdf(contenu)
    for section in SECTIONS:
        assert section in texte, section
    assert "50,0 %" in texte  # absentéisme: 1 absent of 2 expected students
    assert "Salles difficiles à réserver le jeudi." in texte
    assert "1 réponse" in texte
    lecteur = PdfReader(BytesIO(contenu))
    catalogue = lecteur.trailer["/Root"]
    assert bool(catalogue["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalogue
    assert catalogue["/Lang"] == "fr"
    assert "Rapport annuel du dispositif de mentorat" in lecteur.metadata.title
    if shutil.which("pdfinfo"):
        chemin = tmp_path / "rapport.pdf"
        chemin.write_bytes(contenu)
        assert "Tagged:          yes" in subprocess.run(["pdfinfo", str(chemin)], capture_output=True, text=True).stdout


@pytest.mark.django_db
def test_generer_puis_telecharger(client, cast, donnees, media, tmp_path, django_capture_on_commit_callbacks):
    client.force_login(cast.chef_a)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("bilans:rapport_generer", args=[donnees.pk]))
    assert reponse.status_code == 302
    rapport = RapportAnnuel.objects.get(dispositif=donnees)
    assert rapport.statut == StatutRapport.PRET
    page = client.get(reverse("bilans:rapport", args=[donnees.pk])).content.decode()
    assert "Prêt" in page and "Télécharger le rapport (PDF)" in page
    telechargement = client.get(reverse("bilans:rapport_telecharger", args=[donnees.pk]))
    assert telechargement["Content-Type"] == "application/pdf"
    _verifier_pdf(b"".join(telechargement.streaming_content), tmp_path)
    assert JournalAcces.objects.filter(action="telechargement", etablissement_id=cast.lp_a.pk).count() == 1


@pytest.mark.django_db
def test_les_etats_se_succedent(cast, donnees, media, monkeypatch):
    vus = []
    construire = rapports.construire

    def espion(rapport):
        vus.append(RapportAnnuel.objects.get(pk=rapport.pk).statut)
        construire(rapport)

    monkeypatch.setattr(rapports, "construire", espion)
    rapport = RapportAnnuel.objects.create(dispositif=donnees)
    assert rapport.statut == StatutRapport.EN_ATTENTE
    assert construire_rapport(rapport.pk) == "pret"
    assert vus == [StatutRapport.EN_COURS]
    rapport.refresh_from_db()
    assert rapport.statut == StatutRapport.PRET and rapport.fichier


@pytest.mark.django_db
def test_echec_affiche_puis_relance(client, cast, donnees, media, monkeypatch, django_capture_on_commit_callbacks):
    def panne(rapport):
        raise OSError("disque plein")

    monkeypatch.setattr(rapports, "construire", panne)
    client.force_login(cast.referent_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("bilans:rapport_generer", args=[donnees.pk]))
    rapport = RapportAnnuel.objects.get(dispositif=donnees)
    assert rapport.statut == StatutRapport.ECHEC
    page = client.get(reverse("bilans:rapport", args=[donnees.pk])).content.decode()
    assert "Échec" in page and "disque plein" in page and "Générer à nouveau le rapport" in page
    assert client.get(reverse("bilans:rapport_telecharger", args=[donnees.pk])).status_code == 404
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("bilans:rapport_generer", args=[donnees.pk]))
    rapport.refresh_from_db()
    assert rapport.statut == StatutRapport.PRET


@pytest.mark.django_db
def test_une_nouvelle_generation_remplace_l_ancienne(cast, donnees, media):
    rapport = RapportAnnuel.objects.create(dispositif=donnees)
    construire_rapport(rapport.pk)
    construire_rapport(rapport.pk)
    fichiers = list((media / "rapports").rglob("*.pdf"))
    assert len(fichiers) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("qui", ["cpe_a", "ddfpt_a", "coordonnateur_a"])
def test_lecteurs_sans_droit_de_generer(client, cast, donnees, qui):
    client.force_login(getattr(cast, qui))
    assert client.get(reverse("bilans:rapport", args=[donnees.pk])).status_code == 200
    assert client.post(reverse("bilans:rapport_generer", args=[donnees.pk])).status_code == 403
    assert not RapportAnnuel.objects.exists()


@pytest.mark.django_db
def test_l_academie_demande_tous_les_rapports(client, cast, media, django_capture_on_commit_callbacks):
    client.force_login(cast.pilotage)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("bilans:rapports_academie"))
    assert reponse.status_code == 302
    assert set(RapportAnnuel.objects.values_list("dispositif", "statut")) == {
        (cast.dispositif_a.pk, StatutRapport.PRET),
        (cast.dispositif_b.pk, StatutRapport.PRET),
    }


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_un_vrai_worker_construit_le_rapport(cast, donnees, lancer_worker, tmp_path):
    worker = lancer_worker(base_de_test=True)
    rapport = RapportAnnuel.objects.create(dispositif=donnees)
    construire_rapport.apply_async(args=[rapport.pk], queue=worker.file)
    debut = time.monotonic()
    while rapport.statut != StatutRapport.PRET and time.monotonic() - debut < 120:
        time.sleep(0.3)
        rapport.refresh_from_db()
    assert rapport.statut == StatutRapport.PRET
    with rapport.fichier.open("rb") as fichier:
        _verifier_pdf(fichier.read(), tmp_path)


@pytest.mark.django_db(transaction=True)
def test_broker_en_panne_la_demande_reste_en_attente(client, cast, broker_mort):
    import time

    client.force_login(cast.chef_a)
    debut = time.monotonic()
    reponse = client.post(reverse("bilans:rapport_generer", args=[cast.dispositif_a.pk]))
    assert time.monotonic() - debut < 2
    assert reponse.status_code == 302
    assert RapportAnnuel.objects.get(dispositif=cast.dispositif_a).statut == StatutRapport.EN_ATTENTE
    assert "En attente" in client.get(reverse("bilans:rapport", args=[cast.dispositif_a.pk])).content.decode()


@pytest.mark.django_db
def test_un_rapport_perdu_est_relance_puis_finit_en_echec(
    cast, donnees, media, settings, django_capture_on_commit_callbacks
):
    """A build lost (worker killed, broker down) is sent again by the beat job, a bounded number of times."""
    settings.RAPPORT_DELAI_BLOCAGE, settings.RAPPORT_TENTATIVES = 600, 3
    with time_machine.travel(datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)):
        rapport = RapportAnnuel.objects.create(dispositif=donnees, statut=StatutRapport.EN_COURS)
    with time_machine.travel(datetime.datetime(2026, 11, 30, 9, 5, tzinfo=datetime.UTC)):
        assert rapports.rapports_relancer() == 0  # not late yet: a worker may still be on it
    with (
        time_machine.travel(datetime.datetime(2026, 11, 30, 9, 11, tzinfo=datetime.UTC)),
        django_capture_on_commit_callbacks(execute=False) as envois,
    ):
        assert rapports.rapports_relancer() == 1
    rapport.refresh_from_db()
    assert (rapport.statut, rapport.tentatives, len(envois)) == (StatutRapport.EN_ATTENTE, 1, 1)
    # The build sent again is lost too, twice: the third time, the report ends "échec".
    for minute, tentatives in ((22, 2), (33, 3)):
        with time_machine.travel(datetime.datetime(2026, 11, 30, 9, minute, tzinfo=datetime.UTC)):
            rapports.rapports_relancer()
        rapport.refresh_from_db()
        assert rapport.tentatives == tentatives
    assert rapport.statut == StatutRapport.ECHEC
    assert "n’a pas abouti après 3 tentatives" in rapport.erreur
    # The user's retry starts afresh.
    with django_capture_on_commit_callbacks(execute=True):
        rapports.rapport_demander(dispositif=donnees)
    rapport.refresh_from_db()
    assert (rapport.statut, rapport.tentatives) == (StatutRapport.PRET, 0)


@pytest.mark.django_db
def test_un_rapport_deja_pret_n_est_pas_reconstruit(cast, donnees, media):
    """A message delivered again (after a worker died) finds the report ready and leaves it."""
    rapport = RapportAnnuel.objects.create(dispositif=donnees)
    assert construire_rapport(rapport.pk) == "pret"
    rapport.refresh_from_db()
    genere_le = rapport.genere_le
    assert construire_rapport(rapport.pk) == "ignore"
    rapport.refresh_from_db()
    assert rapport.genere_le == genere_le
