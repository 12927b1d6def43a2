"""Queries compiled once (`socle.requetes`): the same rows as the ORM gives, for every value, through
the database's converters; compiled once per connection; refused where they would be wrong. And their
three uses on every signed-in page: the session, the user's roles, the current LP."""

import datetime
import importlib
import threading

import pytest
from django.apps import apps
from django.contrib.auth.backends import ModelBackend as ModelBackendDjango
from django.contrib.sessions.models import Session
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q
from django.test import Client
from django.urls import reverse
from django.utils.connection import ConnectionDoesNotExist

from binomes.models import Binome
from binomes.tests.factories import BinomeFactory, MentorFactory
from etablissements.middleware import _etablissement
from etablissements.models import Affectation, Dispositif, Etablissement
from etablissements.scoping import Perimetre
from etablissements.tests.factories import AffectationFactory, EntrepriseFactory, EtablissementFactory
from seances.models import AvisEleve
from seances.tests.factories import AvisEleveFactory
from socle.authentification import ModelBackend
from socle.requetes import LONGUEURS_GARDEES, RequeteCompilee
from socle.roles import Role

pytestmark = pytest.mark.django_db


def _binomes_du_mentor(mentor_id, statut):
    return (
        Binome.objects.filter(mentor_id=mentor_id, statut=statut)
        .order_by("pk")
        .values_list("pk", "date_debut", "dispositif__etablissement__nom", "eleve__date_naissance")
    )


def test_les_memes_lignes_que_l_orm_pour_chaque_valeur(cast):
    """Dates (strings under SQLite, converted back), joins, several values of two types."""
    for date_debut in (datetime.date(2026, 9, 14), None, datetime.date(2025, 10, 1)):
        BinomeFactory(dispositif=cast.dispositif_a, date_debut=date_debut, statut="actif")
    BinomeFactory(dispositif=cast.dispositif_b, statut="termine")
    requete = RequeteCompilee(_binomes_du_mentor, int, str)
    for binome in Binome.objects.all():
        for statut in ("actif", "termine", "propose"):
            lignes = requete.lignes(binome.mentor_id, statut)
            assert lignes == list(_binomes_du_mentor(binome.mentor_id, statut))
            assert all(isinstance(ligne, tuple) for ligne in lignes)
    assert requete.lignes(-1, "actif") == []
    date_lue = requete.lignes(Binome.objects.get(date_debut=datetime.date(2026, 9, 14)).mentor_id, "actif")[0][1]
    assert date_lue == datetime.date(2026, 9, 14)


def test_compilee_une_fois_par_connexion(cast, django_assert_num_queries):
    construites = []

    def fabrique(pk):
        construites.append(pk)
        return Etablissement.objects.filter(pk=pk).values_list("nom")

    requete = RequeteCompilee(fabrique, int)
    with django_assert_num_queries(3):
        assert [requete.lignes(lp.pk) for lp in (cast.lp_a, cast.lp_b, cast.lp_a)] == [
            [(cast.lp_a.nom,)], [(cast.lp_b.nom,)], [(cast.lp_a.nom,)]
        ]  # fmt: skip
    # Built with a marker, never a real id: once for the model the routers are asked about, once to compile.
    assert construites == [31_337, 31_337]


class _RouteurQuiNote:
    """Reads of Etablissement go to a database that does not exist: where the compiled query goes shows."""

    lus = []

    def db_for_read(self, model, **hints):
        self.lus.append(model)
        return "base_inconnue" if model is Etablissement else None


def test_lue_sur_la_base_que_choisit_le_routeur(cast, settings):
    """As a queryset would: a dashboard marked to read the replica (socle.routeur) reads it there too."""
    requete = RequeteCompilee(lambda pk: Etablissement.objects.filter(pk=pk).values_list("nom"), int)
    assert requete.lignes(cast.lp_a.pk) == [(cast.lp_a.nom,)]
    settings.DATABASE_ROUTERS = ["socle.tests.test_requetes._RouteurQuiNote", *settings.DATABASE_ROUTERS]
    with pytest.raises(ConnectionDoesNotExist):
        requete.lignes(cast.lp_a.pk)
    assert _RouteurQuiNote.lus[-1] is Etablissement
    # An explicit database wins, as `using()` does.
    assert requete.lignes(cast.lp_b.pk, using="default") == [(cast.lp_b.nom,)]


@pytest.mark.django_db(transaction=True)
def test_chaque_fil_a_sa_compilation():
    """Django gives each thread its own connection: each compiles the query for itself."""
    lp = EtablissementFactory()
    construites = []

    def fabrique(pk):
        construites.append(pk)
        return Etablissement.objects.filter(pk=pk).values_list("uai")

    requete = RequeteCompilee(fabrique, int)
    vues = [requete.lignes(lp.pk)]

    def dans_un_fil():
        try:
            vues.append(requete.lignes(lp.pk))
        finally:
            connections.close_all()

    fil = threading.Thread(target=dans_un_fil)
    fil.start()
    fil.join()
    assert vues == [[(lp.uai,)], [(lp.uai,)]]
    # One compilation per thread's connection, plus the one that told the model to the routers.
    assert len(construites) == 3


def test_refusee_la_ou_elle_serait_fausse(cast):
    with pytest.raises(TypeError):
        RequeteCompilee(lambda jour: Binome.objects.filter(date_debut=jour).values_list("pk"), datetime.date)
    requete = RequeteCompilee(lambda pk: Etablissement.objects.filter(pk=pk).values_list("nom"), int)
    for mauvaise in ("12", None, True, 1.0):
        with pytest.raises(TypeError):
            requete.lignes(mauvaise)
    # A value the query does not place among its parameters, or places twice: its position is unknown.
    with pytest.raises(ValueError):
        RequeteCompilee(lambda pk: Etablissement.objects.values_list("nom"), int).lignes(cast.lp_a.pk)
    with pytest.raises(ValueError):
        RequeteCompilee(
            lambda pk: Etablissement.objects.filter(pk=pk).exclude(pk__gt=pk).values_list("nom"), int
        ).lignes(cast.lp_a.pk)


# Its uses.


def test_le_perimetre_est_celui_des_affectations(cast):
    """Roles read by the compiled query: the same as read through the ORM, for an LP, a partner
    association (the LPs it serves) and an académie."""
    AffectationFactory(user=cast.referent_a, role=Role.CHEF, etablissement=cast.lp_b)
    for user in (cast.referent_a, cast.chef_a, cast.coordonnateur_a, cast.pilotage):
        lignes = list(
            Affectation.objects.filter(user=user).values_list(
                "role", "etablissement_id", "partenaire_id", "academie_id",
                "partenaire__conventions__dispositif__etablissement",
            )
        )  # fmt: skip
        perimetre = Perimetre(user)
        assert {(lp, r) for lp, roles in perimetre.roles.items() for r in roles} >= {
            (etablissement_id, role) for role, etablissement_id, *_ in lignes if etablissement_id
        }
        assert set(perimetre.roles_partenaires) == {partenaire for _, _, partenaire, *_ in lignes if partenaire}
        assert set(perimetre.roles_academies) == {academie for _, _, _, academie, _ in lignes if academie}
    assert Perimetre(cast.coordonnateur_a).roles  # the coordinator reaches the LPs their association serves


def test_le_lp_courant_avec_son_academie_sans_autre_requete(cast, django_assert_num_queries):
    attendu = Etablissement.objects.select_related("academie").get(pk=cast.lp_a.pk)
    with django_assert_num_queries(1):
        lp = _etablissement(cast.lp_a.pk)
        assert lp.academie.nom == attendu.academie.nom
    assert [getattr(lp, f.attname) for f in Etablissement._meta.concrete_fields] == [
        getattr(attendu, f.attname) for f in Etablissement._meta.concrete_fields
    ]
    assert lp._state.adding is False and lp._state.db == "default"
    assert _etablissement(-1) is None


def test_la_session_lue_une_fois_compilee(client, cast, django_assert_num_queries):
    client.force_login(cast.referent_a)
    # Session, user, roles, current LP: the legal notice reads nothing else.
    with django_assert_num_queries(4):
        assert client.get(reverse("mentions_legales")).wsgi_request.user == cast.referent_a
    # An expired session, or one no longer in the database, signs out: the page asks to sign in.
    Session.objects.update(expire_date=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert client.get(reverse("accueil")).status_code == 302
    client.force_login(cast.referent_a)
    assert client.get(reverse("accueil")).status_code == 200
    Session.objects.all().delete()
    assert client.get(reverse("accueil")).status_code == 302


def test_l_utilisateur_de_la_requete_charge_comme_par_django(client, cast, django_assert_num_queries):
    attendu = ModelBackendDjango().get_user(cast.referent_a.pk)
    with django_assert_num_queries(1):
        lu = ModelBackend().get_user(cast.referent_a.pk)
    assert lu == attendu and lu._state.adding is False
    assert [getattr(lu, f.attname) for f in type(lu)._meta.concrete_fields] == [
        getattr(attendu, f.attname) for f in type(attendu)._meta.concrete_fields
    ]
    assert ModelBackend().get_user(-1) is None
    # A deactivated account is signed out at its next request, as with Django's backend.
    client.force_login(cast.referent_a)
    assert client.get(reverse("accueil")).status_code == 200
    type(cast.referent_a).objects.filter(pk=cast.referent_a.pk).update(is_active=False)
    assert ModelBackend().get_user(cast.referent_a.pk) is None
    assert client.get(reverse("accueil")).status_code == 302


def test_les_sessions_ouvertes_avant_le_changement_de_backend_restent_ouvertes(cast):
    """Migration mentorat 0006 (socle): a session opened under Django's ModelBackend name stays signed in (a form
    being filled during the deployment is not lost); the others are left as they are."""
    migration = importlib.import_module("socle.migrations.0006_sessions_nouveau_backend")
    avant = Client()
    avant.force_login(cast.referent_a, backend=migration.ANCIEN)
    assert avant.get(reverse("accueil")).status_code == 302  # the old name is no longer a backend
    proconnect = Client()
    proconnect.force_login(cast.chef_a, backend="etablissements.proconnect.ProConnectBackend")
    donnees_proconnect = Session.objects.get(pk=proconnect.session.session_key).session_data
    migration.en_avant(apps, None)
    assert avant.get(reverse("accueil")).status_code == 200
    assert Session.objects.get(pk=proconnect.session.session_key).session_data == donnees_proconnect
    migration.en_arriere(apps, None)
    assert avant.session["_auth_user_backend"] == migration.ANCIEN


def test_une_petite_colonne_entiere_aussi(cast):
    """The integer markers fit a positive 16-bit column (Django answers an out-of-range value without SQL)."""
    requete = RequeteCompilee(lambda annee: Dispositif.objects.filter(annee=annee).values_list("pk"), int)
    assert requete.lignes(cast.dispositif_a.annee) == list(
        Dispositif.objects.filter(annee=cast.dispositif_a.annee).values_list("pk")
    )


def _binomes_lus(mentor_id):
    return (
        Binome.objects.filter(mentor_id=mentor_id)
        .select_related("eleve", "mentor__entreprise", "dispositif__etablissement")
        .annotate(
            seances_tenues=Count("dispositif__seances", filter=Q(dispositif__seances__statut="tenue")),
            a_un_avis=Exists(AvisEleve.objects.filter(binome=OuterRef("pk"))),
        )
        .order_by("pk")
    )


def _etat(objet, chemins):
    """The fields read of an instance and of its related objects (None when there is none)."""
    etat = {}
    for chemin in chemins:
        cible = objet
        for nom in chemin.split("__") if chemin else ():
            cible = getattr(cible, nom) if cible is not None else None
        etat[chemin] = None if cible is None else {k: v for k, v in vars(cible).items() if not k.startswith("_")}
    return etat


def test_des_instances_comme_le_queryset_les_donne(cast, django_assert_num_queries):
    """select_related (a nullable relation among them), annotations, dates: each object as the ORM builds
    it, its related objects loaded with it (no query to reach them)."""
    avec = MentorFactory(etablissement=cast.lp_a, entreprise=EntrepriseFactory(etablissement=cast.lp_a))
    sans = MentorFactory(etablissement=cast.lp_a, entreprise=None)
    for mentor in (avec, avec, sans):
        binome = BinomeFactory(dispositif=cast.dispositif_a, mentor=mentor, date_debut=datetime.date(2026, 9, 14))
    AvisEleveFactory(binome=binome)
    requete = RequeteCompilee(_binomes_lus, int)
    chemins = ["", "eleve", "mentor", "mentor__entreprise", "dispositif", "dispositif__etablissement"]
    for mentor in (avec, sans, avec):
        attendus = list(_binomes_lus(mentor.pk))
        with django_assert_num_queries(1):
            lus = requete.objets(mentor.pk)
            etats = [_etat(objet, chemins) for objet in lus]
        assert etats == [_etat(objet, chemins) for objet in attendus]
        assert [(o.pk, o.seances_tenues, o.a_un_avis) for o in lus] == [
            (o.pk, o.seances_tenues, o.a_un_avis) for o in attendus
        ]
        assert all(type(o) is Binome and o._state.db == "default" and not o._state.adding for o in lus)
    assert lus[0].mentor.entreprise is not None and requete.objets(sans.pk)[0].mentor.entreprise is None
    with pytest.raises(TypeError):
        RequeteCompilee(lambda pk: Binome.objects.filter(pk=pk).values_list("pk"), int).objets(1)
    with pytest.raises(TypeError):
        requete.lignes(avec.pk)
    with pytest.raises(ValueError):
        RequeteCompilee(lambda pk: Binome.objects.filter(pk=pk).prefetch_related("seances"), int).objets(1)


# Lists of integers (`__in`).


def _binomes_parmi(pks, statut, mentors):
    return (
        Binome.objects.filter(pk__in=pks, statut=statut)
        .exclude(mentor_id__in=mentors)
        .order_by("pk")
        .values_list("pk", "date_debut", "eleve__nom")
    )


def test_des_listes_d_entiers_comme_l_orm(cast, django_assert_num_queries):
    """A list's IN (…) widened to each length, two lists and a text around them: the ORM's rows."""
    binomes = BinomeFactory.create_batch(6, dispositif=cast.dispositif_a, statut="actif")
    binomes[0].statut = "termine"
    binomes[0].save()
    pks = [b.pk for b in binomes]
    requete = RequeteCompilee(_binomes_parmi, list, str, list)
    for liste, statut, exclus in [
        (pks[:1], "actif", [binomes[1].mentor_id]),
        (pks, "actif", [binomes[1].mentor_id, binomes[2].mentor_id]),
        (pks[::-1] + pks[:2], "termine", [-1]),
        (pks[2:5], "actif", [b.mentor_id for b in binomes]),
        ([-5, pks[3]], "actif", [-1, -2, -3]),
    ]:
        assert requete.lignes(liste, statut, exclus) == list(_binomes_parmi(liste, statut, exclus))
    # An empty list is left to the ORM, which asks nothing (`__in=[]` is no SQL); so is a very long one.
    with django_assert_num_queries(0):
        assert requete.lignes([], "actif", [1]) == []
    longue = pks + list(range(10**6, 10**6 + 600))
    assert requete.lignes(longue, "actif", [-1]) == list(_binomes_parmi(pks, "actif", [-1]))
    attendues = list(_binomes_parmi(pks[:3], "actif", [-1]))
    with django_assert_num_queries(1):
        assert requete.lignes(pks[:3], "actif", [-1]) == attendues
    # The SQL of each couple of lengths is kept, up to a bound; beyond it, written each time, still right.
    compilee = next(iter(requete._compilees.values()))
    for longueur in range(1, 200):
        assert requete.lignes(pks[1:2] * longueur, "actif", [-1]) == attendues[:1]
    assert len(compilee._sql_par_longueurs) == LONGUEURS_GARDEES


def test_une_liste_d_instances(cast):
    """objets() with a list: the instances, their select_related() and annotations, in the query's order."""
    lps = [cast.lp_b, cast.lp_a, EtablissementFactory(nom="Aaa lycée")]
    requete = RequeteCompilee(
        lambda pks: Etablissement.objects.filter(pk__in=pks).select_related("academie").order_by("nom"), list
    )
    lus = requete.objets([lp.pk for lp in lps])
    assert [lp.pk for lp in lus] == list(
        Etablissement.objects.filter(pk__in=[lp.pk for lp in lps]).order_by("nom").values_list("pk", flat=True)
    )
    assert [lp.academie.nom for lp in lus] == [lp.academie.nom for lp in sorted(lps, key=lambda lp: lp.nom)]
    assert requete.objets([]) == []


def test_une_liste_refusee_la_ou_elle_serait_fausse(cast):
    requete = RequeteCompilee(lambda pks: Etablissement.objects.filter(pk__in=pks).values_list("nom"), list)
    for mauvaise in ([cast.lp_a.pk, "2"], (cast.lp_a.pk,), [True], cast.lp_a.pk, {cast.lp_a.pk}):
        with pytest.raises(TypeError):
            requete.lignes(mauvaise)
    with pytest.raises(ValueError):  # flat: rows would not be tuples
        RequeteCompilee(lambda pk: Etablissement.objects.filter(pk=pk).values_list("nom", flat=True), int).lignes(1)


def test_un_entier_hors_limites_comme_l_orm(cast):
    """An id typed in a URL may be any size: beyond a 32-bit column's range the ORM answers (nothing
    found, without asking the database), on every run — a prepared statement would refuse it."""
    requete = RequeteCompilee(lambda pk: Etablissement.objects.filter(pk=pk).values_list("nom"), int)
    dans_une_liste = RequeteCompilee(lambda pks: Etablissement.objects.filter(pk__in=pks).values_list("nom"), list)
    for _ in range(3):  # prepared from the second run on PostgreSQL
        assert requete.lignes(cast.lp_a.pk) == [(cast.lp_a.nom,)]
        for enorme in (2**31, 2**40, 2**70, -(2**63) - 1):
            assert requete.lignes(enorme) == list(Etablissement.objects.filter(pk=enorme).values_list("nom")) == []
        for grand in (2**31, 2**40):  # in a list: within what every database takes (SQLite: 64 bits)
            assert dans_une_liste.lignes([cast.lp_a.pk, grand]) == [(cast.lp_a.nom,)]
