"""The attendance grid of the séance page: which rows it lists, how it validates, how it renders."""

import datetime

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from binomes.models import Eleve, Mentor, StatutBinome
from binomes.tests.factories import BinomeFactory, EleveFactory, MentorFactory
from etablissements.tests.factories import ConventionFactory, DispositifFactory
from seances.models import Participation, Presence, Seance
from seances.tests.conftest import donnees, pages_constantes
from seances.tests.factories import SeanceFactory
from tests.outils import dom

URL = reverse("seances:nouvelle")
TOUS = "Afficher tous les élèves et mentors du LP"
BINOMES = "N’afficher que les binômes du dispositif"


def lignes(reponse):
    """Keys of the grid's rows, in order ("m12", "e34")."""
    return [ligne.cle for ligne in reponse.context["grille"].lignes]


def liens(root):
    return {lien.text(): lien.attrs["href"] for lien in root.find_all("a", "fr-link")}


@pytest.fixture
def lp(cast, binome_a):
    """LP A: an active binôme of the dispositif, and people the séance does not concern by default."""

    class LP:
        binome = binome_a
        sans_binome = EleveFactory(etablissement=cast.lp_a, nom="Sans-Binôme")
        mentor_libre = MentorFactory(etablissement=cast.lp_a, verifie=True, nom="Libre")
        suspendu = BinomeFactory(dispositif=cast.dispositif_a, statut=StatutBinome.SUSPENDU)
        termine = BinomeFactory(dispositif=cast.dispositif_a, statut=StatutBinome.TERMINE)
        # Another dispositif of the same LP (another year) and a binôme of LP B.
        autre_dispositif = BinomeFactory(dispositif=DispositifFactory(etablissement=cast.lp_a, annee=2019))
        lp_b = BinomeFactory(dispositif=cast.dispositif_b)

    return LP


def test_par_defaut_les_binomes_actifs_du_dispositif(client, cast, lp):
    client.force_login(cast.coordonnateur_a)
    reponse = client.get(URL, {"dispositif": cast.dispositif_a.pk})
    # Mentors then students, each by name.
    assert lignes(reponse) == [f"m{lp.binome.mentor.pk}", f"e{lp.binome.eleve.pk}"]
    root = dom(reponse.content.decode())
    assert liens(root)[TOUS] == f"?dispositif={cast.dispositif_a.pk}&tous=1"
    assert BINOMES not in liens(root)
    assert "Sont listés les élèves et mentors des binômes actifs du dispositif." in root.text()


def test_tous_les_eleves_et_mentors_du_lp_sur_demande(client, cast, lp):
    # A student who has left the LP is not offered for a new séance.
    parti = EleveFactory(etablissement=cast.lp_a, nom="Parti", date_sortie=datetime.date(2026, 10, 1))
    client.force_login(cast.coordonnateur_a)
    reponse = client.get(URL, {"dispositif": cast.dispositif_a.pk, "tous": "1"})
    cles = lignes(reponse)
    attendus = {f"m{lp.binome.mentor.pk}", f"e{lp.binome.eleve.pk}", f"e{lp.sans_binome.pk}", f"m{lp.mentor_libre.pk}"}
    for binome in (lp.suspendu, lp.termine, lp.autre_dispositif):
        attendus |= {f"m{binome.mentor.pk}", f"e{binome.eleve.pk}"}
    assert set(cles) == attendus and len(cles) == len(attendus)
    # The active binôme first, its mentor then its student; then the other mentors, then the other
    # students, each in the database's name order (its collation).
    binome = [f"m{lp.binome.mentor.pk}", f"e{lp.binome.eleve.pk}"]
    mentors = [f"m{pk}" for pk in Mentor.objects.filter(etablissement=cast.lp_a).values_list("pk", flat=True)]
    eleves = [f"e{pk}" for pk in Eleve.objects.filter(etablissement=cast.lp_a).values_list("pk", flat=True)]
    assert f"e{parti.pk}" in eleves and f"e{parti.pk}" not in cles
    assert cles == binome + [cle for cle in mentors + eleves if cle not in binome and cle != f"e{parti.pk}"]
    root = dom(reponse.content.decode())
    assert liens(root)[BINOMES] == f"?dispositif={cast.dispositif_a.pk}"
    assert TOUS not in liens(root)


def test_sans_binome_actif_tout_le_lp_est_liste(client, cast):
    eleve = EleveFactory(etablissement=cast.lp_a)
    mentor = MentorFactory(etablissement=cast.lp_a, verifie=True)
    BinomeFactory(dispositif=cast.dispositif_a, statut=StatutBinome.PROPOSE)
    client.force_login(cast.coordonnateur_a)
    reponse = client.get(URL)
    assert {f"e{eleve.pk}", f"m{mentor.pk}"} <= set(lignes(reponse))
    root = dom(reponse.content.decode())
    assert "Aucun binôme actif dans ce dispositif : tous les élèves et mentors du lycée sont listés." in root.text()
    assert TOUS not in liens(root) and BINOMES not in liens(root)


def test_la_seance_modifiee_garde_ses_participants(client, cast, lp):
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=lp.binome)
    parti = EleveFactory(etablissement=cast.lp_a, date_sortie=datetime.date(2026, 12, 1))
    Participation.objects.create(seance=seance, eleve=parti, presence=Presence.PRESENT)
    Participation.objects.create(seance=seance, eleve=lp.termine.eleve, presence=Presence.ABSENT_EXCUSE)
    url = reverse("seances:modifier", args=[seance.pk])
    client.force_login(cast.coordonnateur_a)
    reponse = client.get(url)
    assert set(lignes(reponse)) == {
        f"m{lp.binome.mentor.pk}",
        f"e{lp.binome.eleve.pk}",
        f"e{parti.pk}",
        f"e{lp.termine.eleve.pk}",
    }
    presences = {ligne.cle: ligne.valeur for ligne in reponse.context["grille"].lignes}
    assert presences[f"e{parti.pk}"] == Presence.PRESENT
    assert presences[f"e{lp.termine.eleve.pk}"] == Presence.ABSENT_EXCUSE
    root = dom(reponse.content.decode())
    assert liens(root)[TOUS] == "?tous=1"
    assert "et les participants de la séance" in root.text()
    # The whole LP, with the student who left since they attend this séance.
    reponse = client.get(url, {"tous": "1"})
    assert {f"e{parti.pk}", f"e{lp.sans_binome.pk}"} <= set(lignes(reponse))
    assert liens(dom(reponse.content.decode()))[BINOMES] == url


def test_un_eleve_du_lp_hors_des_lignes_par_defaut_est_accepte(client, cast, lp):
    """A row posted from the ?tous=1 list is valid wherever the form is posted: it is someone of the LP."""
    client.force_login(cast.coordonnateur_a)
    for url in (URL, URL + "?tous=1"):
        Seance.objects.all().delete()
        rangs = [(f"e{lp.sans_binome.pk}", "present"), (f"m{lp.mentor_libre.pk}", "present")]
        reponse = client.post(url, donnees(rangs))
        assert reponse.status_code == 302, url
        seance = Seance.objects.get()
        assert {(p.eleve_id, p.mentor_id) for p in seance.participations.all()} == {
            (lp.sans_binome.pk, None),
            (None, lp.mentor_libre.pk),
        }


def test_une_personne_d_un_autre_lp_est_refusee(client, cast, lp):
    client.force_login(cast.coordonnateur_a)
    for cle in (f"e{lp.lp_b.eleve.pk}", f"m{lp.lp_b.mentor.pk}"):
        reponse = client.post(URL, donnees([(f"e{lp.binome.eleve.pk}", "present"), (cle, "present")]))
        assert reponse.status_code == 200
        root = dom(reponse.content.decode())
        ligne = root.find_all("fieldset", "grille-choix__ligne")[1]
        erreur = ligne.find("p", "fr-error-text")
        assert erreur.text() == "Participant inconnu pour cet établissement."
        assert ligne.find("legend").text() == "Participant non reconnu"
        assert all(radio.attrs["aria-describedby"] == erreur.id for radio in ligne.find_all("input", type="radio"))
        resume = [lien.text() for lien in root.find("div", "fr-alert fr-alert--error").find_all("a")]
        assert "Participant non reconnu : Participant inconnu pour cet établissement." in resume
    assert not Seance.objects.exists()


def test_les_cases_cochees_survivent_a_une_erreur(client, cast, lp):
    client.force_login(cast.coordonnateur_a)
    mentor, eleve, libre = f"m{lp.binome.mentor.pk}", f"e{lp.binome.eleve.pk}", f"e{lp.sans_binome.pk}"
    reponse = client.post(
        URL, donnees([(mentor, "present"), (eleve, "absent_non_excuse"), (libre, "")], date="pas une date")
    )
    assert reponse.status_code == 200 and not Seance.objects.exists()
    lignes_html = dom(reponse.content.decode()).find_all("fieldset", "grille-choix__ligne")
    coches = {
        ligne.find("input", type="hidden").attrs["value"]: [
            radio.attrs["value"] for radio in ligne.find_all("input", type="radio") if "checked" in radio.attrs
        ]
        for ligne in lignes_html
    }
    # The posted rows come back (the student outside the binômes included), with their values.
    assert coches == {mentor: ["present"], eleve: ["absent_non_excuse"], libre: [""]}


def test_une_ligne_de_boutons_par_personne_groupees_par_binome(client, cast, lp):
    autre = BinomeFactory(dispositif=cast.dispositif_a, eleve=EleveFactory(etablissement=cast.lp_a, nom="Zola"))
    client.force_login(cast.coordonnateur_a)
    root = dom(client.get(URL).content.decode())
    groupes = root.find_all("div", "grille-choix__groupe")
    titres = [groupe.find("p", "grille-choix__titre") for groupe in groupes]
    binome = lp.binome
    assert [titre.text() for titre in titres] == [
        f"Binôme : {binome.eleve} avec {binome.mentor}",
        f"Binôme : {autre.eleve} avec {autre.mentor}",
    ]
    for groupe, titre in zip(groupes, titres, strict=True):
        assert (groupe.attrs["role"], groupe.attrs["aria-labelledby"]) == ("group", titre.id)
    # The mentor and the student of a binôme side by side, each a fieldset named by the person.
    lignes = groupes[0].find_all("fieldset", "grille-choix__ligne")
    assert [ligne.find("legend").text() for ligne in lignes] == [
        f"{binome.mentor} — mentor",
        f"{binome.eleve} — 1MELEC",
    ]
    eleve = lignes[1]
    radios = eleve.find_all("input", type="radio")
    assert len({radio.attrs["name"] for radio in radios}) == 1, "one radio group per row (arrow keys)"
    assert [radio.attrs["value"] for radio in radios] == [
        "",
        "attendu",
        "present",
        "absent_excuse",
        "absent_non_excuse",
    ]
    labels = [eleve.find("label", **{"for": radio.id}) for radio in radios]
    # Each choice a button; its accessible name also names the person, for a screen reader.
    assert [label.text() for label in labels] == [
        f"{choix} — {binome.eleve} — 1MELEC"
        for choix in ("Non concerné", "Attendu", "Présent", "Absent excusé", "Absent non excusé")
    ]
    assert all(label.classes == {"grille-choix__bouton"} for label in labels)
    assert labels[2].find("span", "fr-sr-only").text().strip() == f"— {binome.eleve} — 1MELEC"


def test_hors_binome_les_autres_mentors_et_eleves(client, cast, lp):
    client.force_login(cast.coordonnateur_a)
    root = dom(client.get(URL, {"tous": "1"}).content.decode())
    titres = [titre.text() for titre in root.find_all("p", "grille-choix__titre")]
    assert titres == [f"Binôme : {lp.binome.eleve} avec {lp.binome.mentor}", "Autres mentors", "Autres élèves"]


def test_un_seul_choix_d_etablissement_et_tous_presents(client, cast, lp):
    """The LP is chosen in the header only; « Tous présents » waits for its script (same origin)."""
    ConventionFactory(dispositif=DispositifFactory(partenaire=cast.partenaire_a))  # a second LP served
    client.force_login(cast.coordonnateur_a)
    root = dom(client.get(URL).content.decode())
    assert [select.id for select in root.find_all("select")] == ["choix-etablissement", "id_type", "id_lieu"]
    zone = root.find("div", id="tous-presents")
    assert "hidden" in zone.attrs
    assert zone.find("button").attrs["aria-controls"] == "grille-presences"
    sources = [script.attrs.get("src", "") for script in root.find_all("script")]
    assert "/static/seances/presences.js" in sources
    assert all(sources), "no inline script (CSP: same-origin files only)"


@pytest.mark.parametrize("parametres", [{}, {"tous": "1"}])
def test_requetes_constantes_avec_2_ou_40_binomes(
    client, cast, binome_a, parametres, django_assert_max_num_queries, django_assert_num_queries
):
    BinomeFactory(dispositif=cast.dispositif_a)
    client.force_login(cast.coordonnateur_a)

    def plus():
        BinomeFactory.create_batch(38, dispositif=cast.dispositif_a)
        EleveFactory.create_batch(5, etablissement=cast.lp_a)

    url = URL + "?" + urlencode({"dispositif": cast.dispositif_a.pk, **parametres})
    reponse = pages_constantes(client, url, plus, django_assert_max_num_queries, django_assert_num_queries)
    assert len(lignes(reponse)) == (2 * 40 if not parametres else 2 * 40 + 5)


def test_requetes_constantes_de_la_page_de_modification(
    client, cast, binome_a, django_assert_max_num_queries, django_assert_num_queries
):
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a)
    BinomeFactory(dispositif=cast.dispositif_a)
    client.force_login(cast.coordonnateur_a)

    def plus():
        for binome in BinomeFactory.create_batch(38, dispositif=cast.dispositif_a):
            Participation.objects.create(seance=seance, eleve=binome.eleve)

    reponse = pages_constantes(
        client,
        reverse("seances:modifier", args=[seance.pk]),
        plus,
        django_assert_max_num_queries,
        django_assert_num_queries,
    )
    assert len(lignes(reponse)) == 2 * 40


def test_une_personne_postee_deux_fois_est_signalee(client, cast, lp):
    """A row repeated (a page posted twice, a tampered form) is refused next to it, not a 500."""
    client.force_login(cast.coordonnateur_a)
    eleve = f"e{lp.binome.eleve.pk}"
    reponse = client.post(
        URL, donnees([(eleve, "present"), (f"m{lp.binome.mentor.pk}", "present"), (eleve, "absent_excuse")])
    )
    assert reponse.status_code == 200 and not Seance.objects.exists()
    lignes_html = dom(reponse.content.decode()).find_all("fieldset", "grille-choix__ligne")
    assert lignes_html[2].find("p", "fr-error-text").text() == "Cette personne figure déjà plus haut dans la liste."


def test_un_participant_supprime_pendant_la_saisie(client, cast, lp, monkeypatch):
    """Removed between the grid's reading and the save (another user, the same instant): a message, not a 500."""
    from seances.views import seances as vues

    lire = vues._personnes
    parti = EleveFactory(etablissement=cast.lp_a, nom="Partant")

    def puis_supprimer(*args, **kwargs):
        personnes = lire(*args, **kwargs)
        Eleve.objects.filter(pk=parti.pk).delete()
        return personnes

    monkeypatch.setattr(vues, "_personnes", puis_supprimer)
    client.force_login(cast.coordonnateur_a)
    reponse = client.post(URL, donnees([(f"m{lp.binome.mentor.pk}", "present"), (f"e{parti.pk}", "present")]))
    assert reponse.status_code == 200 and not Seance.objects.exists()
    assert "Un participant vient d’être retiré du lycée" in reponse.content.decode()
