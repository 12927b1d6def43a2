"""The student's word after a séance: one-time links made by the référent or the coordinator,
answered without an account, once, before they expire; the answer tied to the binôme only."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from binomes.tests.factories import BinomeFactory
from etablissements.models.invitation import empreinte_jeton
from seances import avis as service
from seances.alertes import alertes_calculer
from seances.models import AvisEleve, Continuer, LienAvis, Ressenti, StatutSeance, Utilite
from seances.tests.factories import SeanceFactory
from socle.liens import LienInvalide

MAINTENANT = datetime.datetime(2026, 11, 30, 17, 0, tzinfo=datetime.UTC)
REPONSE = {"ressenti": Ressenti.MOYEN, "utilite": Utilite.UN_PEU, "continuer": Continuer.NE_SAIS_PAS}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _heure():
    with time_machine.travel(MAINTENANT, tick=False):
        yield


@pytest.fixture
def binome(cast):
    return BinomeFactory(dispositif=cast.dispositif_a, eleve__prenom="Inès")


@pytest.fixture
def seance(cast, binome):
    return SeanceFactory(dispositif=cast.dispositif_a, binome=binome, date=datetime.date(2026, 11, 27))


def _jeton(reponse) -> str:
    """The secret of the first link shown on the printed sheet."""
    return re.search(r"/avis/([\w-]+)/", reponse.content.decode()).group(1)


def test_le_referent_cree_les_liens_et_la_fiche_montre_adresse_et_code_qr(client, cast, seance):
    client.force_login(cast.referent_a)
    page = client.get(reverse("seances:avis_liens", args=[seance.pk]))
    assert page.status_code == 200
    assert "Pas encore de lien" in page.content.decode()

    fiche = client.post(reverse("seances:avis_liens_creer", args=[seance.pk]))

    texte = fiche.content.decode()
    assert fiche.status_code == 200
    assert "Inès" in texte and "<svg" in texte and "Code QR du lien de Inès" in texte
    lien = LienAvis.objects.get(seance=seance)
    assert lien.empreinte == empreinte_jeton(_jeton(fiche))  # only the hash is kept
    assert _jeton(fiche) not in lien.empreinte
    assert lien.expire_le == MAINTENANT + service.DUREE_LIEN


def test_le_coordonnateur_cree_aussi_les_liens(client, cast, seance):
    client.force_login(cast.coordonnateur_a)
    assert client.post(reverse("seances:avis_liens_creer", args=[seance.pk])).status_code == 200
    assert LienAvis.objects.filter(seance=seance).count() == 1


@pytest.mark.parametrize("qui", ["referent_b", "sans_role"])
def test_un_autre_lp_ne_voit_ni_ne_cree_les_liens(client, cast, seance, qui):
    client.force_login(getattr(cast, qui))
    assert client.get(reverse("seances:avis_liens", args=[seance.pk])).status_code in (403, 404)
    assert client.post(reverse("seances:avis_liens_creer", args=[seance.pk])).status_code in (403, 404)
    assert not LienAvis.objects.exists()


def test_le_referent_d_un_autre_lp_recoit_404(client, cast, seance):
    client.force_login(cast.referent_b)
    assert client.get(reverse("seances:avis_liens", args=[seance.pk])).status_code == 404


def test_le_mentor_de_la_seance_la_lit_mais_ne_cree_pas_de_lien(client, cast, seance, binome):
    binome.mentor.user = cast.mentor_a
    binome.mentor.save()
    client.force_login(cast.mentor_a)
    assert client.get(reverse("seances:detail", args=[seance.pk])).status_code == 200
    assert client.post(reverse("seances:avis_liens_creer", args=[seance.pk])).status_code == 403
    assert not LienAvis.objects.exists()


def test_l_eleve_repond_sans_compte_une_seule_fois(client, seance, binome):
    (remis,) = service.liens_avis_creer(seance=seance)
    url = reverse("seances:avis_repondre", args=[remis.jeton])

    page = client.get(url)
    assert page.status_code == 200
    assert "Inès" not in page.content.decode()  # a shared phone shows no name
    merci = client.post(url, REPONSE)
    assert merci.status_code == 200 and "Merci pour ton avis" in merci.content.decode()

    avis = AvisEleve.objects.get()
    assert (avis.binome, avis.ressenti, avis.utilite, avis.continuer) == (binome, "moyen", "un_peu", "ne_sais_pas")
    assert avis.recu_le == MAINTENANT.date()
    assert client.get(url).status_code == 410
    assert client.post(url, REPONSE).status_code == 410
    assert AvisEleve.objects.count() == 1


def test_la_reponse_ne_garde_aucun_lien_avec_la_seance_ni_le_jeton():
    noms = {champ.name for champ in AvisEleve._meta.concrete_fields}
    assert noms == {"id", "binome", "recu_le", "ressenti", "utilite", "continuer"}
    assert AvisEleve._meta.get_field("recu_le").get_internal_type() == "DateField"  # the day, not the minute


def test_une_reponse_incomplete_est_refusee_a_cote_de_la_question(client, seance):
    (remis,) = service.liens_avis_creer(seance=seance)
    reponse = client.post(reverse("seances:avis_repondre", args=[remis.jeton]), {"ressenti": "bien"})
    assert reponse.status_code == 200
    assert "Ce champ est obligatoire" in reponse.content.decode()
    assert not AvisEleve.objects.exists() and LienAvis.objects.get().utilise_le is None


def test_un_lien_inconnu_repond_404_et_un_lien_expire_410(client, seance):
    (remis,) = service.liens_avis_creer(seance=seance)
    assert client.get(reverse("seances:avis_repondre", args=["inconnu"])).status_code == 404
    with time_machine.travel(MAINTENANT + service.DUREE_LIEN + datetime.timedelta(minutes=1), tick=False):
        reponse = client.get(reverse("seances:avis_repondre", args=[remis.jeton]))
    assert reponse.status_code == 410
    assert "expiré" in reponse.content.decode()


def test_refaire_les_liens_remplace_le_secret_et_epargne_les_binomes_qui_ont_repondu(cast, seance, binome):
    (ancien,) = service.liens_avis_creer(seance=seance)
    (nouveau,) = service.liens_avis_creer(seance=seance)
    with pytest.raises(LienInvalide) as erreur:
        service.lien_trouver(ancien.jeton)
    assert erreur.value.connu is False
    service.avis_enregistrer(jeton=nouveau.jeton, **REPONSE)

    assert service.liens_avis_creer(seance=seance) == []
    assert LienAvis.objects.count() == 1


def test_deux_envois_simultanes_ne_font_qu_une_reponse(seance):
    (remis,) = service.liens_avis_creer(seance=seance)
    service.avis_enregistrer(jeton=remis.jeton, **REPONSE)
    with pytest.raises(LienInvalide):
        service.avis_enregistrer(jeton=remis.jeton, **REPONSE)
    assert AvisEleve.objects.count() == 1


def test_pas_de_lien_pour_une_seance_annulee_ni_pour_un_eleve_sans_son_mentor(cast, seance, binome):
    seance.statut = StatutSeance.ANNULEE
    seance.save()
    assert service.liens_avis_creer(seance=seance) == []

    seule = SeanceFactory(dispositif=cast.dispositif_a)
    seule.participations.create(eleve=binome.eleve)
    assert service.liens_avis_creer(seance=seule) == []


def test_seance_collective_un_lien_par_binome(cast, seance):
    autre = BinomeFactory(dispositif=cast.dispositif_a, eleve__prenom="Yanis")
    seance.participations.create(eleve=autre.eleve)
    seance.participations.create(mentor=autre.mentor)
    assert {remis.binome.eleve.prenom for remis in service.liens_avis_creer(seance=seance)} == {"Inès", "Yanis"}


def test_la_reponse_n_apparait_que_sur_la_page_du_binome(client, cast, seance, binome):
    """Acceptance 2: the answer shows in the pair's health on the binôme page, and on no other page or
    export that names the student."""
    (remis,) = service.liens_avis_creer(seance=seance)
    service.avis_enregistrer(
        jeton=remis.jeton, ressenti=Ressenti.MOYEN, utilite=Utilite.UN_PEU, continuer=Continuer.NON
    )
    alertes_calculer()  # the pair enters « en risque »: the référent's alert names the student
    client.force_login(cast.referent_a)
    nom = binome.eleve.nom

    page_du_binome = client.get(reverse("binomes:binome", args=[binome.pk])).content.decode()
    assert "L’élève ne souhaite pas continuer" in page_du_binome  # the health's reason
    assert "Un peu utile" in page_du_binome  # the answer itself

    autres = [
        reverse("accueil"),
        reverse("binomes:eleve", args=[binome.eleve.pk]),
        reverse("binomes:eleves"),
        reverse("binomes:eleves_export"),
        reverse("binomes:binomes"),
        reverse("binomes:binomes_export"),
        reverse("seances:liste"),
        reverse("seances:detail", args=[seance.pk]),
        reverse("seances:avis_liens", args=[seance.pk]),
        reverse("seances:alertes"),
        reverse("rgpd:export_eleve", args=[binome.eleve.pk]),
    ]
    for chemin in autres:
        reponse = client.get(chemin)
        assert reponse.status_code == 200, chemin
        texte = b"".join(reponse.streaming_content).decode() if reponse.streaming else reponse.content.decode()
        assert nom in texte, chemin  # the page names the student…
        for marque in ("Un peu utile", "Moyennement", "ne souhaite pas continuer"):
            assert marque not in texte, (chemin, marque)  # … and shows nothing of their answer
