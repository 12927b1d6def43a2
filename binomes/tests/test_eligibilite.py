"""Eligibility for pairing: one rule (`Eleve.objects.eligibles()`), explained in French, enforced by
the service whatever calls it (issue 14, acceptance 2)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from binomes import services
from binomes.models import Binome, Consentement, Eleve, StatutEleve, StatutProposition

from .factories import BinomeFactory, EleveFactory, MentorFactory, PropositionFactory, ReunionAppariementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def aujourd_hui(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC), tick=False)


ACCORD = datetime.date(2026, 9, 18)

CAS = {
    "retenu, volontaire, mineur avec accord parental": ({}, None),
    "importé, rien d’enregistré": ({"inscrit": True}, "n’a pas été proposé pour le mentorat"),
    "proposé, pas encore retenu": ({"statut": StatutEleve.PROPOSE}, "attend la confirmation"),
    "pas volontaire": ({"non_volontaire": True}, "n’a pas donné son accord"),
    "volontaire sans date": ({"date_volontariat": None}, "n’a pas donné son accord"),
    "mineur sans accord parental": ({"sans_accord_parental": True}, "est mineur sans accord daté"),
    "mineur, accord sans date": ({"consentement_parental_le": None}, "est mineur sans accord daté"),
    "mineur, parents opposés": ({"consentement_parental": Consentement.NON}, "est mineur sans accord daté"),
    "majeur le jour de son accord, sans accord parental": (
        {"sans_accord_parental": True, "date_naissance": datetime.date(2008, 9, 18)},
        None,
    ),
    "mineur la veille de ses 18 ans, sans accord parental": (
        {"sans_accord_parental": True, "date_naissance": datetime.date(2008, 9, 19)},
        "est mineur sans accord daté",
    ),
    "sorti de l’établissement": ({"date_sortie": datetime.date(2026, 10, 1)}, "a quitté l’établissement"),
}


@pytest.mark.parametrize("attributs,raison", CAS.values(), ids=CAS.keys())
def test_une_seule_regle_et_son_explication(cast, attributs, raison):
    eleve = EleveFactory(etablissement=cast.lp_a, sexe="M", **attributs)
    eligible = Eleve.objects.eligibles().filter(pk=eleve.pk).exists()
    assert eligible == (raison is None)
    if raison is None:
        assert eleve.raison_non_eligible() is None
    else:
        assert raison in eleve.raison_non_eligible()
        assert eleve.raison_non_eligible().startswith(f"{eleve} n’est pas éligible à l’appariement")


def test_les_raisons_accordees_pour_une_eleve(cast):
    eleve = EleveFactory(etablissement=cast.lp_a, sexe="F", inscrit=True, sans_accord_parental=True)
    assert "n’a pas été proposée pour le mentorat" in eleve.raison_non_eligible()
    assert "est mineure sans accord daté" in eleve.raison_non_eligible()


def test_a_apparier_ecarte_les_eleves_deja_en_binome(cast):
    libre = EleveFactory(etablissement=cast.lp_a)
    pris = BinomeFactory(dispositif=cast.dispositif_a).eleve
    assert list(Eleve.objects.filter(etablissement=cast.lp_a).a_apparier()) == [libre]
    assert pris in Eleve.objects.eligibles()


@pytest.mark.parametrize("trait", ["inscrit", "non_volontaire", "sans_accord_parental"])
def test_le_service_refuse_un_eleve_non_eligible(cast, trait):
    mentor = MentorFactory(etablissement=cast.lp_a, verifie=True)
    eleve = EleveFactory(etablissement=cast.lp_a, **{trait: True})
    with pytest.raises(ValidationError, match="n’est pas éligible à l’appariement"):
        services.binome_creer(dispositif=cast.dispositif_a, mentor=mentor, eleve=eleve)
    assert not Binome.objects.exists()


def test_le_service_relit_l_eleve(cast):
    """An agreement withdrawn after the page was built: the stale object does not get through."""
    mentor = MentorFactory(etablissement=cast.lp_a, verifie=True)
    eleve = EleveFactory(etablissement=cast.lp_a)
    Eleve.objects.filter(pk=eleve.pk).update(volontaire=False, date_volontariat=None)
    with pytest.raises(ValidationError, match="n’a pas donné son accord"):
        services.binome_creer(dispositif=cast.dispositif_a, mentor=mentor, eleve=eleve)


def test_accepter_une_proposition_refuse_un_eleve_devenu_non_eligible(cast):
    proposition = PropositionFactory(reunion__dispositif=cast.dispositif_a)
    Eleve.objects.filter(pk=proposition.eleve_id).update(consentement_parental=Consentement.NON, sexe="M")
    with pytest.raises(ValidationError, match="est mineur sans accord daté de ses responsables légaux"):
        services.proposition_accepter(proposition=proposition)
    proposition.refresh_from_db()
    assert proposition.statut == StatutProposition.PROPOSEE and not Binome.objects.exists()


def test_le_calcul_refuse_un_eleve_non_eligible(cast):
    reunion = ReunionAppariementFactory(dispositif=cast.dispositif_a)
    eleves = [EleveFactory(etablissement=cast.lp_a), EleveFactory(etablissement=cast.lp_a, non_volontaire=True)]
    with pytest.raises(ValidationError, match="n’a pas donné son accord"):
        services.reunion_calculer_propositions(
            reunion=reunion, eleves=eleves, mentors=[MentorFactory(etablissement=cast.lp_a, verifie=True)]
        )
    assert not reunion.propositions.exists()


def test_proposer_un_eleve_importe(cast):
    eleve = EleveFactory(etablissement=cast.lp_a, inscrit=True, sexe="M")
    services.eleve_proposer(
        eleve=eleve, par=cast.personnel_a, identifie_par="enseignant", cadre_identification="", retenir=False
    )
    eleve.refresh_from_db()
    assert (eleve.statut, eleve.propose_par, eleve.identifie_par) == (
        StatutEleve.PROPOSE,
        cast.personnel_a,
        "enseignant",
    )
    with pytest.raises(ValidationError, match="est déjà proposé, à confirmer"):
        services.eleve_proposer(eleve=eleve, par=cast.referent_a, identifie_par="cpe", retenir=True)
