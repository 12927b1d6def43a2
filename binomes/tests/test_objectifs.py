"""The objectives of a binôme: chosen from the cadrage or free, five at most, shown on the binôme's page."""

import datetime
import importlib

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from binomes import objectifs as service
from binomes import services
from binomes.models import OBJECTIFS_MAX, ObjectifBinome, OrigineObjectif, StatutObjectif
from binomes.tests.factories import BinomeFactory, EleveFactory, MentorFactory, ObjectifBinomeFactory
from etablissements.tests.factories import AffectationFactory, VersionCadrageFactory

pytestmark = pytest.mark.django_db
MAINTENANT = datetime.datetime(2027, 1, 12, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def temps():
    with time_machine.travel(MAINTENANT, tick=False):
        yield


@pytest.fixture
def binome(cast):
    return BinomeFactory(dispositif=cast.dispositif_a, mentor__user=cast.mentor_a)


def test_les_objectifs_du_cadrage_valide_se_proposent_un_par_phrase(cast):
    VersionCadrageFactory(dispositif=cast.dispositif_a, objectifs="Brouillon ancien.")
    VersionCadrageFactory(
        dispositif=cast.dispositif_a,
        statut="validee",
        objectifs="Réussir les PFMP. Prendre confiance à l’oral ;\n- Découvrir les métiers de la maintenance",
    )
    VersionCadrageFactory(dispositif=cast.dispositif_a, objectifs="Un brouillon plus récent, pas encore validé.")
    assert service.objectifs_du_cadrage(cast.dispositif_a) == [
        "Réussir les PFMP",
        "Prendre confiance à l’oral",
        "Découvrir les métiers de la maintenance",
    ]


def test_le_referent_reprend_un_objectif_du_cadrage_puis_en_ecrit_un_libre(client, cast, binome):
    VersionCadrageFactory(dispositif=cast.dispositif_a, statut="validee", objectifs="Réussir les PFMP.")
    client.force_login(cast.referent_a)
    url = reverse("binomes:objectif_nouveau", args=[binome.pk])
    assert "Réussir les PFMP" in client.get(url).content.decode()
    assert client.post(url, {"du_cadrage": "0", "libelle": ""}).status_code == 302
    assert client.post(url, {"du_cadrage": "", "libelle": "Préparer l’entretien de stage"}).status_code == 302
    assert list(binome.objectifs_suivis.values_list("libelle", "origine", "ordre", "fixe_le")) == [
        ("Réussir les PFMP", OrigineObjectif.CADRAGE, 0, MAINTENANT.date()),
        ("Préparer l’entretien de stage", OrigineObjectif.LIBRE, 1, MAINTENANT.date()),
    ]
    page = client.get(reverse("binomes:binome", args=[binome.pk])).content.decode()
    assert "Réussir les PFMP" in page and "objectif du document de cadrage" in page


def test_ni_les_deux_ni_aucun(client, cast, binome):
    VersionCadrageFactory(dispositif=cast.dispositif_a, statut="validee", objectifs="Réussir les PFMP.")
    client.force_login(cast.referent_a)
    url = reverse("binomes:objectif_nouveau", args=[binome.pk])
    assert "pas les deux" in client.post(url, {"du_cadrage": "0", "libelle": "Autre"}).content.decode()
    assert "Choisissez un objectif" in client.post(url, {"du_cadrage": "", "libelle": " "}).content.decode()
    assert not binome.objectifs_suivis.exists()


def test_cinq_objectifs_au_plus_avec_un_message_en_francais(client, cast, binome):
    for _ in range(OBJECTIFS_MAX):
        service.objectif_ajouter(binome=binome, libelle="Un objectif")
    client.force_login(cast.referent_a)
    reponse = client.post(reverse("binomes:objectif_nouveau", args=[binome.pk]), {"libelle": "Un de trop"})
    assert reponse.status_code == 200
    assert f"Un binôme suit au plus {OBJECTIFS_MAX} objectifs" in reponse.content.decode()
    assert binome.objectifs_suivis.count() == OBJECTIFS_MAX
    # An abandoned objective frees its place; taking it back needs one again.
    premier = binome.objectifs_suivis.first()
    service.objectif_modifier(objectif=premier, libelle=premier.libelle, statut=StatutObjectif.ABANDONNE)
    nouveau = service.objectif_ajouter(binome=binome, libelle="Enfin la place")
    with pytest.raises(ValidationError, match="au plus"):
        service.objectif_modifier(objectif=premier, libelle=premier.libelle, statut=StatutObjectif.EN_COURS)
    assert nouveau.ordre == OBJECTIFS_MAX


def test_modifier_le_statut_date_le_changement(client, cast, binome):
    objectif = ObjectifBinomeFactory(binome=binome)
    client.force_login(cast.referent_a)
    url = reverse("binomes:objectif_modifier", args=[objectif.pk])
    assert client.post(url, {"libelle": "Trouver un stage", "statut": "atteint"}).status_code == 302
    objectif.refresh_from_db()
    assert (objectif.libelle, objectif.statut, objectif.statut_le) == ("Trouver un stage", "atteint", MAINTENANT.date())
    client.post(url, {"libelle": "Trouver un stage", "statut": "en_cours"})
    objectif.refresh_from_db()
    assert objectif.statut_le is None


def test_la_creation_du_binome_cree_un_objectif_par_ligne(cast):
    eleve = EleveFactory(etablissement=cast.lp_a)
    mentor = MentorFactory(etablissement=cast.lp_a, verifie=True)
    binome = services.binome_creer(
        dispositif=cast.dispositif_a, mentor=mentor, eleve=eleve, objectifs="Stage\n\n- Oral\n"
    )
    assert list(binome.objectifs_suivis.values_list("libelle", flat=True)) == ["Stage", "Oral"]
    assert binome.objectifs == ""
    with pytest.raises(ValidationError, match="au plus"):
        services.binome_creer(
            dispositif=cast.dispositif_a,
            mentor=mentor,
            eleve=EleveFactory(etablissement=cast.lp_a),
            objectifs="\n".join(f"Objectif {i}" for i in range(OBJECTIFS_MAX + 1)),
        )


def test_lecture_seule_et_autres_lp(client, cast, binome):
    objectif = ObjectifBinomeFactory(binome=binome)
    nouveau = reverse("binomes:objectif_nouveau", args=[binome.pk])
    modifier = reverse("binomes:objectif_modifier", args=[objectif.pk])
    client.force_login(cast.referent_b)
    assert client.get(nouveau).status_code == 404 and client.get(modifier).status_code == 404
    client.force_login(cast.chef_a)
    assert client.get(nouveau).status_code == 403 and client.post(modifier, {"libelle": "x"}).status_code == 403
    # The binôme's mentor reads the objectives on the pair's page; another mentor of the LP gets a 404.
    client.force_login(cast.mentor_a)
    assert objectif.libelle in client.get(reverse("binomes:binome", args=[binome.pk])).content.decode()
    assert client.get(modifier).status_code == 403
    autre = AffectationFactory(role="mentor", etablissement=cast.lp_a).user
    client.force_login(autre)
    assert client.get(reverse("binomes:binome", args=[binome.pk])).status_code == 404
    assert client.get(modifier).status_code == 404


def test_migration_une_ligne_un_objectif(cast):
    binome = BinomeFactory(dispositif=cast.dispositif_a, objectifs="Trouver un stage\n\n• Parler en public\n")
    sans = BinomeFactory(dispositif=cast.dispositif_a, objectifs="")
    migration = importlib.import_module("binomes.migrations.0014_objectifs_repris_du_texte")
    migration.reprendre(django_apps, None)
    assert list(binome.objectifs_suivis.values_list("libelle", "ordre", "fixe_le")) == [
        ("Trouver un stage", 0, binome.date_debut),
        ("Parler en public", 1, binome.date_debut),
    ]
    binome.refresh_from_db()
    assert binome.objectifs == "" and not ObjectifBinome.objects.filter(binome=sans).exists()


def test_le_formulaire_du_binome_refuse_plus_de_cinq_objectifs_pres_du_champ(client, cast):
    eleve = EleveFactory(etablissement=cast.lp_a)
    mentor = MentorFactory(etablissement=cast.lp_a, verifie=True)
    client.force_login(cast.referent_a)
    reponse = client.post(
        reverse("binomes:binome_nouveau"),
        {"mentor": mentor.pk, "eleve": eleve.pk, "objectifs": "\n".join(f"Objectif {i}" for i in range(6))},
    )
    assert reponse.status_code == 200
    assert "objectifs" in reponse.context["form"].errors
    assert not eleve.binomes.exists()
