"""Retention: the right people are anonymised, everywhere, and past indicators do not move."""

import datetime
from io import BytesIO, StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from pypdf import PdfReader

from bilans import rapports
from bilans.indicateurs import indicateurs_par_dispositif
from bilans.models import RapportAnnuel, ResultatEleve
from binomes.models import Binome, Eleve, Honorabilite, ImportSiecle, Mentor, ObjectifBinome, Proposition, StatutBinome
from binomes.tests.factories import BinomeFactory, EleveFactory, ImportSiecleFactory, MentorFactory, PropositionFactory
from etablissements.models import Affectation
from etablissements.tests.factories import DispositifFactory
from rgpd import retention
from seances import vie_scolaire
from seances.models import Alerte, AvancementObjectif, Notification, Participation, Presence
from seances.tests.factories import AlerteFactory, ImportAbsencesFactory, SeanceFactory
from socle.models import JournalAcces
from socle.roles import Role
from socle.validators import valider_ine

PARIS = ZoneInfo("Europe/Paris")


def le(jour: datetime.date):
    return time_machine.travel(datetime.datetime.combine(jour, datetime.time(10), tzinfo=PARIS), tick=False)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def monde(cast, settings):
    """LP A with a 2023-2024 dispositif (long over), a 2024-2025 one (the boundary) and the current one."""
    settings.RETENTION_ELEVES_JOURS = 365
    settings.RETENTION_MENTORS_JOURS = 365
    lp = cast.lp_a
    d2023 = DispositifFactory(etablissement=lp, annee=2023, partenaire=cast.partenaire_a)
    d2024 = DispositifFactory(etablissement=lp, annee=2024, partenaire=cast.partenaire_a)
    ancien = BinomeFactory(
        dispositif=d2023,
        eleve__nom="Zéphyrin",
        eleve__prenom="Anaïs",
        eleve__besoins_note="Veut devenir électricienne.",
        eleve__date_naissance=datetime.date(2006, 5, 4),
        mentor__nom="Quenouille",
        mentor__prenom="Bérénice",
        mentor__email="berenice@entreprise.fr",
        mentor__user=cast.mentor_a,
        statut=StatutBinome.TERMINE,
        date_debut=datetime.date(2023, 10, 2),
        date_fin=datetime.date(2024, 5, 30),
        objectifs="Trouver un stage avec Anaïs Zéphyrin.",
    )
    rompu = BinomeFactory(
        dispositif=d2023,
        eleve__nom="Wurtzbach",
        eleve__prenom="Gaspard",
        statut=StatutBinome.ROMPU,
        date_debut=datetime.date(2023, 10, 2),
        date_fin=datetime.date(2024, 1, 15),
        date_fin_prevue=datetime.date(2024, 5, 30),
    )
    limite = BinomeFactory(dispositif=d2024, eleve__nom="Limitrophe", eleve__prenom="Ulysse")
    courant = BinomeFactory(dispositif=cast.dispositif_a, eleve__nom="Présent", eleve__prenom="Toujours")
    # The 2023 student is also in this year's… no: the current student stays, whatever happens.
    sorti = EleveFactory(etablissement=lp, nom="Sortant", prenom="Hortense", date_sortie=datetime.date(2025, 1, 10))
    inscrit = EleveFactory(etablissement=lp, nom="Inscrite", prenom="Sans-Binôme")
    seance = SeanceFactory(dispositif=d2023, date=datetime.date(2023, 11, 6), binome=ancien)
    seance.compte_rendu = "Anaïs Zéphyrin a présenté son CV à Bérénice Quenouille."
    seance.save()
    Participation.objects.create(seance=seance, eleve=rompu.eleve, presence=Presence.ABSENT_NON_EXCUSE)
    ResultatEleve.objects.create(dispositif=d2023, eleve=ancien.eleve, presente=True, admis=True, situation="emploi")
    ResultatEleve.objects.create(dispositif=d2023, eleve=rompu.eleve, presente=True, admis=False)
    AlerteFactory(
        etablissement=lp,
        destinataire=cast.referent_a,
        message="Anaïs Zéphyrin : 2 absences non excusées cette année.",
    )
    AlerteFactory(
        etablissement=lp, destinataire=cast.referent_a, message="Binôme Bérénice Quenouille – Toujours Présent"
    )
    JournalAcces.objects.create(
        utilisateur="referent.a@exemple.fr",
        etablissement_id=lp.pk,
        action="consultation",
        objet=f"Fiche de l’élève Anaïs Zéphyrin (n° {ancien.eleve.pk})",
    )
    Notification.objects.create(
        type="absence_eleve", cle="absence:1", destinataire="berenice@entreprise.fr", seance=seance, donnees={}
    )
    ImportSiecleFactory(
        etablissement=lp,
        lignes=[
            {"ine": ancien.eleve.ine, "nom": "Zéphyrin", "prenom": "Anaïs"},
            {"ine": courant.eleve.ine, "nom": "Présent", "prenom": "Toujours"},
        ],
    )
    PropositionFactory(reunion__dispositif=d2023, eleve=ancien.eleve, mentor=ancien.mentor)
    return {
        "d2023": d2023,
        "ancien": ancien,
        "rompu": rompu,
        "limite": limite,
        "courant": courant,
        "sorti": sorti,
        "inscrit": inscrit,
        "seance": seance,
    }


def _photo():
    """Everything retention may touch, to prove a run changed nothing."""
    return (
        list(Eleve.objects.order_by("pk").values()),
        list(Mentor.objects.order_by("pk").values()),
        list(Honorabilite.objects.order_by("pk").values()),
        list(Binome.objects.order_by("pk").values()),
        list(Alerte.objects.order_by("pk").values("message")),
        list(JournalAcces.objects.order_by("pk").values("objet")),
        list(Notification.objects.order_by("pk").values("destinataire")),
        list(ImportSiecle.objects.order_by("pk").values("lignes")),
        list(Proposition.objects.order_by("pk").values("raisons")),
    )


def _chiffres(dispositif_id):
    indicateurs = indicateurs_par_dispositif([dispositif_id])[dispositif_id]
    return [(i.code, i.valeur, i.numerateur, i.denominateur) for i in indicateurs]


def _texte_rapport(dispositif) -> str:
    rapport, _ = RapportAnnuel.objects.get_or_create(dispositif=dispositif)
    rapports.construire(rapport)
    rapport.refresh_from_db()
    with rapport.fichier.open("rb") as f:
        return "\n".join(page.extract_text() for page in PdfReader(BytesIO(f.read())).pages)


def _anonymises():
    return set(Eleve.objects.filter(retention.ELEVE_ANONYMISE).values_list("pk", flat=True))


@pytest.mark.django_db
def test_les_bonnes_personnes_partent(monde):
    with le(datetime.date(2026, 11, 26)):
        bilan = retention.appliquer()
    partis = {monde["ancien"].eleve.pk, monde["rompu"].eleve.pk, monde["limite"].eleve.pk, monde["sorti"].pk}
    assert {d.personne.pk for d in bilan.eleves} == partis
    assert _anonymises() == partis
    # Still in the programme, or never in it and still at school: they stay.
    for reste in (monde["courant"].eleve, monde["inscrit"]):
        reste.refresh_from_db()
        assert not reste.nom.startswith(retention.PREFIXE_NOM)
    # The mentor with an ended binôme goes; the one of the current binôme stays.
    assert {d.personne.pk for d in bilan.mentors} == {
        monde["ancien"].mentor.pk,
        monde["rompu"].mentor.pk,
        monde["limite"].mentor.pk,
    }
    courant = Mentor.objects.get(pk=monde["courant"].mentor.pk)
    assert courant.honorabilite_valide(datetime.date(2026, 11, 26))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "jour,part",
    [
        # Last binôme in 2024-2025: school year ends 31/08/2025, + 365 days = 31/08/2026.
        (datetime.date(2026, 8, 31), False),
        (datetime.date(2026, 9, 1), True),
    ],
)
def test_jour_limite_fin_du_dispositif(monde, jour, part):
    with le(jour):
        retention.appliquer()
    assert (monde["limite"].eleve.pk in _anonymises()) is part


@pytest.mark.django_db
@pytest.mark.parametrize(
    "jour,part",
    [
        # Left the school on 10/01/2025: + 365 days = 10/01/2026.
        (datetime.date(2026, 1, 10), False),
        (datetime.date(2026, 1, 11), True),
    ],
)
def test_jour_limite_sortie_de_l_etablissement(monde, jour, part):
    with le(jour):
        retention.appliquer()
    assert (monde["sorti"].pk in _anonymises()) is part


@pytest.mark.django_db
def test_delai_reglable(monde, settings):
    settings.RETENTION_ELEVES_JOURS = 3 * 365
    with le(datetime.date(2026, 11, 26)):
        bilan = retention.appliquer()
    assert not bilan.eleves


@pytest.mark.django_db
def test_anonymisation_partout(monde, cast):
    eleve, mentor = monde["ancien"].eleve, monde["ancien"].mentor
    objectif = ObjectifBinome.objects.create(
        binome=monde["ancien"], libelle="Stage chez l’oncle d’Anaïs Zéphyrin", statut="atteint"
    )
    seance = SeanceFactory(dispositif=monde["ancien"].dispositif, date=datetime.date(2024, 1, 10))
    AvancementObjectif.objects.create(seance=seance, objectif=objectif, note="Anaïs a appelé", statut_apres="atteint")
    with le(datetime.date(2026, 11, 26)):
        retention.appliquer()
    objectif.refresh_from_db()
    assert (objectif.libelle, objectif.statut) == (retention.OBJECTIF_EFFACE, "atteint")
    assert AvancementObjectif.objects.get(objectif=objectif).note == ""
    eleve.refresh_from_db()
    assert str(eleve) == f"Élève anonymisé n° {eleve.pk}"
    valider_ine(eleve.ine)  # still passes the model's validator
    assert eleve.ine.endswith("ZZ")
    assert eleve.date_naissance == datetime.date(2006, 1, 1)
    assert eleve.besoins_note == "" and eleve.disponibilites == "" and eleve.propose_par is None
    eleve.full_clean()
    binome = Binome.objects.get(pk=monde["ancien"].pk)
    assert binome.objectifs == "" and binome.statut == StatutBinome.TERMINE
    mentor.refresh_from_db()
    assert str(mentor) == f"Mentor anonymisé n° {mentor.pk}"
    assert mentor.email == "" and mentor.user is None
    assert mentor.honorabilite.statut == "non_verifiee" and mentor.honorabilite.date is None
    assert mentor.honorabilite.expiration is None and mentor.honorabilite.email == ""
    # The mentor's account had nothing else: its mentor role goes, the account is anonymised and closed.
    assert not Affectation.objects.filter(user=cast.mentor_a, role=Role.MENTOR).exists()
    cast.mentor_a.refresh_from_db()
    assert not cast.mentor_a.is_active and cast.mentor_a.email.endswith("@anonyme.invalid")

    textes = " ".join(
        [
            *Alerte.objects.values_list("message", flat=True),
            *JournalAcces.objects.values_list("objet", flat=True),
            *Notification.objects.values_list("destinataire", flat=True),
            str(list(ImportSiecle.objects.values_list("lignes", flat=True))),
            str(list(Proposition.objects.values_list("raisons", flat=True))),
            monde["seance"].__class__.objects.get(pk=monde["seance"].pk).compte_rendu,
        ]
    )
    for nom in ("Zéphyrin", "Anaïs", "Quenouille", "Bérénice", "berenice@"):
        assert nom not in textes, nom
    assert f"Élève anonymisé n° {eleve.pk} : 2 absences" in textes
    assert "Toujours Présent" in textes  # the current student's name is untouched
    assert ImportSiecle.objects.get().lignes == [
        {"ine": monde["courant"].eleve.ine, "nom": "Présent", "prenom": "Toujours"}
    ]


@pytest.mark.django_db
def test_indicateurs_et_rapport_des_annees_passees_inchanges(monde, media):
    d2023 = monde["d2023"]
    with le(datetime.date(2026, 11, 26)):
        avant = _chiffres(d2023.pk)
        texte_avant = _texte_rapport(d2023)
        retention.appliquer()
        apres = _chiffres(d2023.pk)
        texte_apres = _texte_rapport(d2023)
    assert avant == apres
    assert ("reussite", 50.0, 1, 2) in apres and ("abandon", 50.0, 1, 2) in apres
    # The year-end report holds aggregates only: no name before, none after.
    for texte in (texte_avant, texte_apres):
        assert "Indicateurs" in texte
        for nom in ("Zéphyrin", "Anaïs", "Wurtzbach", "Gaspard", "Quenouille", "anonymisé"):
            assert nom not in texte, nom


@pytest.mark.django_db
def test_essai_ne_change_rien(monde):
    avant = _photo()
    sortie = StringIO()
    with le(datetime.date(2026, 11, 26)):
        call_command("retention", "--dry-run", stdout=sortie)
    assert _photo() == avant
    texte = sortie.getvalue()
    assert f"élève n° {monde['ancien'].eleve.pk} " in texte
    assert "serait anonymisé" in texte and "rien n’a été modifié" in texte
    assert f"élève n° {monde['courant'].eleve.pk} " not in texte
    assert "Zéphyrin" not in texte  # no name in logs


@pytest.mark.django_db
def test_deux_passages_ne_changent_rien_de_plus(monde):
    sortie = StringIO()
    with le(datetime.date(2026, 11, 26)):
        call_command("retention", stdout=sortie)
        apres_premier = _photo()
        bilan = retention.appliquer()
    assert "4 élèves et 3 mentors anonymisés" in sortie.getvalue()
    assert not bilan.eleves and not bilan.mentors
    assert _photo() == apres_premier


@pytest.mark.django_db
def test_tache_nocturne(monde, settings):
    from rgpd.tasks import appliquer_retention

    assert settings.CELERY_BEAT_SCHEDULE["retention-rgpd"]["task"] == appliquer_retention.name
    with le(datetime.date(2026, 11, 26)):
        assert appliquer_retention.delay().get() == {"eleves": 4, "mentors": 3}


@pytest.mark.django_db
def test_honorabilite_partagee_effacee_seulement_quand_plus_personne_ne_s_en_sert(cast):
    """A person mentors in LP A (anonymised) and LP B (still active): LP B keeps the verification;
    it is erased with the last mentor row that uses it."""
    a = MentorFactory(etablissement=cast.lp_a, email="paul@exemple.fr", verifie=True)
    b = MentorFactory(etablissement=cast.lp_b, email="Paul@Exemple.fr")
    partagee = b.honorabilite
    assert a.honorabilite == partagee
    retention.anonymiser_mentor(mentor=a)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.honorabilite != partagee
    assert (a.honorabilite.statut, a.honorabilite.date, a.honorabilite.email) == ("non_verifiee", None, "")
    assert b.honorabilite == partagee and b.honorabilite.statut == "verifiee" and b.honorabilite.email
    retention.anonymiser_mentor(mentor=b)
    assert not Honorabilite.objects.filter(pk=partagee.pk).exists()
    assert not Honorabilite.objects.filter(email__icontains="paul").exists()


def test_l_anonymisation_retire_l_eleve_des_exports_d_absences_en_attente(cast):
    """Issue 16: an absence export not yet applied holds the student's cells as read."""
    eleve = EleveFactory(etablissement=cast.lp_a, nom="Dupré", prenom="Léa", ine="123456789AB")
    autre = ["Martin", "Zoé", "", "10/12/2026"]
    kept = ImportAbsencesFactory(
        etablissement=cast.lp_a,
        entetes=["Nom", "Prénom", "INE", "Date"],
        lignes=[[2, ["x", "y", "123456789ab", "10/12/2026"]], [3, ["DUPRE", "lea", "", "10/12/2026"]], [4, autre]],
    )
    retention.anonymiser_eleve(eleve=eleve)
    kept.refresh_from_db()
    assert kept.lignes == [[4, autre]]
    assert vie_scolaire.colonnes_de(kept)["nom"] == 0
