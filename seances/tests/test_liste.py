import datetime
import re

import pytest
from django.urls import reverse

from binomes.tests.factories import EleveFactory, MentorFactory
from etablissements.models import Etablissement
from etablissements.tests.factories import ConventionFactory, DispositifFactory
from seances.models import Presence, TypeSeance
from seances.tests.conftest import pages_constantes
from seances.tests.factories import ParticipationFactory, SeanceFactory
from seances.views.seances import LECTURE_SEANCES

URL = reverse("seances:liste")


def pks(reponse) -> list[int]:
    """The séances of the list's page, in order (its rows are values: the id first)."""
    return [ligne[0] for ligne in reponse.context["page"]]


@pytest.fixture
def lp_c(cast):
    """A second LP served by LP A's association: the coordinator sees both."""
    dispositif = DispositifFactory(partenaire=cast.partenaire_a)
    ConventionFactory(dispositif=dispositif)
    return dispositif


def test_le_referent_voit_les_seances_de_son_lp(client, cast):
    a = SeanceFactory(dispositif=cast.dispositif_a, compte_rendu="Séance A")
    SeanceFactory(dispositif=cast.dispositif_b)
    client.force_login(cast.referent_a)
    reponse = client.get(URL)
    assert pks(reponse) == [a.pk]


def test_le_coordonnateur_voit_tous_ses_lp_et_filtre(client, cast, lp_c):
    a = SeanceFactory(dispositif=cast.dispositif_a)
    c = SeanceFactory(dispositif=lp_c)
    SeanceFactory(dispositif=cast.dispositif_b)
    client.force_login(cast.coordonnateur_a)
    assert set(pks(client.get(URL))) == {a.pk, c.pk}
    reponse = client.get(URL, {"etablissement": lp_c.etablissement_id})
    assert pks(reponse) == [c.pk]
    # LP B is not among the choices: filtering on it is a form error, not a leak.
    reponse = client.get(URL, {"etablissement": cast.lp_b.pk})
    assert cast.dispositif_b.seances.first().pk not in pks(reponse)


def test_l_annee_en_cours_par_defaut_les_autres_au_choix(client, cast, time_machine):
    """The list opens on the current school year (by its dispositifs' year); a past year or every year
    is chosen in the filter; a year not offered is said next to its field, and the list is not cut."""
    time_machine.move_to(datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC), tick=False)
    assert cast.dispositif_a.annee == 2026
    passe = DispositifFactory(etablissement=cast.lp_a, annee=2025, partenaire=cast.partenaire_a)
    cette_annee = SeanceFactory(dispositif=cast.dispositif_a, date=datetime.date(2026, 10, 1))
    l_an_dernier = SeanceFactory(dispositif=passe, date=datetime.date(2026, 3, 1))
    client.force_login(cast.coordonnateur_a)
    reponse = client.get(URL)
    assert pks(reponse) == [cette_annee.pk]
    html = reponse.content.decode()
    assert "Année scolaire" in html and '<option value="2026" selected>2026-2027</option>' in html
    assert pks(client.get(URL, {"annee": "2025"})) == [l_an_dernier.pk]
    assert pks(client.get(URL, {"annee": "toutes"})) == [cette_annee.pk, l_an_dernier.pk]
    for refusee in ("1990", "deux-mille"):
        reponse = client.get(URL, {"annee": refusee})
        assert reponse.status_code == 200
        assert f"Sélectionnez un choix valide. {refusee} n’en fait pas partie." in reponse.content.decode()
        assert pks(reponse) == [cette_annee.pk, l_an_dernier.pk]


def test_les_lp_du_filtre_sont_ceux_que_lit_le_perimetre(client, cast, lp_c):
    """The filter's LP options (read by a compiled query) are those of `for_user`, in their order, for a
    coordinator of two LPs, a référent of one, and a mentor (who reads séances of their LP too)."""
    for user in (cast.coordonnateur_a, cast.referent_a, cast.mentor_a):
        client.force_login(user)
        options = client.get(URL).context["filtre"].form.fields["etablissement"].widget.choices
        attendues = [("", "---------")] + [
            (str(lp.pk), str(lp)) for lp in Etablissement.objects.for_user(user, roles=LECTURE_SEANCES)
        ]
        assert [(str(valeur), str(libelle)) for valeur, libelle in options] == attendues
        assert len(attendues) == (3 if user == cast.coordonnateur_a else 2)


def test_filtre_par_type(client, cast):
    SeanceFactory(dispositif=cast.dispositif_a, type=TypeSeance.ENTRETIEN)
    atelier = SeanceFactory(dispositif=cast.dispositif_a, type=TypeSeance.ATELIER_CV)
    client.force_login(cast.referent_a)
    assert pks(client.get(URL, {"type": "atelier_cv"})) == [atelier.pk]


def test_le_mentor_ne_voit_que_ses_seances(client, cast, binome_a):
    mienne = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a)
    SeanceFactory(dispositif=cast.dispositif_a)
    client.force_login(cast.mentor_a)
    reponse = client.get(URL)
    assert pks(reponse) == [mienne.pk]
    assert reverse("seances:calendrier") in reponse.content.decode()


@pytest.mark.parametrize("qui", ["personnel_a", "sans_role", "pilotage"])
def test_roles_sans_acces(client, cast, qui):
    client.force_login(getattr(cast, qui))
    assert client.get(URL).status_code == 403


def test_nombre_de_requetes_constant(client, cast, binome_a, django_assert_max_num_queries, django_assert_num_queries):
    SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a)
    client.force_login(cast.coordonnateur_a)

    def plus():
        for _ in range(5):
            SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a)

    reponse = pages_constantes(client, URL, plus, django_assert_max_num_queries, django_assert_num_queries)
    assert len(reponse.context["page"]) == 6


def test_chaque_seance_nomme_ses_participants_et_leurs_absences(client, cast):
    """The participants' cell: names in the séance's order (mentors, then students by name), each
    absence agreed with the student's gender, present or expected people without a word, escaped."""
    seance = SeanceFactory(dispositif=cast.dispositif_a)
    autre = SeanceFactory(dispositif=cast.dispositif_a, date=seance.date.replace(day=3))
    lp = cast.lp_a
    for seance_de, presence, prenom, nom, sexe in [
        (seance, Presence.PRESENT, "Zoé", "Zeller", "F"),
        (seance, Presence.ABSENT_EXCUSE, "Léa", "Martin", "F"),
        (seance, Presence.ABSENT_NON_EXCUSE, "Hugo", "<b>Blanc</b>", "M"),
        (autre, Presence.ATTENDU, "Noé", "Petit", "M"),
    ]:
        eleve = EleveFactory(etablissement=lp, prenom=prenom, nom=nom, sexe=sexe)
        ParticipationFactory(seance=seance_de, presence=presence, eleve=eleve)
    ParticipationFactory(
        seance=seance,
        presence=Presence.ABSENT_EXCUSE,
        eleve=None,
        mentor=MentorFactory(etablissement=lp, prenom="Anne", nom="Roux"),
    )
    client.force_login(cast.referent_a)
    reponse = client.get(URL)
    html = reponse.content.decode()
    # Each row: the séance's link, then its type, LP and participants' cells.
    lignes = re.findall(r'<tr><td><a href="([^"]+)">[^<]*</a></td><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>', html)
    assert dict(lignes) == {
        seance.get_absolute_url(): "Anne Roux (absent excusé), Hugo &lt;b&gt;Blanc&lt;/b&gt; (absent non excusé), "
        "Léa Martin (absente excusée), Zoé Zeller",
        autre.get_absolute_url(): "Noé Petit",
    }
    assert len(lignes) == 2
    assert "Hugo &lt;b&gt;Blanc&lt;/b&gt; (absent non excusé)" in html
    assert "<b>Blanc</b>" not in html
