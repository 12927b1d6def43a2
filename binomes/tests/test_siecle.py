"""SIECLE import: parser and services (acceptance 1)."""

import datetime
import io
import time
import tracemalloc
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from binomes import siecle
from binomes.models import Eleve, ImportSiecle, StatutEleve
from binomes.services import import_appliquer, import_lire
from etablissements.tests.factories import EtablissementFactory

from . import fichiers
from .factories import EleveFactory

ANNEE = 2026


@pytest.fixture
def lp(db):
    return EtablissementFactory(uai="0691234S")


def importer(lp, nom, contenu, annee=ANNEE):
    kept, erreurs = import_lire(etablissement=lp, annee=annee, nom_fichier=nom, contenu=contenu, user=None)
    assert not erreurs, erreurs
    return import_appliquer(import_siecle=kept)


def etat(lp):
    return sorted(
        Eleve.objects.filter(etablissement=lp).values_list(
            "ine", "nom", "prenom", "sexe", "date_naissance", "classe", "code_mef", "date_sortie"
        )
    )


ATTENDU = [
    (
        "098765432DE",
        "Ben Saïd",
        "Inès",
        "F",
        datetime.date(2010, 1, 30),
        "2MCV",
        "24731210310",
        datetime.date(2026, 12, 20),
    ),
    ("1234567890C", "Lefèvre", "Théo", "M", datetime.date(2008, 11, 15), "1MELEC", "24723006320", None),
    ("123456789AB", "Dupré", "Léa", "F", datetime.date(2009, 4, 2), "2MELEC", "24723006310", None),
]

FICHIERS = {
    "xml-iso-8859-1": ("ElevesSansAdresses.xml", lambda uai: fichiers.xml(uai, encodage="ISO-8859-1")),
    "xml-utf-8": ("ElevesSansAdresses.xml", lambda uai: fichiers.xml(uai, encodage="UTF-8")),
    "xml-cp1252": ("ElevesSansAdresses.xml", lambda uai: fichiers.xml(uai, encodage="windows-1252")),
    "xml-zip": (
        "ExportXML_ElevesSansAdresses.zip",
        lambda uai: fichiers.zipper("ElevesSansAdresses.xml", fichiers.xml(uai)),
    ),
    "xml-sans-declaration-cp1252": (
        "ElevesSansAdresses.xml",
        lambda uai: fichiers.xml(uai, encodage="windows-1252").split(b"?>", 1)[1].lstrip(),
    ),
    "xml-utf-8-bom": ("ElevesSansAdresses.xml", lambda uai: b"\xef\xbb\xbf" + fichiers.xml(uai, encodage="UTF-8")),
    "csv-cp1252": ("eleves.csv", lambda uai: fichiers.csv(encodage="cp1252")),
    "csv-iso-8859-1": ("eleves.csv", lambda uai: fichiers.csv(encodage="iso-8859-1")),
    "csv-utf-8": ("eleves.csv", lambda uai: fichiers.csv(encodage="utf-8")),
    "csv-utf-8-bom": ("eleves.csv", lambda uai: fichiers.csv(encodage="utf-8", bom=True)),
    "csv-virgule": ("eleves.csv", lambda uai: fichiers.csv(separateur=",")),
    "csv-tabulation": ("eleves.txt", lambda uai: fichiers.csv(separateur="\t", encodage="utf-8", bom=True)),
    "csv-zip": ("eleves.zip", lambda uai: fichiers.zipper("eleves.csv", fichiers.csv())),
    "csv-uai-annee": ("eleves.csv", lambda uai: fichiers.csv(uai=uai, annee="2026-2027")),
}


@pytest.mark.parametrize("cle", sorted(FICHIERS))
def test_meme_donnees_meme_etat_et_reimport_sans_effet(lp, cle):
    nom, fabrique = FICHIERS[cle]
    apercu = importer(lp, nom, fabrique(lp.uai))
    assert len(apercu.creer) == 3 and not apercu.mettre_a_jour
    assert [x["ine"] for x in apercu.sortis] == ["098765432DE"]
    assert etat(lp) == ATTENDU
    assert set(Eleve.objects.values_list("statut", flat=True)) == {StatutEleve.INSCRIT}
    # Same file again: matched on INE, nothing created nor updated.
    second = importer(lp, nom, fabrique(lp.uai))
    assert (len(second.creer), len(second.mettre_a_jour), len(second.inchanges)) == (0, 0, 3)
    assert etat(lp) == ATTENDU


def test_xml_puis_csv_donnent_le_meme_etat(lp):
    importer(lp, "a.xml", fichiers.xml(lp.uai))
    apercu = importer(lp, "b.csv", fichiers.csv(encodage="utf-8", bom=True))
    assert len(apercu.inchanges) == 3


def test_reimport_met_a_jour_la_classe_et_garde_le_reste(lp):
    eleve = EleveFactory(
        etablissement=lp,
        ine="123456789AB",
        nom="Dupré",
        prenom="Léa",
        sexe="F",
        date_naissance=datetime.date(2009, 4, 2),
        classe="2NDPRO",
        besoin_stage=True,
    )
    apercu = importer(lp, "e.xml", fichiers.xml(lp.uai))
    assert [(ligne["ine"], champs) for ligne, champs in apercu.mettre_a_jour] == [("123456789AB", ["Classe", "MEF"])]
    eleve.refresh_from_db()
    assert eleve.classe == "2MELEC" and eleve.besoin_stage and eleve.statut == StatutEleve.RETENU


def test_une_ligne_fausse_n_ecrit_rien_et_le_rapport_la_nomme(lp):
    eleves = [*fichiers.ELEVES, ("12345", "Sans", "Ine", "3", "31/02/2009", "2MCV", "", "")]
    for nom, contenu, repere in (
        ("e.xml", fichiers.xml(lp.uai, eleves=eleves), "élève ELEVE_ID=1004"),
        ("e.csv", fichiers.csv(eleves=eleves), "ligne 5"),
    ):
        kept, erreurs = import_lire(etablissement=lp, annee=ANNEE, nom_fichier=nom, contenu=contenu, user=None)
        assert kept is None
        assert {(e.ligne, e.champ) for e in erreurs} == {
            (repere, "INE"),
            (repere, "Sexe"),
            (repere, "Date de naissance"),
        }
        assert "11 caractères" in next(e.raison for e in erreurs if e.champ == "INE")
    assert not Eleve.objects.exists() and not ImportSiecle.objects.exists()


def test_ine_en_double_dans_le_fichier(lp):
    eleves = [*fichiers.ELEVES, fichiers.ELEVES[0]]
    _kept, erreurs = import_lire(
        etablissement=lp, annee=ANNEE, nom_fichier="e.csv", contenu=fichiers.csv(eleves=eleves), user=None
    )
    assert erreurs == [siecle.Erreur("ligne 5", "INE", "Cet INE figure déjà plus haut dans le fichier.")]


@pytest.mark.parametrize(
    "contenu,message",
    [
        (lambda lp: fichiers.xml("0692418D"), "0692418D"),
        (lambda lp: fichiers.xml(lp.uai, annee="2025"), "2025-2026"),
        (lambda lp: fichiers.csv(uai="0692418D"), "0692418D"),
        (lambda lp: fichiers.csv(annee="2024"), "2024-2025"),
        (lambda lp: fichiers.xml(""), "UAI"),
    ],
)
def test_autre_lp_ou_autre_annee_refuse(lp, contenu, message):
    with pytest.raises(siecle.FichierRefuse, match=message):
        import_lire(etablissement=lp, annee=ANNEE, nom_fichier="e.xml", contenu=contenu(lp), user=None)
    assert not Eleve.objects.exists()


def test_confirmation_revalide_et_ne_s_applique_qu_une_fois(lp):
    kept, _ = import_lire(etablissement=lp, annee=ANNEE, nom_fichier="e.xml", contenu=fichiers.xml(lp.uai), user=None)
    import_appliquer(import_siecle=kept)
    kept.refresh_from_db()
    assert kept.lignes == []  # the copy of the file is dropped once applied
    with pytest.raises(Exception, match="déjà été appliqué"):
        import_appliquer(import_siecle=kept)
    kept2, _ = import_lire(etablissement=lp, annee=ANNEE, nom_fichier="e.xml", contenu=fichiers.xml(lp.uai), user=None)
    ImportSiecle.objects.filter(pk=kept2.pk).update(lignes=[{"ine": "faux"}])
    with pytest.raises(Exception, match="plus valide"):
        import_appliquer(import_siecle=kept2)


# --- Hostile files ---------------------------------------------------------------------------


def test_bombe_xml_refusee_vite(lp):
    entites = (
        '<!DOCTYPE BEE_ELEVES [<!ENTITY a0 "hahahahahahahahahaha">'
        + "".join(f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 12))
        + "]>"
    )
    contenu = fichiers.xml(lp.uai, extra=entites).replace(b"<PRENOM>L", b"<PRENOM>&a11;L")
    tracemalloc.start()
    debut = time.monotonic()
    try:
        with pytest.raises(siecle.FichierRefuse, match="entités"):
            import_lire(etablissement=lp, annee=ANNEE, nom_fichier="e.xml", contenu=contenu, user=None)
        duree = time.monotonic() - debut
        _actuel, pic = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert duree < 2
    assert pic < 5 * 1024 * 1024


def test_entite_externe_refusee(lp):
    extra = '<!DOCTYPE BEE_ELEVES [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    with pytest.raises(siecle.FichierRefuse, match="entités"):
        siecle.lire("e.xml", fichiers.xml(lp.uai, extra=extra))


def test_bombe_zip_refusee_vite_sans_tout_decompresser(lp):
    tampon = io.BytesIO()
    with (
        zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("ElevesSansAdresses.xml", "w", force_zip64=True) as membre,
    ):
        membre.write(b"<")
        for _ in range(256):  # 256 MiB of spaces, written by 1 MiB blocks
            membre.write(b" " * (1024 * 1024))
    contenu = tampon.getvalue()
    assert len(contenu) < 2 * 1024 * 1024
    tracemalloc.start()
    debut = time.monotonic()
    try:
        with pytest.raises(siecle.FichierRefuse, match="bombe de décompression"):
            siecle.lire("bombe.zip", contenu)
        duree = time.monotonic() - debut
        _actuel, pic = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert duree < 2
    assert pic < 5 * 1024 * 1024


def test_bombe_zip_dont_le_repertoire_ment(lp, monkeypatch):
    """A directory that under-states the size is caught while inflating, by the running cap."""
    contenu = fichiers.zipper("e.xml", b"<" + b" " * (30 * 1024 * 1024))
    monkeypatch.setattr(siecle, "RATIO_ZIP_MAX", 10**9)
    original = zipfile.ZipFile.infolist

    def menteur(self):
        infos = original(self)
        for info in infos:
            info.file_size = 10
        return infos

    monkeypatch.setattr(zipfile.ZipFile, "infolist", menteur)
    with pytest.raises(siecle.FichierRefuse):
        siecle.lire("bombe.zip", contenu)


def test_fichier_trop_gros_refuse():
    with pytest.raises(siecle.FichierRefuse, match="taille maximale"):
        siecle.lire("e.csv", b"a" * (siecle.TAILLE_MAX + 1))


@pytest.mark.parametrize(
    "contenu", [b"", b"<BEE_ELEVES>", b"<AUTRE/>", b"PK\x03\x04nimportequoi", b"Nom;Prenom\r\nA;B\r\n"]
)
def test_fichiers_illisibles_refuses_proprement(contenu):
    with pytest.raises(siecle.FichierRefuse):
        siecle.lire("f", contenu)


# --- Property-based: random input never escapes the importer's own error report ----------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contenu=st.binary(max_size=2000))
def test_octets_au_hasard(lp, contenu):
    avant = Eleve.objects.count()
    try:
        kept, _erreurs = import_lire(etablissement=lp, annee=ANNEE, nom_fichier="f.csv", contenu=contenu, user=None)
    except siecle.FichierRefuse:
        kept = None
    if kept is not None:
        import_appliquer(import_siecle=kept)
    assert Eleve.objects.count() >= avant


cellule = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\n\x00"), max_size=15)
ligne_csv = st.fixed_dictionaries(
    {
        "nom": cellule,
        "prenom": cellule,
        "sexe": st.one_of(st.sampled_from(["1", "2", "M", "F", "X", ""]), cellule),
        "naissance": st.one_of(st.dates().map(lambda d: d.strftime("%d/%m/%Y")), cellule),
        "ine": st.one_of(st.from_regex(r"\A\d{9}[A-Z]{2}\Z"), st.from_regex(r"\A\d{10}[A-Z]\Z"), cellule),
        "classe": cellule,
    }
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lignes=st.lists(ligne_csv, max_size=6), separateur=st.sampled_from([";", ",", "\t"]))
def test_lignes_csv_au_hasard_tout_ou_rien(lp, lignes, separateur):
    Eleve.objects.filter(etablissement=lp).delete()
    eleves = [(x["ine"], x["nom"], x["prenom"], x["sexe"], x["naissance"], x["classe"], "", "") for x in lignes]
    contenu = fichiers.csv(eleves=eleves, encodage="utf-8", separateur=separateur)
    try:
        kept, erreurs = import_lire(etablissement=lp, annee=ANNEE, nom_fichier="f.csv", contenu=contenu, user=None)
    except siecle.FichierRefuse:
        assert not Eleve.objects.filter(etablissement=lp).exists()
        return
    if erreurs:
        assert kept is None and not Eleve.objects.filter(etablissement=lp).exists()
        return
    apercu = import_appliquer(import_siecle=kept)
    assert Eleve.objects.filter(etablissement=lp).count() == len(apercu.creer) == len(kept.lignes)
