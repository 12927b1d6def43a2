"""CSV import of mentors: read like the SIECLE import (encodings, separators, size, hostile files),
every bad row reported with its line and column, nothing written unless all rows are valid, then
a confirmed preview creates every mentor (one honorabilité per person) and invites them."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from binomes import mentors as service
from binomes.models import Honorabilite, ImportMentors, Mentor
from binomes.tests.factories import MentorFactory
from etablissements.models import Entreprise, Invitation
from socle.roles import Role

IMPORT = reverse("binomes:import_mentors")
ENTETE = "Nom;Prénom;Courriel;Téléphone;Entreprise;Métier;Secteur;Capacité;Disponibilités\n"

pytestmark = pytest.mark.django_db


def deposer(client, user, contenu: bytes, nom="mentors.csv"):
    client.force_login(user)
    return client.post(IMPORT, {"fichier": SimpleUploadedFile(nom, contenu, content_type="text/csv")})


def erreurs(reponse):
    return [(e.ligne, e.champ, e.raison) for e in reponse.context["erreurs"]]


def test_fichier_cp1252_accents_apercu_puis_confirmation(client, cast):
    contenu = (
        ENTETE
        + "Lefèvre;Hélène;helene.lefevre@exemple.fr;0601020304;Électricité Générale;Électricienne;BTP;3;"
        + "mardi après-midi\n"
        + "Dubœuf;Jérôme;JEROME@exemple.fr;;;Cuisinier;Hôtellerie;;\n"
    ).encode("cp1252")
    reponse = deposer(client, cast.coordonnateur_a, contenu)
    assert reponse.status_code == 302, reponse.context and erreurs(reponse)
    assert not Mentor.objects.exists()  # nothing before confirmation
    apercu = client.get(reponse["Location"])
    page = apercu.content.decode()
    assert "Lefèvre" in page and "Hélène" in page and "Dubœuf" in page and "Électricienne" in page
    assert "Confirmer l’import" in page and "Envoyer les invitations" in page

    fin = client.post(reponse["Location"], {"envoyer_invitations": "on"}, follow=True)
    assert "2 mentors créés, 0 déjà enregistré, 2 invitations envoyées" in fin.content.decode()
    helene = Mentor.objects.get(nom="Lefèvre")
    assert (helene.prenom, helene.capacite, helene.disponibilites) == ("Hélène", 3, "mardi après-midi")
    assert helene.entreprise == Entreprise.objects.get(etablissement=cast.lp_a, nom="Électricité Générale")
    assert Mentor.objects.get(nom="Dubœuf").capacite == 1  # empty capacity: one student
    assert sorted(m.to[0] for m in mail.outbox) == ["helene.lefevre@exemple.fr", "jerome@exemple.fr"]
    assert set(Invitation.objects.values_list("role", flat=True)) == {Role.MENTOR}
    assert Honorabilite.objects.count() == 2
    # The kept rows are gone once applied; a second confirmation changes nothing.
    kept = ImportMentors.objects.get()
    assert kept.lignes == [] and kept.applique_le
    client.post(reverse("binomes:import_mentors_apercu", args=[kept.pk]), {"envoyer_invitations": "on"})
    assert Mentor.objects.count() == 2 and len(mail.outbox) == 2


def test_bom_virgules_et_entetes_sans_casse_ni_accents(client, cast):
    contenu = "\ufeffNOM,prenom,E-mail,METIER,capacite\nMartin,Paul,paul@exemple.fr,Plombier,2\n".encode()
    reponse = deposer(client, cast.referent_a, contenu)
    assert reponse.status_code == 302
    client.post(reponse["Location"], {})  # invitations unticked
    mentor = Mentor.objects.get()
    assert (mentor.nom, mentor.prenom, mentor.email, mentor.metier) == ("Martin", "Paul", "paul@exemple.fr", "Plombier")
    assert not mail.outbox and not Invitation.objects.exists()


def test_personne_deja_mentor_ailleurs_garde_sa_verification(client, cast):
    ailleurs = MentorFactory(etablissement=cast.lp_b, email="paul@exemple.fr", verifie=True)
    reponse = deposer(client, cast.coordonnateur_a, (ENTETE + "Martin;Paul;Paul@Exemple.fr;;;;;2;\n").encode())
    client.post(reponse["Location"], {})
    assert Mentor.objects.get(etablissement=cast.lp_a).honorabilite == ailleurs.honorabilite


def test_toutes_les_erreurs_avec_ligne_et_colonne_et_rien_d_ecrit(client, cast):
    contenu = (
        ENTETE
        + "Martin;Paul;pas-une-adresse;;;;;2;\n"
        + "Durand;Léa;lea@exemple.fr;;;;;0;\n"
        + "Petit;Marc;marc@exemple.fr;;;;;11;\n"
        + "Roux;Anne;anne@exemple.fr;;;;;abc;\n"
        + ";Zoé;zoe@exemple.fr;;;;;1;\n"
        + "Doublon;Léa;LEA@exemple.fr;;;;;1;\n"
    ).encode()
    reponse = deposer(client, cast.coordonnateur_a, contenu)
    assert reponse.status_code == 200
    assert erreurs(reponse) == [
        ("ligne 2", "Courriel", "« pas-une-adresse » n’est pas une adresse électronique valide."),
        ("ligne 3", "Capacité", "« 0 » : un nombre d’élèves de 1 à 10."),
        ("ligne 4", "Capacité", "« 11 » : un nombre d’élèves de 1 à 10."),
        ("ligne 5", "Capacité", "« abc » : un nombre d’élèves de 1 à 10."),
        ("ligne 6", "Nom", "Valeur obligatoire manquante."),
        ("ligne 7", "Courriel", "Cette adresse figure déjà à la ligne 3."),
    ]
    page = reponse.content.decode()
    assert "6 erreurs : rien n’a été importé" in page and "ligne 7" in page
    assert not ImportMentors.objects.exists() and not Mentor.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    "contenu,message",
    [
        (b"", "est vide."),
        (b"  \r\n \n", "Le fichier est vide."),
        (
            "Nom;Prénom;Métier\nMartin;Paul;Plombier\n".encode(),
            "Colonnes obligatoires absentes de la première ligne : Courriel.",
        ),
        (bytes(range(256)) * 40, "Colonnes obligatoires absentes de la première ligne : Nom, Prénom, Courriel."),
        (b"\x89PNG\r\n\x1a\n" + b"\x00\xff" * 500, "Colonnes obligatoires absentes"),
        (ENTETE.encode(), "Le fichier ne contient aucun mentor."),
    ],
    ids=["vide", "blanc", "colonne-manquante", "binaire", "image", "entete-seule"],
)
def test_fichiers_refuses_en_entier(client, cast, contenu, message):
    reponse = deposer(client, cast.coordonnateur_a, contenu)
    assert reponse.status_code == 200
    assert message in " ".join(reponse.context["form"].errors["fichier"])
    assert not ImportMentors.objects.exists() and not Mentor.objects.exists()


def test_fichier_trop_gros_refuse_avant_lecture(client, cast):
    contenu = ENTETE.encode() + b"x" * (10 * 1024 * 1024)
    reponse = deposer(client, cast.coordonnateur_a, contenu)
    assert "dépasse la taille maximale (10 Mo)" in " ".join(reponse.context["form"].errors["fichier"])
    assert not ImportMentors.objects.exists()


def test_trop_de_lignes_refuse(client, cast, monkeypatch):
    monkeypatch.setattr(service, "MENTORS_MAX", 3)
    lignes = "".join(f"N{i};P{i};m{i}@exemple.fr;;;;;1;\n" for i in range(4))
    reponse = deposer(client, cast.coordonnateur_a, (ENTETE + lignes).encode())
    assert "plus de 3 mentors" in " ".join(reponse.context["form"].errors["fichier"])


def test_droits(client, cast):
    client.force_login(cast.cpe_a)
    assert client.get(IMPORT).status_code == 403
    assert "Importer des mentors" not in client.get(reverse("binomes:mentors")).content.decode()
    client.force_login(cast.coordonnateur_a)
    assert "Importer des mentors" in client.get(reverse("binomes:mentors")).content.decode()
