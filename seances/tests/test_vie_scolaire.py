"""Absences from the vie scolaire: the export's import and the daily list (issue 16, acceptance 3).

The story: Nadia mentors Léa Dupré. The CPE of the LP imports the day's absence export; Léa is
absent on the day of their planned séance, so the séance notes her absent and Nadia gets one
email — one only, whatever the number of times the file (or an overlapping one) is imported.
"""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from binomes.tableur import TAILLE_MAX, FichierRefuse
from binomes.tests.factories import BinomeFactory, EleveFactory, MentorFactory
from etablissements.tests.factories import AffectationFactory
from seances import vie_scolaire
from seances.models import (
    CorrespondanceAbsences,
    DeclarationAbsence,
    ImportAbsences,
    Notification,
    Participation,
    Presence,
)
from seances.tasks import envoyer_notifications
from seances.tests.factories import SeanceFactory
from tests.outils import requetes_constantes

JOUR = datetime.date(2026, 12, 10)  # the planned séance's day (SeanceFactory's `prevue` trait)
ENTETES = ["Nom", "Prénom", "INE", "Date de naissance", "Classe", "Date", "Heure début", "Heure fin", "Justifiée"]


def fichier(lignes, *, entetes=ENTETES, encodage="utf-8", separateur=";", bom=False) -> bytes:
    texte = "\r\n".join(separateur.join(ligne) for ligne in [entetes, *lignes]) + "\r\n"
    donnees = texte.encode(encodage)
    return (b"\xef\xbb\xbf" + donnees) if bom else donnees


@pytest.fixture
def lea(cast, binome_a):
    eleve = binome_a.eleve
    eleve.nom, eleve.prenom, eleve.ine, eleve.sexe = "Dupré", "Léa", "123456789AB", "F"
    eleve.date_naissance = datetime.date(2009, 4, 2)
    eleve.save()
    return eleve


@pytest.fixture
def seance(cast, binome_a, lea):
    return SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a, prevue=True, heure=datetime.time(14, 0))


def ligne_lea(*, date="10/12/2026", debut="08:00", fin="17:00", justifiee="Non", ine="123456789AB"):
    return ["Dupré", "Léa", ine, "02/04/2009", "1MELEC", date, debut, fin, justifiee]


def importer(cast, contenu, *, user=None):
    kept = vie_scolaire.import_lire(
        etablissement=cast.lp_a, nom_fichier="absences.csv", contenu=contenu, user=user or cast.cpe_a
    )
    return vie_scolaire.import_appliquer(import_absences=kept, auteur=user or cast.cpe_a)


def participation_de(seance, eleve):
    return Participation.objects.get(seance=seance, eleve=eleve)


# --- Encodings and separators, as for SIECLE ---------------------------------------------------

FICHIERS = {
    "utf-8": lambda lignes: fichier(lignes),
    "utf-8-bom": lambda lignes: fichier(lignes, bom=True),
    "cp1252": lambda lignes: fichier(lignes, encodage="cp1252"),
    "latin-1": lambda lignes: fichier(lignes, encodage="iso-8859-1"),
    "virgule": lambda lignes: fichier(lignes, separateur=",", encodage="cp1252"),
    "tabulation": lambda lignes: fichier(lignes, separateur="\t", bom=True),
}


@pytest.mark.parametrize("cle", sorted(FICHIERS))
def test_chaque_encodage_note_l_absence_et_previent_le_mentor(
    cast, seance, lea, cle, mailoutbox, django_capture_on_commit_callbacks
):
    # Matched by name only (no INE in the row): the accents must survive the encoding.
    with django_capture_on_commit_callbacks(execute=True):
        resultat = importer(cast, FICHIERS[cle]([ligne_lea(ine="")]))
    assert resultat == {"lignes": 1, "inconnus": 0, "absences": 1, "alertes": 1}
    assert participation_de(seance, lea).presence == Presence.ABSENT_NON_EXCUSE
    envoyer_notifications.apply(args=[None])
    assert [m.to for m in mailoutbox] == [["nadia@entreprise.fr"]]


def test_absence_justifiee_excusee_sinon_non_excusee(cast, seance, lea):
    importer(cast, fichier([ligne_lea(justifiee="Oui")]))
    assert participation_de(seance, lea).presence == Presence.ABSENT_EXCUSE
    assert DeclarationAbsence.objects.get().declaree_par == cast.cpe_a


# --- Exactly once ----------------------------------------------------------------------------


def test_le_meme_fichier_importe_deux_fois_previent_le_mentor_une_seule_fois(
    cast, seance, lea, mailoutbox, django_capture_on_commit_callbacks
):
    contenu = fichier([ligne_lea()])
    with django_capture_on_commit_callbacks(execute=True):
        premier = importer(cast, contenu)
        second = importer(cast, contenu)
        # An overlapping file (the afternoon's export repeats the morning's absence).
        chevauchant = importer(cast, fichier([ligne_lea(debut="13:00", fin="18:00", justifiee="Oui")]))
    envoyer_notifications.apply(args=[None])
    envoyer_notifications.apply(args=[None])
    assert (premier["alertes"], second["alertes"], chevauchant["alertes"]) == (1, 0, 0)
    assert Notification.objects.count() == 1
    assert len(mailoutbox) == 1
    # The first word stays: the later file does not turn the absence into an excused one.
    assert participation_de(seance, lea).presence == Presence.ABSENT_NON_EXCUSE


def test_un_import_conserve_ne_s_applique_qu_une_fois(cast, seance, lea):
    kept = vie_scolaire.import_lire(
        etablissement=cast.lp_a, nom_fichier="a.csv", contenu=fichier([ligne_lea()]), user=cast.cpe_a
    )
    vie_scolaire.import_appliquer(import_absences=kept, auteur=cast.cpe_a)
    with pytest.raises(Exception, match="déjà été appliqué"):
        vie_scolaire.import_appliquer(import_absences=kept, auteur=cast.cpe_a)
    kept.refresh_from_db()
    assert kept.lignes == [] and kept.resultat["absences"] == 1


# --- All or nothing --------------------------------------------------------------------------


def test_une_ligne_fausse_n_ecrit_rien_et_l_erreur_nomme_la_ligne(cast, seance, lea):
    kept = vie_scolaire.import_lire(
        etablissement=cast.lp_a,
        nom_fichier="a.csv",
        contenu=fichier([ligne_lea(), ligne_lea(date="31/02/2026"), ligne_lea(debut="25h99")]),
        user=cast.cpe_a,
    )
    analyse = vie_scolaire.analyser(
        etablissement=cast.lp_a, lignes=kept.lignes, colonnes=vie_scolaire.colonnes_de(kept)
    )
    assert [(e.ligne, e.champ) for e in analyse.erreurs] == [
        ("ligne 3", "Date de l’absence"),
        ("ligne 4", "Heure de début"),
    ]
    with pytest.raises(Exception, match="rien n’a été enregistré"):
        vie_scolaire.import_appliquer(import_absences=kept, auteur=cast.cpe_a)
    assert participation_de(seance, lea).presence == Presence.ATTENDU
    assert not DeclarationAbsence.objects.exists() and not Notification.objects.exists()


# --- Matching --------------------------------------------------------------------------------


def test_ine_d_abord_puis_nom_et_date_de_naissance_et_inconnus_listes(cast, seance, lea):
    homonyme = EleveFactory(
        etablissement=cast.lp_a, nom="DUPRE", prenom="Lea", date_naissance=datetime.date(2010, 1, 1)
    )
    lignes = [
        ligne_lea(),  # by INE
        ["dupre", "LEA", "", "01/01/2010", "", "10/12/2026", "", "", ""],  # the namesake, by birth date
        ["Martin", "Zoé", "", "", "", "10/12/2026", "", "", ""],  # unknown
        ["Dupré", "Léa", "", "", "", "10/12/2026", "", "", ""],  # two Léa Dupré: unknown
        ['=HYPERLINK("http://x")', "@SOMME(A1)", "+1", "", "", "10/12/2026", "", "", ""],  # formula: just text
    ]
    kept = vie_scolaire.import_lire(etablissement=cast.lp_a, nom_fichier="a.csv", contenu=fichier(lignes), user=None)
    analyse = vie_scolaire.analyser(
        etablissement=cast.lp_a, lignes=kept.lignes, colonnes=vie_scolaire.colonnes_de(kept)
    )
    assert not analyse.erreurs
    assert [a.eleve for a in analyse.absences] == [lea, homonyme]
    assert [(ligne, raison) for ligne, _qui, raison in analyse.inconnus] == [
        ("ligne 4", "Aucun élève du lycée ne correspond."),
        ("ligne 5", "Plusieurs élèves du lycée portent ce nom."),
        ("ligne 6", "Aucun élève du lycée ne correspond."),
    ]


def test_nom_et_prenom_dans_une_seule_colonne(cast, seance, lea):
    CorrespondanceAbsences.objects.create(
        etablissement=cast.lp_a, colonnes={"nom": "eleve", "prenom": "eleve", "date": "date"}
    )
    lignes = [["DUPRÉ Léa", "10/12/2026"], ["Léa Dupré", "10/12/2026"], ["Dupré", "10/12/2026"]]
    kept = vie_scolaire.import_lire(
        etablissement=cast.lp_a, nom_fichier="a.csv", contenu=fichier(lignes, entetes=["Élève", "Date"]), user=None
    )
    analyse = vie_scolaire.analyser(
        etablissement=cast.lp_a, lignes=kept.lignes, colonnes=vie_scolaire.colonnes_de(kept)
    )
    assert [a.eleve for a in analyse.absences] == [lea, lea]
    assert analyse.inconnus == [("ligne 4", "Dupré", "Aucun élève du lycée ne correspond.")]


def test_un_eleve_d_un_autre_lp_n_est_pas_reconnu(cast, seance):
    EleveFactory(etablissement=cast.lp_b, ine="999999999ZZ", nom="Autre", prenom="Lycée")
    resultat = importer(cast, fichier([["Autre", "Lycée", "999999999ZZ", "", "", "10/12/2026", "", "", ""]]))
    assert resultat["inconnus"] == 1 and resultat["absences"] == 0


@pytest.mark.parametrize(
    ("debut", "fin", "marquee"),
    [
        ("08:00", "12:00", False),  # the morning: the 14:00 séance is not missed
        ("13:00", "15:00", True),
        ("14h30", "16h", True),  # part of the séance
        ("14:45", "", True),  # from 14:45 to the end of the day
        ("", "", True),  # the whole day
        ("15:00", "17:00", False),  # after the séance (14:00 + 60 minutes)
    ],
)
def test_seule_une_absence_qui_couvre_la_seance_la_marque(cast, seance, lea, debut, fin, marquee):
    importer(cast, fichier([ligne_lea(debut=debut, fin=fin)]))
    assert (participation_de(seance, lea).presence != Presence.ATTENDU) is marquee


def test_une_date_et_heure_dans_une_seule_colonne(cast, seance, lea):
    entetes = ["INE", "Du", "Au", "Justifié"]
    importer(cast, fichier([["123456789AB", "10/12/2026 13:30", "10/12/2026 17:30", "O"]], entetes=entetes))
    assert participation_de(seance, lea).presence == Presence.ABSENT_EXCUSE


def test_un_autre_jour_ou_une_seance_tenue_ne_sont_pas_touches(cast, binome_a, seance, lea):
    tenue = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a, date=JOUR + datetime.timedelta(days=1))
    resultat = importer(cast, fichier([ligne_lea(date="11/12/2026"), ligne_lea(date="09/12/2026")]))
    assert resultat["absences"] == 0
    assert participation_de(seance, lea).presence == Presence.ATTENDU
    assert participation_de(tenue, lea).presence == Presence.PRESENT


# --- Hostile files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        (b"", "vide"),
        (b"  \r\n ", "vide"),
        (b"PK\x03\x04\x14\x00\x06\x00binaire", "pas un fichier texte"),
        (b"%PDF-1.4\n\x00\x01\x02", "pas un fichier texte"),
        (b"Nom;Pr\xe9nom;Date\r\n", "aucune absence"),
        (b";;;\r\nA;B;C\r\n", "nom des colonnes"),
        (";".join(f"c{i}" for i in range(200)).encode() + b"\r\na\r\n", "plus de 100 colonnes"),
        (b"Nom;Date\r\n" + b"A;10/12/2026\r\n" * (vie_scolaire.LIGNES_MAX + 1), "plus de 5000"),
        (b"a" * (TAILLE_MAX + 1), "taille maximale"),
        (b'Nom;Date\r\n"A;10/12/2026\r\n', None),  # an unclosed quote: one cell, read without error
    ],
)
def test_fichiers_hostiles_refuses_proprement(cast, contenu, message):
    if message is None:
        vie_scolaire.lire(contenu)
        return
    with pytest.raises(FichierRefuse, match=message):
        vie_scolaire.import_lire(etablissement=cast.lp_a, nom_fichier="f.csv", contenu=contenu, user=None)
    assert not ImportAbsences.objects.exists()


def test_colonnes_manquantes_rien_a_appliquer(cast, seance, lea):
    kept = vie_scolaire.import_lire(
        etablissement=cast.lp_a, nom_fichier="a.csv", contenu=fichier([["x", "y"]], entetes=["A", "B"]), user=None
    )
    assert set(vie_scolaire.colonnes_manquantes(vie_scolaire.colonnes_de(kept))) == {"date", "ine"}
    with pytest.raises(Exception, match="Choisissez"):
        vie_scolaire.import_appliquer(import_absences=kept, auteur=cast.cpe_a)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contenu=st.binary(max_size=2000))
def test_octets_au_hasard(cast, seance, contenu):
    try:
        kept = vie_scolaire.import_lire(etablissement=cast.lp_a, nom_fichier="f.csv", contenu=contenu, user=None)
    except FichierRefuse:
        return
    colonnes = vie_scolaire.colonnes_de(kept)
    if vie_scolaire.colonnes_manquantes(colonnes):
        return
    analyse = vie_scolaire.analyser(etablissement=cast.lp_a, lignes=kept.lignes, colonnes=colonnes)
    assert isinstance(analyse.erreurs, list)


cellule = st.text(alphabet=st.characters(codec="utf-8", exclude_characters='\r\n\x00;"'), max_size=12)
ligne_hasard = st.tuples(
    st.sampled_from(["Dupré", "dupre", "", "=1+1"]) | cellule,
    st.sampled_from(["Léa", "LEA", ""]) | cellule,
    st.sampled_from(["123456789AB", ""]) | cellule,
    st.sampled_from(["02/04/2009", ""]) | cellule,
    cellule,
    st.sampled_from(["10/12/2026", "2026-12-10", "31/02/2026", ""]) | cellule,
    st.sampled_from(["08:00", "14h", "", "25:00"]) | cellule,
    st.sampled_from(["18:00", "", "07:00"]) | cellule,
    st.sampled_from(["Oui", "Non", "", "peut-être"]) | cellule,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lignes=st.lists(ligne_hasard, min_size=1, max_size=5),
    encodage=st.sampled_from(["utf-8", "cp1252", "iso-8859-1"]),
)
def test_lignes_au_hasard_tout_ou_rien_et_une_seule_alerte(cast, seance, lea, lignes, encodage):
    DeclarationAbsence.objects.all().delete()
    Notification.objects.all().delete()
    Participation.objects.filter(seance=seance).update(presence=Presence.ATTENDU)
    try:
        contenu = fichier([list(ligne) for ligne in lignes], encodage=encodage)
    except UnicodeEncodeError:
        return
    try:
        kept = vie_scolaire.import_lire(etablissement=cast.lp_a, nom_fichier="f.csv", contenu=contenu, user=None)
    except FichierRefuse:
        return
    analyse = vie_scolaire.analyser(
        etablissement=cast.lp_a, lignes=kept.lignes, colonnes=vie_scolaire.colonnes_de(kept)
    )
    try:
        resultat = vie_scolaire.import_appliquer(import_absences=kept, auteur=cast.cpe_a)
    except Exception:  # noqa: BLE001 (the refusal under test)
        assert analyse.erreurs
        assert not DeclarationAbsence.objects.exists() and not Notification.objects.exists()
        return
    assert not analyse.erreurs
    assert resultat["alertes"] == Notification.objects.count() <= 1
    # Again: nothing more.
    encore = vie_scolaire.import_lire(etablissement=cast.lp_a, nom_fichier="f.csv", contenu=contenu, user=None)
    assert vie_scolaire.import_appliquer(import_absences=encore, auteur=cast.cpe_a)["alertes"] == 0
    assert Notification.objects.count() <= 1


# --- The pages: import, mapping remembered, apply --------------------------------------------


def test_parcours_du_cpe_colonnes_retenues_et_compte_des_alertes(client, cast, seance, lea):
    client.force_login(cast.cpe_a)
    entetes = ["Élève (nom)", "Élève (prénom)", "Jour", "Motif réglé"]
    contenu = fichier([["Dupré", "Léa", "10/12/2026", "N"]], entetes=entetes)
    reponse = client.post(reverse("seances:import_absences"), {"fichier": _upload(contenu)})
    kept = ImportAbsences.objects.get()
    assert reponse.url == reverse("seances:import_absences_apercu", args=[kept.pk])
    page = client.get(reponse.url)
    assert "Choisissez la colonne de la date" in page.content.decode() or page.context["manquantes"]
    # The CPE says which column is which: remembered for the LP.
    reponse = client.post(reponse.url, {"nom": "0", "prenom": "1", "date": "2", "justifiee": "3"})
    assert reponse.status_code == 302
    assert CorrespondanceAbsences.objects.get(etablissement=cast.lp_a).colonnes == {
        "ine": "",
        "nom": "elevenom",
        "prenom": "eleveprenom",
        "date_naissance": "",
        "classe": "",
        "date": "jour",
        "heure_debut": "",
        "heure_fin": "",
        "justifiee": "motifregle",
    }
    page = client.get(reponse.url)
    assert page.context["analyse"].a_marquer == [(participation_de(seance, lea), Presence.ABSENT_NON_EXCUSE)]
    reponse = client.post(reponse.url, {"appliquer": "1"}, follow=True)
    assert "1 absence enregistrée aux séances ; 1 alerte envoyée aux mentors." in reponse.content.decode()
    # The next file of the same software: the columns are already chosen.
    client.post(reverse("seances:import_absences"), {"fichier": _upload(contenu)})
    suivant = ImportAbsences.objects.filter(applique_le__isnull=True).get()
    assert vie_scolaire.colonnes_de(suivant) == {
        "ine": None,
        "nom": 0,
        "prenom": 1,
        "date_naissance": None,
        "classe": None,
        "date": 2,
        "heure_debut": None,
        "heure_fin": None,
        "justifiee": 3,
    }
    reponse = client.post(reverse("seances:import_absences_apercu", args=[suivant.pk]), {"appliquer": "1"}, follow=True)
    assert "0 absence enregistrée aux séances ; 0 alerte envoyée aux mentors." in reponse.content.decode()
    assert Notification.objects.count() == 1


def test_la_page_d_apercu_montre_les_erreurs_a_cote_des_lignes(client, cast, seance, lea):
    client.force_login(cast.cpe_a)
    client.post(
        reverse("seances:import_absences"), {"fichier": _upload(fichier([ligne_lea(), ligne_lea(justifiee="?")]))}
    )
    kept = ImportAbsences.objects.get()
    page = client.get(reverse("seances:import_absences_apercu", args=[kept.pk])).content.decode()
    assert "1 erreur : rien ne sera enregistré" in page
    assert "ligne 3" in page and "attendu oui ou non" in page
    assert "Enregistrer les absences" not in page


def test_un_fichier_refuse_l_est_a_cote_du_champ(client, cast):
    client.force_login(cast.cpe_a)
    reponse = client.post(reverse("seances:import_absences"), {"fichier": _upload(b"\x00\x01\x02binaire")})
    assert reponse.status_code == 200
    assert "pas un fichier texte CSV" in reponse.context["form"].errors["fichier"][0]


def test_le_cpe_du_lp_b_ne_voit_pas_l_import_du_lp_a(client, cast):
    kept = vie_scolaire.import_lire(
        etablissement=cast.lp_a, nom_fichier="a.csv", contenu=fichier([ligne_lea()]), user=None
    )
    cpe_b = _cpe_b(cast)
    client.force_login(cpe_b)
    url = reverse("seances:import_absences_apercu", args=[kept.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"appliquer": "1"}).status_code == 404


def test_un_mentor_n_importe_pas(client, cast):
    client.force_login(cast.mentor_a)
    assert client.get(reverse("seances:import_absences")).status_code == 403
    assert client.get(reverse("seances:absences_du_jour")).status_code == 403


def _upload(contenu):
    return SimpleUploadedFile("absences.csv", contenu, content_type="text/csv")


def _cpe_b(cast):
    return AffectationFactory(role="cpe", etablissement=cast.lp_b).user


# --- The daily list --------------------------------------------------------------------------


@pytest.fixture
def aujourd_hui():
    with time_machine.travel(datetime.datetime(2026, 12, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def test_appel_du_jour_le_cpe_coche_et_le_mentor_est_prevenu_une_fois(
    client, cast, seance, lea, aujourd_hui, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(cast.cpe_a)
    url = reverse("seances:absences_du_jour")
    page = client.get(url)
    assert "Léa" in page.content.decode()
    participation = participation_de(seance, lea)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url, {"absents": [participation.pk], "justifiees": [participation.pk]}, follow=True)
        assert "1 absence enregistrée aux séances ; 1 alerte envoyée aux mentors." in reponse.content.decode()
        # A second click (another tab still showing her): nothing more.
        client.post(url, {"absents": [participation.pk]})
        # Then the evening's export says the same.
        importer(cast, fichier([ligne_lea()]))
    envoyer_notifications.apply(args=[None])
    assert participation_de(seance, lea).presence == Presence.ABSENT_EXCUSE
    assert Notification.objects.count() == 1 and len(mailoutbox) == 1


def test_appel_du_jour_refuse_une_case_justifiee_sans_absent(client, cast, seance, lea, aujourd_hui):
    client.force_login(cast.cpe_a)
    participation = participation_de(seance, lea)
    reponse = client.post(reverse("seances:absences_du_jour"), {"justifiees": [participation.pk]})
    assert reponse.status_code == 200
    assert "Ne cochez « justifiée » que pour un élève coché absent." in reponse.content.decode()
    assert not DeclarationAbsence.objects.exists()


def test_appel_du_jour_ignore_les_seances_d_un_autre_lp(client, cast, seance, lea, aujourd_hui):
    autre = BinomeFactory(dispositif=cast.dispositif_b)
    seance_b = SeanceFactory(dispositif=cast.dispositif_b, binome=autre, prevue=True)
    client.force_login(cast.cpe_a)
    participation_b = participation_de(seance_b, autre.eleve)
    reponse = client.post(reverse("seances:absences_du_jour"), {"absents": [participation_b.pk]})
    assert reponse.status_code == 200  # not a choice of LP A's list
    assert participation_de(seance_b, autre.eleve).presence == Presence.ATTENDU
    assert str(autre.eleve) not in client.get(reverse("seances:absences_du_jour")).content.decode()


def test_appel_du_jour_requetes_constantes(client, cast, seance, aujourd_hui):
    client.force_login(cast.cpe_a)

    def plus():
        for _ in range(3):
            binome = BinomeFactory(
                dispositif=cast.dispositif_a, mentor=MentorFactory(etablissement=cast.lp_a, verifie=True)
            )
            SeanceFactory(dispositif=cast.dispositif_a, binome=binome, prevue=True)

    nombre, _reponse = requetes_constantes(client, reverse("seances:absences_du_jour"), plus)
    assert nombre == 6


def test_colonnes_retenues_puis_noms_usuels_pour_un_en_tete_absent(cast):
    correspondance = CorrespondanceAbsences.objects.create(
        etablissement=cast.lp_a, colonnes={"ine": "", "nom": "elevenom", "date": "jour", "classe": ""}
    )
    entetes = ["INE", "Élève nom", "Prénom", "Date", "Classe"]
    assert vie_scolaire.colonnes_proposees(entetes, correspondance) == {
        "ine": None,  # deliberately none, though the file has one
        "nom": 1,  # remembered
        "prenom": 2,  # never chosen: the usual name
        "date_naissance": None,
        "classe": None,
        "date": 3,  # « Jour » is not in this file: the usual name
        "heure_debut": None,
        "heure_fin": None,
        "justifiee": None,
    }


def test_page_d_import_et_apercu_requetes_constantes(client, cast, seance, lea):
    client.force_login(cast.cpe_a)

    def plus_d_imports():
        for _ in range(3):
            importer(cast, fichier([ligne_lea()]))

    nombre, _reponse = requetes_constantes(client, reverse("seances:import_absences"), plus_d_imports)
    assert nombre == 5
    kept = vie_scolaire.import_lire(
        etablissement=cast.lp_a, nom_fichier="a.csv", contenu=fichier([ligne_lea()]), user=None
    )
    url = reverse("seances:import_absences_apercu", args=[kept.pk])

    def plus_de_lignes():
        for i in range(3):
            autre = BinomeFactory(dispositif=cast.dispositif_a)
            SeanceFactory(dispositif=cast.dispositif_a, binome=autre, prevue=True)
            kept.lignes.append([3 + i, [autre.eleve.nom, autre.eleve.prenom, autre.eleve.ine, "", "", "10/12/2026"]])
        kept.save()

    nombre, reponse = requetes_constantes(client, url, plus_de_lignes)
    assert len(reponse.context["analyse"].a_marquer) == 3  # Léa is already marked
    assert nombre == 9
