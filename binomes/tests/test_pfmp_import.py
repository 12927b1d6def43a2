"""The CSV of PFMP periods: all or nothing, French errors per line, hostile files refused cleanly."""

import csv
import datetime
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from binomes import pfmp
from binomes.tableur import TAILLE_MAX, FichierRefuse
from etablissements.models import PeriodePFMP
from etablissements.tests.factories import EtablissementFactory


@pytest.fixture
def lp(db):
    return EtablissementFactory()


def fichier(lignes, *, encodage="utf-8", separateur=";", entete=("Classe", "Début", "Fin", "Libellé")):
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=separateur, lineterminator="\r\n")
    ecrivain.writerow(entete)
    ecrivain.writerows(lignes)
    return sortie.getvalue().encode(encodage)


BON = [
    ("2MELEC", "16/11/2026", "11/12/2026", "PFMP 1"),
    ("2MELEC", "01/03/2027", "26/03/2027", "PFMP 2"),
    ("1CAP Cuisine", "04/01/2027", "29/01/2027", ""),
]


@pytest.mark.parametrize("encodage", ["utf-8", "utf-8-sig", "cp1252", "iso-8859-1"])
@pytest.mark.parametrize("separateur", [";", ",", "\t"])
def test_un_bon_fichier_cree_toutes_les_periodes(lp, encodage, separateur):
    lignes = [*BON, ("TLE Hôtellerie", "10/05/2027", "28/05/2027", "Été")]
    creees, erreurs = pfmp.pfmp_importer(
        etablissement=lp, contenu=fichier(lignes, encodage=encodage, separateur=separateur)
    )
    assert erreurs == []
    assert len(creees) == 4
    periodes = {(p.classe, p.debut, p.fin, p.libelle, p.annee) for p in PeriodePFMP.objects.filter(etablissement=lp)}
    assert ("TLE Hôtellerie", datetime.date(2027, 5, 10), datetime.date(2027, 5, 28), "Été", 2026) in periodes
    assert ("1CAP Cuisine", datetime.date(2027, 1, 4), datetime.date(2027, 1, 29), "", 2026) in periodes


def test_le_libelle_est_facultatif_et_les_entetes_tolerants(lp):
    contenu = fichier([("2MELEC", "16/11/2026", "11/12/2026")], entete=("CLASSE", "date de début", "Date de fin"))
    creees, erreurs = pfmp.pfmp_importer(etablissement=lp, contenu=contenu)
    assert (len(creees), erreurs) == (1, [])


def test_une_ligne_fausse_n_ecrit_rien_et_chaque_ligne_fausse_est_nommee(lp):
    lignes = [
        *BON,
        ("", "01/02/2027", "05/02/2027", ""),  # line 5
        ("2MELEC", "2027-04-01", "31/02/2027", ""),  # line 6
        ("2MELEC", "20/05/2027", "10/05/2027", ""),  # line 7
        ("2MELEC", "28/06/2027", "10/09/2027", ""),  # line 8
        ("1CAP Cuisine", "25/01/2027", "05/02/2027", ""),  # line 9: overlaps line 4
    ]
    creees, erreurs = pfmp.pfmp_importer(etablissement=lp, contenu=fichier(lignes))
    assert creees == [] and not PeriodePFMP.objects.exists()
    assert [(e.ligne, e.champ) for e in erreurs] == [
        ("ligne 5", "Classe"),
        ("ligne 6", "Début"),
        ("ligne 6", "Fin"),
        ("ligne 7", "Fin"),
        ("ligne 8", "Fin"),
        ("ligne 9", "Début"),
    ]
    raisons = " ".join(e.raison for e in erreurs)
    assert "« 2027-04-01 » n’est pas une date jj/mm/aaaa plausible." in raisons
    assert "Le dernier jour précède le premier." in raisons
    assert "Une PFMP tient dans une seule année scolaire." in raisons
    assert "Chevauche la ligne 4 (même classe 1CAP Cuisine)." in raisons


def test_une_periode_qui_chevauche_une_periode_deja_saisie_est_refusee(lp):
    PeriodePFMP.objects.create(
        etablissement=lp, classe="2MELEC", debut=datetime.date(2026, 12, 7), fin=datetime.date(2026, 12, 18)
    )
    creees, erreurs = pfmp.pfmp_importer(etablissement=lp, contenu=fichier(BON))
    assert creees == [] and PeriodePFMP.objects.count() == 1
    assert [(e.ligne, e.champ) for e in erreurs] == [("ligne 2", "Début")]
    assert "Chevauche la période déjà saisie : PFMP 2MELEC du 07/12/2026 au 18/12/2026." in erreurs[0].raison


def test_importer_deux_fois_le_meme_fichier_est_refuse_la_seconde_fois(lp):
    pfmp.pfmp_importer(etablissement=lp, contenu=fichier(BON))
    creees, erreurs = pfmp.pfmp_importer(etablissement=lp, contenu=fichier(BON))
    assert creees == [] and len(erreurs) == 3 and PeriodePFMP.objects.count() == 3


def test_les_periodes_d_un_autre_lp_ne_genent_pas(lp):
    PeriodePFMP.objects.create(
        etablissement=EtablissementFactory(),
        classe="2MELEC",
        debut=datetime.date(2026, 11, 16),
        fin=datetime.date(2026, 12, 11),
    )
    assert pfmp.pfmp_importer(etablissement=lp, contenu=fichier(BON))[1] == []


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        (b"", "Le fichier est vide."),
        (b"   \r\n\r\n", "Le fichier est vide."),
        (b"Classe;Debut;Fin\r\n", "aucune période"),
        (b"Nom;Prenom\r\nA;B\r\n", "Colonnes obligatoires absentes de la première ligne : Classe, Début, Fin."),
        (b"\x00\xff\xfe\x00" * 50, "Colonnes obligatoires absentes"),
        (b"a" * (TAILLE_MAX + 1), "taille maximale"),
    ],
)
def test_fichiers_hostiles_refuses_en_entier(lp, contenu, message):
    with pytest.raises(FichierRefuse, match=message):
        pfmp.pfmp_importer(etablissement=lp, contenu=contenu)
    assert not PeriodePFMP.objects.exists()


def test_un_guillemet_jamais_ferme_rend_la_ligne_fausse(lp):
    creees, erreurs = pfmp.pfmp_importer(etablissement=lp, contenu=b'Classe;Debut;Fin\r\n"2MELEC;01/12/2026;04/12/2026')
    assert creees == [] and {e.ligne for e in erreurs} == {"ligne 2"}


def test_une_ligne_immense_est_refusee_sans_rien_ecrire(lp):
    contenu = fichier([*BON, ("2MELEC" * 100_000, "01/04/2027", "02/04/2027", "")])
    try:
        creees, erreurs = pfmp.pfmp_importer(etablissement=lp, contenu=contenu)
    except FichierRefuse as exc:
        assert "illisible" in str(exc)
    else:
        assert creees == [] and [(e.ligne, e.champ) for e in erreurs] == [("ligne 5", "Classe")]
    assert not PeriodePFMP.objects.exists()


def test_trop_de_lignes(lp):
    lignes = [(f"C{i}", "16/11/2026", "11/12/2026", "") for i in range(pfmp.MAX_LIGNES + 1)]
    with pytest.raises(FichierRefuse, match=f"plus de {pfmp.MAX_LIGNES} périodes"):
        pfmp.pfmp_importer(etablissement=lp, contenu=fichier(lignes))
    assert not PeriodePFMP.objects.exists()


# --- Property-based: whatever the file, all or nothing and never an exception of our own -------


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contenu=st.binary(max_size=2000))
def test_octets_au_hasard(lp, contenu):
    PeriodePFMP.objects.all().delete()
    try:
        creees, erreurs = pfmp.pfmp_importer(etablissement=lp, contenu=contenu)
    except FichierRefuse:
        creees, erreurs = [], None
    assert PeriodePFMP.objects.count() == len(creees)
    assert not (creees and erreurs)


cellule = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\n\x00"), max_size=15)
dates = st.one_of(st.dates().map(lambda d: d.strftime("%d/%m/%Y")), cellule)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lignes=st.lists(st.tuples(st.sampled_from(["2A", "2B", ""]) | cellule, dates, dates, cellule), max_size=6),
    separateur=st.sampled_from([";", ",", "\t"]),
)
def test_lignes_au_hasard_tout_ou_rien(lp, lignes, separateur):
    PeriodePFMP.objects.all().delete()
    try:
        creees, erreurs = pfmp.pfmp_importer(etablissement=lp, contenu=fichier(lignes, separateur=separateur))
    except FichierRefuse:
        assert not PeriodePFMP.objects.exists()
        return
    if erreurs:
        assert creees == [] and not PeriodePFMP.objects.exists()
    else:
        assert PeriodePFMP.objects.count() == len(creees) == len(lignes)
