"""The séance's page reads its séance, participations, notes and answers by compiled queries
(issue 18): the same objects, the same scoping answers as the ORM's readings they replace."""

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from binomes.tests.factories import EleveFactory, MentorFactory
from etablissements.scoping import get_compile_for_user, get_for_user, lectures_sur
from seances import rappels, voix
from seances.models import NoteMentor, Participation, Presence, Rappel, Seance
from seances.tests.factories import SeanceFactory
from seances.views.seances import _PARTICIPATIONS_DE_LA_SEANCE, _SEANCE, _participations
from socle.models import User
from socle.requetes import ranger_comme_prefetch

pytestmark = pytest.mark.django_db


def _issue(fonction, *args, **kwargs):
    """What a lookup answers: the object's pk, or the exception it raises."""
    try:
        return fonction(*args, **kwargs).pk
    except (Http404, PermissionDenied) as erreur:
        return type(erreur).__name__


def _utilisateurs(cast) -> list:
    """Every account of the cast (one per role and place, and one without any role)."""
    return [getattr(cast, f.name) for f in dataclasses.fields(cast) if isinstance(getattr(cast, f.name), User)]


def _comparer(cast, modele, requete, pks) -> set:
    """`get_compile_for_user` answers as `get_for_user` for every user × pk × reading or writing; the
    (user's email, answer) couples met, an answer being "trouvé", "Http404" or "PermissionDenied"."""
    vus = set()
    for user in _utilisateurs(cast):
        for pk in pks:
            for ecriture in (False, True):
                attendu = _issue(get_for_user, modele, user, ecriture=ecriture, pk=pk)
                obtenu = _issue(get_compile_for_user, requete, user, pk, ecriture=ecriture)
                assert obtenu == attendu, (user.email, pk, ecriture)
                vus.add((user.email, attendu if isinstance(attendu, str) else "trouvé"))
    return vus


@pytest.fixture
def seances(cast, binome_a):
    autre_mentor = MentorFactory(etablissement=cast.lp_a)
    return [
        # The mentor_a's pair is expected here: the mentor reads it through ACCES_PERSONNEL.
        SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a),
        # Another mentor's séance of the same LP: not the mentor_a's.
        SeanceFactory(dispositif=cast.dispositif_a).participations.create(mentor=autre_mentor).seance,
        SeanceFactory(dispositif=cast.dispositif_b),
    ]


def test_get_compile_for_user_repond_comme_get_for_user(cast, seances):
    """Every user of the cast × every séance (and a missing one) × reading or writing: the same pk,
    404 or 403 as the ORM's scoped lookup."""
    assert len(_utilisateurs(cast)) >= 10
    # A missing one, and ids of any size (typed in a URL): 404 as the ORM answers.
    pks = [s.pk for s in seances] + [max(s.pk for s in seances) + 1000, 2**31, 2**70]
    vus = _comparer(cast, Seance, _SEANCE, pks)
    # Each answer was met: found, out of scope, read-only.
    assert {reponse for _email, reponse in vus} == {"trouvé", "Http404", "PermissionDenied"}


def test_get_compile_for_user_pour_l_eleve_et_son_acces_personnel(cast):
    """The student's page: a teacher reads only the students they proposed (ACCES_PERSONNEL)."""
    from binomes.models import Eleve
    from binomes.views.fiches import _ELEVE

    eleves = [
        EleveFactory(etablissement=cast.lp_a, propose_par=cast.personnel_a),
        EleveFactory(etablissement=cast.lp_a),
        EleveFactory(etablissement=cast.lp_b),
    ]
    vus = _comparer(cast, Eleve, _ELEVE, [e.pk for e in eleves] + [max(e.pk for e in eleves) + 1000])
    assert ("enseignant.a@exemple.fr", "trouvé") in vus and ("enseignant.a@exemple.fr", "Http404") in vus


def test_get_compile_for_user_avec_des_roles_comme_for_user(cast):
    """`roles=`: the LPs where the user holds one of them, as `for_user(user, roles=…)` (the séance
    entry's dispositif: the coordinator's and the référent's LPs, nobody else's)."""
    from etablissements.models import Dispositif
    from seances.views.seances import _DISPOSITIF
    from socle import roles as R

    pks = [cast.dispositif_a.pk, cast.dispositif_b.pk, cast.dispositif_b.pk + 1000, 2**40]
    trouves = set()
    for user in _utilisateurs(cast):
        for pk in pks:
            attendu = Dispositif.objects.for_user(user, roles=R.SUIVI_PARTENAIRE).filter(pk=pk).exists()
            obtenu = _issue(get_compile_for_user, _DISPOSITIF, user, pk, roles=R.SUIVI_PARTENAIRE)
            assert (obtenu == pk) is attendu and (attendu or obtenu == "Http404"), (user.email, pk)
            if attendu:
                trouves.add(user.email)
    assert trouves == {"referent.a@exemple.fr", "coordonnateur.a@exemple.fr", "referent.b@exemple.fr"}


def test_lectures_sur(cast):
    lp = cast.lp_a.pk
    assert lectures_sur(cast.referent_a, Seance, lp) is None
    assert lectures_sur(cast.mentor_a, Seance, lp) == ("participations__mentor__user",)
    assert lectures_sur(cast.referent_b, Seance, lp) == ()
    assert lectures_sur(cast.mentor_a, NoteMentor, lp) == ("mentor__user",)
    assert lectures_sur(cast.coordonnateur_a, NoteMentor, lp) is None


def test_ranger_comme_prefetch_donne_ce_que_prefetch_related_donne(cast, binome_a, django_assert_num_queries):
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a)
    for nom in ("Zoé", "Abel"):
        seance.participations.create(
            eleve=EleveFactory(etablissement=cast.lp_a, nom=nom), presence=Presence.ABSENT_EXCUSE
        )
    prefetchee = Seance.objects.prefetch_related(_participations()).get(pk=seance.pk)
    compilee = _SEANCE.objets(seance.pk)[0]
    ranger_comme_prefetch(compilee, "participations", _PARTICIPATIONS_DE_LA_SEANCE.objets(seance.pk))

    def lu(s):
        return [
            (p.pk, p.eleve_id, p.mentor_id, p.presence, str(p.eleve or p.mentor), p.seance is s)
            for p in s.participations.all()
        ]

    with django_assert_num_queries(0):
        assert lu(compilee) == lu(prefetchee)
        assert len(lu(compilee)) == 4
    # Still a queryset of the relation: filtering it asks the database, for this séance only.
    assert list(compilee.participations.filter(mentor__isnull=False)) == [
        p for p in prefetchee.participations.all() if p.mentor_id
    ]


def test_ranger_comme_prefetch_refuse_une_cle_etrangere_directe(cast):
    participation = Participation.objects.create(
        seance=SeanceFactory(dispositif=cast.dispositif_a), eleve=EleveFactory(etablissement=cast.lp_a)
    )
    with pytest.raises(TypeError):
        ranger_comme_prefetch(participation, "seance", [])


def test_notes_lisibles_comme_la_lecture_de_l_orm(cast, binome_a):
    """Each user reads the notes `NoteMentor.objects.for_user` gives them, their séance included."""
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a)
    autre = MentorFactory(etablissement=cast.lp_a)
    seance.participations.create(mentor=autre)
    NoteMentor.objects.create(seance=seance, mentor=binome_a.mentor, a_eu_lieu=True)
    NoteMentor.objects.create(seance=seance, mentor=autre, a_eu_lieu=True)
    seance = _SEANCE.objets(seance.pk)[0]
    lus = {}
    for user in _utilisateurs(cast):
        attendu = sorted(NoteMentor.objects.for_user(user).filter(seance=seance).values_list("pk", flat=True))
        notes = voix.notes_lisibles(user=user, seance=seance)
        assert sorted(n.pk for n in notes) == attendu, user.email
        assert all(n.seance is seance for n in notes)
        lus[user.email] = len(notes)
    assert lus["referent.a@exemple.fr"] == 2 and lus["mentor.a@exemple.fr"] == 1 and lus["referent.b@exemple.fr"] == 0


def test_reponses_visibles_comme_la_lecture_de_l_orm(cast, binome_a):
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a)
    cle = rappels.cle_de(seance)
    autre = MentorFactory(etablissement=cast.lp_a)
    seance.participations.create(mentor=autre)
    Rappel.objects.create(
        seance=seance,
        mentor=binome_a.mentor,
        cle=cle,
        destinataire="a@x.fr",
        reponse="confirmee",
        repondu_le=timezone.now(),
    )
    Rappel.objects.create(seance=seance, mentor=autre, cle=cle, destinataire="b@x.fr", reponse="")
    Rappel.objects.create(
        seance=seance,
        mentor=autre,
        cle="2020-01-01",
        destinataire="b@x.fr",
        reponse="empechement",
        repondu_le=timezone.now(),
    )
    participations = list(seance.participations.all())
    with CaptureQueriesContext(connection) as requetes:
        reponses = rappels.reponses_visibles(seance=seance, participations=participations)
    assert len(requetes) == 1
    attendu = list(
        Rappel.objects.filter(seance=seance, mentor__in=[binome_a.mentor.pk, autre.pk], cle=cle)
        .exclude(reponse="")
        .order_by("repondu_le")
    )
    assert reponses == attendu and len(reponses) == 1
    assert reponses[0].mentor == binome_a.mentor
    assert rappels.reponses_visibles(seance=seance, participations=[p for p in participations if p.eleve_id]) == []
