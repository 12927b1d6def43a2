"""Pairing rules and binôme lifecycle, whatever calls the services (acceptance 2)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from binomes import services
from binomes.models import Binome, StatutBinome, StatutHonorabilite, StatutProposition

from .factories import BinomeFactory, EleveFactory, MentorFactory, PropositionFactory

pytestmark = pytest.mark.django_db
AUJOURD_HUI = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def aujourd_hui(time_machine):
    time_machine.move_to(AUJOURD_HUI, tick=False)


def creer(cast, mentor, eleve=None):
    return services.binome_creer(
        dispositif=cast.dispositif_a, mentor=mentor, eleve=eleve or EleveFactory(etablissement=cast.lp_a)
    )


@pytest.mark.parametrize(
    "attributs,message",
    [
        ({}, "n’est pas vérifiée"),
        ({"honorabilite__statut": StatutHonorabilite.EN_COURS}, "n’est pas vérifiée"),
        ({"honorabilite__statut": StatutHonorabilite.REFUSEE}, "a été refusée"),
        (
            {
                "honorabilite__statut": StatutHonorabilite.VERIFIEE,
                "honorabilite__date": datetime.date(2025, 9, 1),
                "honorabilite__expiration": datetime.date(2026, 11, 19),
            },
            "a expiré le 19/11/2026",
        ),
    ],
)
def test_honorabilite_absente_refusee_ou_expiree_bloque(cast, aujourd_hui, attributs, message):
    mentor = MentorFactory(etablissement=cast.lp_a, **attributs)
    with pytest.raises(ValidationError, match=message):
        creer(cast, mentor)
    assert not Binome.objects.exists()


def test_honorabilite_valide_jusqu_au_jour_d_expiration(cast, time_machine):
    mentor = MentorFactory(etablissement=cast.lp_a, verifie=True, honorabilite__expiration=datetime.date(2026, 11, 20))
    time_machine.move_to(AUJOURD_HUI, tick=False)
    assert creer(cast, mentor).statut == StatutBinome.PROPOSE
    time_machine.move_to(AUJOURD_HUI + datetime.timedelta(days=1), tick=False)
    with pytest.raises(ValidationError, match="expiré"):
        creer(cast, mentor)


def test_capacite_atteinte_bloque_et_une_rupture_libere_la_place(cast, aujourd_hui):
    mentor = MentorFactory(etablissement=cast.lp_a, verifie=True, capacite=2)
    premier = creer(cast, mentor)
    BinomeFactory(dispositif=cast.dispositif_a, mentor=mentor, statut=StatutBinome.SUSPENDU)
    with pytest.raises(ValidationError, match="capacité maximale"):
        creer(cast, mentor)
    services.binome_rompre(binome=premier, motif="Déménagement de l’élève", par=cast.referent_a)
    assert creer(cast, mentor)


def test_mentor_d_un_autre_lp_refuse(cast, aujourd_hui):
    with pytest.raises(ValidationError, match="même lycée"):
        creer(cast, MentorFactory(etablissement=cast.lp_b, verifie=True))


def test_cycle_de_vie_et_reappariement_garde_l_historique(cast, aujourd_hui):
    eleve = EleveFactory(etablissement=cast.lp_a)
    binome = creer(cast, MentorFactory(etablissement=cast.lp_a, verifie=True), eleve)
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        services.binome_suspendre(binome=binome)
    binome = services.binome_activer(binome=binome)
    assert binome.date_debut == datetime.date(2026, 11, 20)
    services.binome_suspendre(binome=binome)
    services.binome_activer(binome=binome)
    with pytest.raises(ValidationError, match="a déjà un binôme en cours"):
        creer(cast, MentorFactory(etablissement=cast.lp_a, verifie=True), eleve)
    with pytest.raises(ValidationError, match="motif"):
        services.binome_rompre(binome=binome, motif=" ", par=cast.referent_a)
    rompu = services.binome_rompre(binome=binome, motif="Incompatibilité d’horaires", par=cast.referent_a)
    assert (rompu.statut, rompu.date_fin, rompu.fin_saisie_par) == (
        StatutBinome.ROMPU,
        datetime.date(2026, 11, 20),
        cast.referent_a,
    )
    nouveau = creer(cast, MentorFactory(etablissement=cast.lp_a, verifie=True), eleve)
    assert list(Binome.objects.filter(eleve=eleve).order_by("pk").values_list("statut", flat=True)) == [
        StatutBinome.ROMPU,
        StatutBinome.PROPOSE,
    ]
    services.binome_activer(binome=nouveau)
    fini = services.binome_terminer(binome=nouveau, par=cast.referent_a, le=datetime.date(2027, 6, 1))
    assert fini.statut == StatutBinome.TERMINE and fini.date_fin == datetime.date(2027, 6, 1)


def test_activation_bloquee_si_honorabilite_expiree_entre_temps(cast, time_machine):
    mentor = MentorFactory(etablissement=cast.lp_a, verifie=True, honorabilite__expiration=datetime.date(2026, 12, 1))
    time_machine.move_to(AUJOURD_HUI, tick=False)
    binome = creer(cast, mentor)
    time_machine.move_to(datetime.datetime(2026, 12, 2, 10, tzinfo=datetime.UTC), tick=False)
    with pytest.raises(ValidationError, match="expiré"):
        services.binome_activer(binome=binome)


def test_propositions_acceptee_changee_rejetee(cast, aujourd_hui):
    p1 = PropositionFactory(reunion__dispositif=cast.dispositif_a)
    binome = services.proposition_accepter(proposition=p1)
    p1.refresh_from_db()
    assert (p1.statut, p1.binome) == (StatutProposition.ACCEPTEE, binome)
    with pytest.raises(ValidationError, match="déjà été traitée"):
        services.proposition_rejeter(proposition=p1)

    p2 = PropositionFactory(reunion=p1.reunion)
    autre = MentorFactory(etablissement=cast.lp_a, verifie=True)
    binome2 = services.proposition_changer(proposition=p2, mentor=autre)
    p2.refresh_from_db()
    assert (p2.statut, binome2.mentor, p2.mentor != autre) == (StatutProposition.MODIFIEE, autre, True)

    p3 = PropositionFactory(reunion=p1.reunion)
    bloque = MentorFactory(etablissement=cast.lp_a)
    with pytest.raises(ValidationError, match="pas vérifiée"):
        services.proposition_changer(proposition=p3, mentor=bloque)
    p3.refresh_from_db()
    assert p3.statut == StatutProposition.PROPOSEE
    services.proposition_rejeter(proposition=p3)
    p3.refresh_from_db()
    assert p3.statut == StatutProposition.REJETEE and p3.binome is None
