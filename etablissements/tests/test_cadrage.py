"""Document de cadrage: versions, submission, validation by the chef, freeze, history, PDF (acceptance 4)."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from pypdf import PdfReader

from etablissements import services
from etablissements.models import VersionCadrage
from etablissements.models.cadrage import StatutCadrage
from etablissements.models.historique import ActionHistorique
from etablissements.tests.factories import ComiteFactory, VersionCadrageFactory

pytestmark = pytest.mark.django_db

DONNEES = {
    "objectifs": "Aider les élèves à décrocher un stage.",
    "public_cible": "Élèves volontaires de première.",
    "duree_mois": "8",
    "duree_precisions": "D’octobre à mai",
    "indicateurs": ["filles_garcons", "insertion"],
    "autres_indicateurs": "",
    "activites": ["entretiens", "atelier_cv"],
    "activites_precisions": "Un atelier CV par trimestre.",
    "comites-TOTAL_FORMS": "2",
    "comites-INITIAL_FORMS": "0",
    "comites-0-nom": "Comité de pilotage",
    "comites-0-membres": "Chef d’établissement, référent, association",
    "comites-0-frequence": "Une fois par trimestre",
    "comites-1-nom": "",
    "comites-1-membres": "",
    "comites-1-frequence": "",
}


def nouvelle_version(client, dispositif):
    reponse = client.post(reverse("etablissements:cadrage_nouvelle_version", args=[dispositif.pk]))
    assert reponse.status_code == 302
    return dispositif.versions_cadrage.order_by("-numero").first()


def test_redaction_soumission_validation_et_gel(client, cast):
    d = cast.dispositif_a
    client.force_login(cast.referent_a)
    v1 = nouvelle_version(client, d)
    assert (v1.numero, v1.statut) == (1, StatutCadrage.BROUILLON)
    # Opening the draft twice gives the same draft.
    assert nouvelle_version(client, d) == v1

    url = reverse("etablissements:cadrage_modifier", args=[v1.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, DONNEES).status_code == 302
    v1.refresh_from_db()
    assert v1.objectifs == DONNEES["objectifs"] and v1.duree_mois == 8
    assert v1.indicateurs == ["filles_garcons", "insertion"]
    assert list(v1.comites.values_list("nom", "frequence")) == [("Comité de pilotage", "Une fois par trimestre")]

    assert client.post(reverse("etablissements:cadrage_soumettre", args=[v1.pk])).status_code == 302
    v1.refresh_from_db()
    assert v1.statut == StatutCadrage.SOUMISE

    client.force_login(cast.chef_a)
    page = client.get(v1.get_absolute_url()).content.decode()
    assert "Valider cette version" in page
    assert client.post(reverse("etablissements:cadrage_valider", args=[v1.pk])).status_code == 302
    v1.refresh_from_db()
    assert (v1.statut, v1.validee_par) == (StatutCadrage.VALIDEE, cast.chef_a)

    # Frozen: neither the form nor a direct POST nor the service changes it.
    client.force_login(cast.referent_a)
    assert client.get(url).status_code == 403
    assert client.post(url, {**DONNEES, "objectifs": "Changé"}).status_code == 403
    with pytest.raises(services.CadrageFige):
        services.cadrage_modifier(version=v1, valeurs={"objectifs": "Changé"}, comites=[], auteur=cast.referent_a)
    v1.refresh_from_db()
    assert v1.objectifs == DONNEES["objectifs"]

    # Changing it makes version 2, a draft copy with its committees; version 1 stays in force.
    v2 = nouvelle_version(client, d)
    assert (v2.numero, v2.statut, v2.objectifs) == (2, StatutCadrage.BROUILLON, DONNEES["objectifs"])
    assert v2.comites.count() == 1
    page = client.get(reverse("etablissements:cadrage", args=[d.pk])).content.decode()
    assert "Version 1 en vigueur" in page

    # History: who did what.
    actions = list(v1.modifications.order_by("pk").values_list("action", "auteur"))
    assert actions == [
        (ActionHistorique.CREATION, cast.referent_a.pk),
        (ActionHistorique.MODIFICATION, cast.referent_a.pk),
        (ActionHistorique.SOUMISSION, cast.referent_a.pk),
        (ActionHistorique.VALIDATION, cast.chef_a.pk),
    ]
    champs = {c["champ"] for c in v1.modifications.get(action=ActionHistorique.MODIFICATION).changements}
    assert {"objectifs du dispositif", "indicateurs de suivi", "Comitologie"} <= champs
    page = client.get(v1.get_absolute_url()).content.decode()
    assert "Historique des modifications" in page and "Validation" in page and str(cast.chef_a) in page


def test_modifier_une_version_soumise_la_remet_en_brouillon(client, cast):
    v = VersionCadrageFactory(dispositif=cast.dispositif_a, soumise=True)
    client.force_login(cast.referent_a)
    assert client.post(reverse("etablissements:cadrage_modifier", args=[v.pk]), DONNEES).status_code == 302
    v.refresh_from_db()
    assert v.statut == StatutCadrage.BROUILLON
    client.force_login(cast.chef_a)
    client.post(reverse("etablissements:cadrage_valider", args=[v.pk]))
    v.refresh_from_db()
    assert v.statut == StatutCadrage.BROUILLON  # a draft cannot be validated


def test_soumission_refusee_si_incomplet(client, cast):
    v = VersionCadrageFactory(dispositif=cast.dispositif_a, objectifs="", duree_mois=None)
    client.force_login(cast.referent_a)
    reponse = client.post(reverse("etablissements:cadrage_soumettre", args=[v.pk]), follow=True)
    assert "complétez les objectifs, la durée du mentorat" in reponse.content.decode()
    v.refresh_from_db()
    assert v.statut == StatutCadrage.BROUILLON


def test_saisie_invalide_ne_change_rien(client, cast):
    v = VersionCadrageFactory(dispositif=cast.dispositif_a)
    client.force_login(cast.referent_a)
    reponse = client.post(
        reverse("etablissements:cadrage_modifier", args=[v.pk]),
        {**DONNEES, "duree_mois": "-3", "indicateurs": ["inconnu"], "comites-0-membres": ""},
    )
    assert reponse.status_code == 200
    v.refresh_from_db()
    assert v.duree_mois == 8 and not v.comites.exists() and not v.modifications.exists()


def _pdf(client, version):
    reponse = client.get(reverse("etablissements:cadrage_pdf", args=[version.pk]))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    return reponse.content


def test_pdf_de_la_version_validee_contient_chaque_section_et_est_balise(client, cast):
    v = VersionCadrageFactory(
        dispositif=cast.dispositif_a,
        validee=True,
        validee_par=cast.chef_a,
        objectifs="Favoriser l’insertion professionnelle des élèves.",
        public_cible="Élèves volontaires de première bac pro MELEC.",
        duree_mois=7,
        duree_precisions="Au moins six mois",
        indicateurs=["absenteisme", "satisfaction"],
        autres_indicateurs="Nombre de stages trouvés",
        activites=["visites", "co_intervention"],
        activites_precisions="Deux visites d’entreprise.",
    )
    ComiteFactory(version=v, nom="Comité de pilotage", membres="Chef, référent, association", frequence="Trimestrielle")
    client.force_login(cast.cpe_a)  # any reader of the programme may download it
    contenu = _pdf(client, v)
    lecteur = PdfReader(io.BytesIO(contenu))
    texte = " ".join(" ".join((p.extract_text() or "").split()) for p in lecteur.pages)
    for attendu in [
        "Document de cadrage du dispositif de mentorat",
        cast.lp_a.nom,
        cast.dispositif_a.annee_scolaire,
        "Objectifs du dispositif",
        "Favoriser l’insertion professionnelle des élèves.",
        "Public ciblé",
        "Élèves volontaires de première bac pro MELEC.",
        "Durée du mentorat",
        "7 mois",
        "Comitologie",
        "Comité de pilotage",
        "Trimestrielle",
        "Indicateurs de suivi",
        "Taux d’absentéisme",
        "Nombre de stages trouvés",
        "Activités prévues",
        "Visites d’entreprise",
        "Deux visites d’entreprise.",
    ]:
        assert attendu in texte, attendu
    catalogue = lecteur.trailer["/Root"]
    assert catalogue["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalogue
    assert catalogue["/Lang"] == "fr"
    assert lecteur.metadata.title.startswith("Document de cadrage du dispositif de mentorat")
    polices = {
        str(police["/BaseFont"])
        for page in lecteur.pages
        for police in (page["/Resources"]["/Font"].get_object().values())
    }
    assert any("Marianne" in nom for nom in polices), polices


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="pdfinfo (poppler-utils) absent")
def test_pdfinfo_dit_balise(client, cast, tmp_path):
    v = VersionCadrageFactory(dispositif=cast.dispositif_a, validee=True)
    client.force_login(cast.referent_a)
    fichier = tmp_path / "cadrage.pdf"
    fichier.write_bytes(_pdf(client, v))
    sortie = subprocess.run(["pdfinfo", str(fichier)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in sortie


def test_pas_de_pdf_pour_une_version_non_validee(client, cast):
    v = VersionCadrageFactory(dispositif=cast.dispositif_a, soumise=True)
    client.force_login(cast.referent_a)
    assert client.get(reverse("etablissements:cadrage_pdf", args=[v.pk])).status_code == 404


def test_versions_numerotees_par_dispositif(cast):
    v1 = services.cadrage_nouvelle_version(dispositif=cast.dispositif_a, auteur=cast.referent_a)
    VersionCadrage.objects.filter(pk=v1.pk).update(statut=StatutCadrage.VALIDEE)
    v2 = services.cadrage_nouvelle_version(dispositif=cast.dispositif_a, auteur=cast.referent_a)
    autre = services.cadrage_nouvelle_version(dispositif=cast.dispositif_b, auteur=cast.referent_b)
    assert (v1.numero, v2.numero, autre.numero) == (1, 2, 1)


def test_le_telechargement_du_pdf_est_journalise(client, cast):
    from socle.models import JournalAcces

    v = VersionCadrageFactory(dispositif=cast.dispositif_a, validee=True, validee_par=cast.chef_a)
    client.force_login(cast.chef_a)
    _pdf(client, v)
    entree = JournalAcces.objects.get()
    assert (entree.user, entree.action, entree.etablissement_id) == (cast.chef_a, "telechargement", cast.lp_a.pk)
    assert "Document de cadrage" in entree.objet
