"""Passage à l'année suivante: a CAP 1 student's pair is renewed into CAP 2, leavers' pairs end.

The story: LP A's 2026-2027 dispositif, three pairs in progress. In September 2027 the
référent has opened 2027-2028 and applied the new SIECLE import: Léa (CAP 1re année in 2026)
is listed again in CAP 2e année; Hugo was in terminale and is not listed; Inès, in 1re, is
not listed either (she moved away).
"""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from bilans.indicateurs import indicateurs
from binomes import annee, services
from binomes.models import Binome, StatutBinome
from binomes.tests.factories import BinomeFactory, EleveFactory, ImportSiecleFactory, MentorFactory
from etablissements.tests.factories import DispositifFactory

pytestmark = pytest.mark.django_db

RENTREE_2027 = "2027-09-14 10:00 +0200"
MEF_CAP_1, MEF_CAP_2 = "50025001210", "50025001220"
MEF_TLE = "40025510330"
MEF_1RE = "40025510320"


@pytest.mark.parametrize(
    ("code_mef", "classe", "libelle", "derniere"),
    [
        (MEF_CAP_1, "1CAPEL", "CAP 1re année", False),
        (MEF_CAP_2, "2CAPEL", "CAP 2e année", True),
        ("24723006310", "2MELEC", "2de bac pro", False),
        (MEF_1RE, "1MELEC", "1re bac pro", False),
        (MEF_TLE, "TMELEC", "Tle bac pro", True),
        ("", "TMELEC", "TMELEC", True),
        ("", "1MELEC", "1MELEC", False),
        ("123", "", "—", False),
    ],
)
def test_niveau_lu_dans_le_code_mef(code_mef, classe, libelle, derniere):
    assert annee.libelle_niveau(code_mef, classe) == libelle
    assert annee.derniere_annee(code_mef, classe) is derniere


def _mentor(lp):
    return MentorFactory(
        etablissement=lp,
        honorabilite__statut="verifiee",
        honorabilite__date=date(2026, 9, 1),
        honorabilite__expiration=date(2029, 8, 31),
    )


def monde_2027(cast):
    """Last year's three pairs, next year's dispositif, and the new year's SIECLE import applied."""
    lp = cast.lp_a
    # The cast's dispositif is last year's (created at the real date, fixed here to 2026).
    ancien = cast.dispositif_a
    ancien.annee = 2026
    ancien.save(update_fields=["annee"])
    nouveau = DispositifFactory(etablissement=lp, annee=2027, partenaire=cast.partenaire_a)
    lea = EleveFactory(
        etablissement=lp, prenom="Léa", nom="Durand", sexe="F", ine="123456789AB", classe="1CAPEL", code_mef=MEF_CAP_1
    )
    hugo = EleveFactory(etablissement=lp, prenom="Hugo", nom="Martin", sexe="M", classe="TMELEC", code_mef=MEF_TLE)
    ines = EleveFactory(etablissement=lp, prenom="Inès", nom="Ben Saïd", sexe="F", classe="1MELEC", code_mef=MEF_1RE)
    b_lea = BinomeFactory(dispositif=ancien, eleve=lea, mentor=_mentor(lp))
    b_hugo = BinomeFactory(dispositif=ancien, eleve=hugo, mentor=_mentor(lp))
    b_ines = BinomeFactory(dispositif=ancien, eleve=ines, mentor=_mentor(lp))
    import_2027 = ImportSiecleFactory(
        etablissement=lp,
        annee=2027,
        lignes=[
            {
                "ine": "123456789AB",
                "nom": "Durand",
                "prenom": "Léa",
                "sexe": "F",
                "date_naissance": "2010-04-02",
                "classe": "2CAPEL",
                "code_mef": MEF_CAP_2,
                "date_sortie": "",
            }
        ],
    )
    return ancien, nouveau, (b_lea, b_hugo, b_ines), import_2027


@time_machine.travel(RENTREE_2027, tick=False)
def test_avant_l_import_seul_le_terminal_sort_les_autres_attendent(cast):
    _ancien, nouveau, (b_lea, b_hugo, b_ines), _import = monde_2027(cast)
    issues = {p.binome: (p.issue, p.raison) for p in annee.passages(nouveau)}
    assert issues[b_hugo][0] == annee.Issue.SORTANT
    assert issues[b_lea] == (annee.Issue.EN_ATTENTE, "en attente de l’import SIECLE 2027-2028")
    assert issues[b_ines][0] == annee.Issue.EN_ATTENTE
    with pytest.raises(ValidationError, match="ne peut pas être reconduit"):
        annee.binome_reconduire(
            binome=b_lea, accord_mentor_le=date(2027, 9, 10), accord_eleve_le=date(2027, 9, 11), par=cast.referent_a
        )


@time_machine.travel(RENTREE_2027, tick=False)
def test_apres_l_import_la_cap_1_est_reconduite_et_les_sortants_terminent(cast, django_assert_num_queries):
    ancien, nouveau, (b_lea, b_hugo, b_ines), import_2027 = monde_2027(cast)
    services.import_appliquer(import_siecle=import_2027)
    with django_assert_num_queries(3):
        issues = {p.binome: p for p in annee.passages(nouveau)}
    assert issues[b_lea].issue == annee.Issue.RECONDUIRE and issues[b_lea].niveau == "CAP 2e année"
    assert issues[b_hugo].issue == annee.Issue.SORTANT
    assert issues[b_ines].raison == "élève absent de l’import SIECLE 2027-2028"

    nouveau_binome = annee.binome_reconduire(
        binome=b_lea, accord_mentor_le=date(2027, 9, 10), accord_eleve_le=date(2027, 9, 11), par=cast.referent_a
    )
    b_lea.refresh_from_db()
    assert (b_lea.statut, b_lea.date_fin, b_lea.motif_fin) == (
        StatutBinome.TERMINE,
        date(2027, 8, 31),
        "Reconduit en 2027-2028",
    )
    assert (nouveau_binome.dispositif, nouveau_binome.precedent, nouveau_binome.statut) == (
        nouveau,
        b_lea,
        StatutBinome.ACTIF,
    )
    assert (nouveau_binome.accord_mentor_le, nouveau_binome.accord_eleve_le) == (date(2027, 9, 10), date(2027, 9, 11))
    assert (nouveau_binome.mentor, nouveau_binome.eleve, nouveau_binome.objectifs) == (b_lea.mentor, b_lea.eleve, "")
    assert annee.lignee(nouveau_binome) == annee.lignee(b_lea) == [b_lea, nouveau_binome]

    assert annee.binomes_sortants_terminer(dispositif=nouveau, par=cast.referent_a) == 2
    for fini in (b_hugo, b_ines):
        fini.refresh_from_db()
        assert (fini.statut, fini.date_fin, fini.fin_saisie_par) == (
            StatutBinome.TERMINE,
            date(2027, 8, 31),
            cast.referent_a,
        )
    assert b_ines.motif_fin == "Fin de l’année scolaire : élève absent de l’import SIECLE 2027-2028"
    # Nothing left to decide for last year.
    assert annee.passages(nouveau) == []
    assert Binome.objects.filter(dispositif=ancien, statut__in=["actif", "suspendu", "propose"]).count() == 0


@time_machine.travel(RENTREE_2027, tick=False)
def test_la_reconduction_demande_les_deux_accords_dates(cast):
    _ancien, _nouveau, (b_lea, _h, _i), import_2027 = monde_2027(cast)
    services.import_appliquer(import_siecle=import_2027)
    with pytest.raises(ValidationError, match="accord de l’élève"):
        annee.binome_reconduire(
            binome=b_lea, accord_mentor_le=date(2027, 9, 10), accord_eleve_le=None, par=cast.referent_a
        )
    with pytest.raises(ValidationError, match="accord du mentor ne peut pas être dans le futur"):
        annee.binome_reconduire(
            binome=b_lea, accord_mentor_le=date(2027, 9, 20), accord_eleve_le=date(2027, 9, 10), par=cast.referent_a
        )
    b_lea.refresh_from_db()
    assert b_lea.statut == StatutBinome.ACTIF and not Binome.objects.filter(precedent=b_lea).exists()


@time_machine.travel(RENTREE_2027, tick=False)
def test_pas_de_reconduction_sans_le_dispositif_suivant(cast):
    ancien = DispositifFactory(etablissement=cast.lp_b, annee=2027)
    binome = BinomeFactory(dispositif=ancien, mentor=_mentor(cast.lp_b))
    with pytest.raises(ValidationError, match="Ouvrez d’abord le dispositif 2028-2029"):
        annee.binome_reconduire(
            binome=binome, accord_mentor_le=date(2027, 9, 10), accord_eleve_le=date(2027, 9, 10), par=cast.referent_a
        )


@time_machine.travel(RENTREE_2027, tick=False)
def test_les_indicateurs_de_l_an_dernier_restent_et_la_nouvelle_annee_part_de_zero(cast):
    ancien, nouveau, (b_lea, _h, _i), import_2027 = monde_2027(cast)
    avant = {i.code: i.valeur for i in indicateurs(ancien)}
    assert (avant["filles"], avant["garcons"], avant["mentors"]) == (2, 1, 3)
    depart = {i.code: i.valeur for i in indicateurs(nouveau)}
    assert all(not valeur for valeur in depart.values()), depart

    services.import_appliquer(import_siecle=import_2027)
    annee.binome_reconduire(
        binome=b_lea, accord_mentor_le=date(2027, 9, 10), accord_eleve_le=date(2027, 9, 11), par=cast.referent_a
    )
    annee.binomes_sortants_terminer(dispositif=nouveau, par=cast.referent_a)

    assert {i.code: i.valeur for i in indicateurs(ancien)} == avant
    apres = {i.code: i.valeur for i in indicateurs(nouveau)}
    # The renewed pair is mentored this year too: one girl, one mentor; nothing else happened yet.
    assert (apres["filles"], apres["garcons"], apres["mentors"], apres["abandon"]) == (1, 0, 1, 0)


# --- Pages -------------------------------------------------------------------------------------


@time_machine.travel(RENTREE_2027, tick=False)
def test_page_de_passage_et_reconduction_par_le_referent(client, cast, django_assert_max_num_queries):
    _ancien, nouveau, (b_lea, b_hugo, _i), import_2027 = monde_2027(cast)
    services.import_appliquer(import_siecle=import_2027)
    client.force_login(cast.referent_a)
    url = reverse("binomes:passage", args=[nouveau.pk])
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    assert "Passage à l’année 2027-2028" in page and "CAP 2e année" in page
    assert reverse("binomes:reconduire", args=[b_lea.pk]) in page
    assert reverse("binomes:reconduire", args=[b_hugo.pk]) not in page

    reponse = client.post(
        reverse("binomes:reconduire", args=[b_lea.pk]),
        {"accord_mentor_le": "2027-09-10", "accord_eleve_le": "2027-09-11"},
    )
    suivant = Binome.objects.get(precedent=b_lea)
    assert reponse["Location"] == reverse("binomes:binome", args=[suivant.pk])
    page = client.get(reponse["Location"]).content.decode()
    assert "Le binôme au fil des années" in page and "2026-2027" in page and "2027-2028 (cette page)" in page
    assert "mentor le 10/09/2027, élève le 11/09/2027" in page

    reponse = client.post(reverse("binomes:terminer_sortants", args=[nouveau.pk]))
    assert reponse["Location"] == url
    b_hugo.refresh_from_db()
    assert b_hugo.statut == StatutBinome.TERMINE


@time_machine.travel(RENTREE_2027, tick=False)
def test_la_reconduction_sans_accord_est_refusee_pres_du_champ(client, cast):
    _ancien, _nouveau, (b_lea, _h, _i), import_2027 = monde_2027(cast)
    services.import_appliquer(import_siecle=import_2027)
    client.force_login(cast.referent_a)
    reponse = client.post(reverse("binomes:reconduire", args=[b_lea.pk]), {"accord_mentor_le": "2027-09-10"})
    assert reponse.status_code == 200
    assert "accord_eleve_le" in reponse.context["form"].errors
    assert not Binome.objects.filter(precedent=b_lea).exists()


@time_machine.travel(RENTREE_2027, tick=False)
def test_un_lecteur_du_lp_ne_reconduit_pas_et_le_lp_b_ne_voit_rien(client, cast):
    _ancien, nouveau, (b_lea, _h, _i), _import = monde_2027(cast)
    client.force_login(cast.chef_a)
    assert client.get(reverse("binomes:passage", args=[nouveau.pk])).status_code == 403
    assert client.post(reverse("binomes:reconduire", args=[b_lea.pk]), {}).status_code == 403
    client.force_login(cast.referent_b)
    assert client.get(reverse("binomes:passage", args=[nouveau.pk])).status_code == 404
    assert client.get(reverse("binomes:reconduire", args=[b_lea.pk])).status_code == 404
    assert client.post(reverse("binomes:terminer_sortants", args=[nouveau.pk])).status_code == 404


@time_machine.travel("2027-06-20 10:00 +0200", tick=False)
def test_en_juin_les_sortants_ne_sont_pas_encore_termines(client, cast):
    ancien, nouveau, (_l, b_hugo, _i), _import = monde_2027(cast)
    assert [p.binome for p in annee.passages(nouveau) if p.issue == annee.Issue.SORTANT] == [b_hugo]
    with pytest.raises(ValidationError, match="à partir du 01/07/2027"):
        annee.binomes_sortants_terminer(dispositif=nouveau, par=cast.referent_a)
    client.force_login(cast.referent_a)
    page = client.get(reverse("binomes:passage", args=[nouveau.pk])).content.decode()
    assert "Terminer les binômes des élèves sortants" not in page and "à partir du 01/07/2027" in page
    client.post(reverse("binomes:terminer_sortants", args=[nouveau.pk]))
    b_hugo.refresh_from_db()
    assert b_hugo.statut == StatutBinome.ACTIF


@time_machine.travel(RENTREE_2027, tick=False)
def test_un_binome_jamais_commence_ou_deja_fini_n_est_pas_reconduit(cast):
    _ancien, nouveau, (b_lea, _h, _i), import_2027 = monde_2027(cast)
    services.import_appliquer(import_siecle=import_2027)
    Binome.objects.filter(pk=b_lea.pk).update(statut=StatutBinome.PROPOSE, date_debut=None)
    (passage,) = [p for p in annee.passages(nouveau) if p.binome == b_lea]
    assert (passage.issue, passage.raison) == (annee.Issue.SORTANT, "binôme proposé qui n’a jamais commencé")
    Binome.objects.filter(pk=b_lea.pk).update(statut=StatutBinome.ROMPU)
    with pytest.raises(ValidationError, match="Seul un binôme actif ou suspendu"):
        annee.binome_reconduire(
            binome=b_lea, accord_mentor_le=date(2027, 9, 10), accord_eleve_le=date(2027, 9, 11), par=cast.referent_a
        )
