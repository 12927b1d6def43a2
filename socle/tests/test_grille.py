"""The grid of radio rows read as one form (socle/grille.py): rows, groups, errors, escaping, bounds."""

import pytest
from django.test.signals import template_rendered

from socle.grille import GrilleChoix
from tests.outils import dom


class GrilleAvis(GrilleChoix):
    nom_cle = "cle"
    nom_choix = "avis"
    choix = [("", "Sans avis"), ("oui", "Oui"), ("non", "Non")]
    libelle_inconnu = "Question inconnue"

    def libelle(self, cle):
        return f"Question {cle}" if cle.startswith("q") else self.libelle_inconnu

    def groupe(self, cle):
        return "Premières questions" if cle in ("q1", "q2") else ""

    def erreur_cle(self, cle):
        return None if cle.startswith("q") else "Cette question n’existe pas."

    def clean(self):
        if sum(ligne.valeur == "oui" for ligne in self.lignes) > 2:
            self.add_error(None, "Deux « oui » au plus.")
        return super().clean()


def grille(lignes=(), data=None):
    return GrilleAvis(data, prefix="form", lignes=lignes)


def donnees(*avis, cles=None):
    data = {"form-TOTAL_FORMS": str(len(avis))}
    for index, valeur in enumerate(avis):
        data[f"form-{index}-cle"] = cles[index] if cles else f"q{index + 1}"
        if valeur is not None:
            data[f"form-{index}-avis"] = valeur
    return data


def coches(root):
    return [
        [r.attrs["value"] for r in ligne.find_all("input", type="radio") if "checked" in r.attrs]
        for ligne in root.find_all("fieldset", "grille-choix__ligne")
    ]


def test_une_ligne_de_boutons_par_cle_en_groupes():
    root = dom(grille([("q1", "oui"), ("q2", None), ("q3", "")]).html)
    total = root.find("input", type="hidden", name="form-TOTAL_FORMS")
    assert (total.attrs["value"], total.id) == ("3", "id_form-TOTAL_FORMS")
    groupes = root.find("div", "grille-choix").find_all("div", "grille-choix__groupe")
    # Consecutive rows of one group under its title; a row without a group stands alone, untitled.
    titre = groupes[0].find("p", "grille-choix__titre")
    assert titre.text() == "Premières questions"
    assert (groupes[0].attrs["role"], groupes[0].attrs["aria-labelledby"]) == ("group", titre.id)
    assert len(groupes) == 2 and not groupes[1].find_all("p") and "role" not in groupes[1].attrs
    lignes = root.find_all("fieldset", "grille-choix__ligne")
    assert [ligne.find("legend").text() for ligne in lignes] == ["Question q1", "Question q2", "Question q3"]
    for index, ligne in enumerate(lignes):
        cle = ligne.find("input", type="hidden")
        assert (cle.attrs["name"], cle.attrs["value"], cle.id) == (
            f"form-{index}-cle",
            f"q{index + 1}",
            f"id_form-{index}-cle",
        )
        radios = ligne.find_all("input", type="radio")
        # One name per row: the arrow keys move along the row, Tab to the next one.
        assert {radio.attrs["name"] for radio in radios} == {f"form-{index}-avis"}
        assert [radio.attrs["value"] for radio in radios] == ["", "oui", "non"]
        for radio, choix in zip(radios, ("Sans avis", "Oui", "Non"), strict=True):
            label = ligne.find("label", **{"for": radio.id})
            assert label.classes == {"grille-choix__bouton"}
            assert label.text() == f"{choix} — Question q{index + 1}"
            assert label.find("span", "fr-sr-only").text().strip() == f"— Question q{index + 1}"
    # Initial values checked; no value at all checks the "" choice, as Django's RadioSelect does.
    assert coches(root) == [["oui"], [""], [""]]
    assert not root.find_all("div", "fr-alert") and not root.find_all("p", "fr-error-text")


def test_aucun_gabarit_ni_formulaire_par_ligne():
    """Drawn by Python: no template rendered, however many rows (issue 18)."""
    rendus = []

    def noter(sender, template, **kwargs):
        rendus.append(template.name)

    template_rendered.connect(noter)
    try:
        root = dom(grille([(f"q{i}", "") for i in range(300)]).html)
    finally:
        template_rendered.disconnect(noter)
    assert len(root.find_all("input", type="radio")) == 900 and rendus == []


def test_valide_les_valeurs_de_chaque_ligne():
    formulaire = grille(data=donnees("oui", None, "non"))
    assert formulaire.is_valid()
    assert formulaire.valeurs == [("q1", "oui"), ("q2", ""), ("q3", "non")]
    assert formulaire.choisies == [("q1", "oui"), ("q3", "non")]


def test_erreurs_a_cote_de_la_ligne_et_en_tete():
    formulaire = grille(
        data=donnees("oui", "peut-etre", "non", "oui", None, "", cles=["q1", "q2", "x9", "q4", "", "q1"])
    )
    assert not formulaire.is_valid()
    with pytest.raises(ValueError):
        formulaire.valeurs  # noqa: B018
    root = dom(formulaire.html)
    lignes = root.find_all("fieldset", "grille-choix__ligne")
    # The posted values stay checked (an invalid one checks nothing; a missing one, the "" choice).
    assert coches(root) == [["oui"], [], ["non"], ["oui"], [""], [""]]
    erreurs = [(ligne.find_all("p", "fr-error-text") or [None])[0] for ligne in lignes]
    assert erreurs[0] is None and erreurs[3] is None
    assert erreurs[1].text() == "Sélectionnez un choix valide. peut-etre n’en fait pas partie."
    assert erreurs[2].text() == "Cette question n’existe pas."
    assert lignes[2].find("legend").text() == "Question inconnue"
    assert erreurs[4].text() == "Ce champ est obligatoire."
    assert erreurs[5].text() == "Cette ligne figure déjà plus haut dans la liste."
    for ligne, erreur in zip(lignes, erreurs, strict=True):
        radios = ligne.find_all("input", type="radio")
        decrits = {radio.attrs.get("aria-describedby") for radio in radios}
        assert decrits == ({erreur.id} if erreur else {None})
    alerte = root.find("div", "fr-alert fr-alert--error")
    assert alerte.attrs["role"] == "alert"
    liens = [(lien.attrs["href"], lien.text()) for lien in alerte.find_all("a")]
    assert liens == [
        ("#id_form-1-avis_0", f"Question q2 : {erreurs[1].text()}"),
        ("#id_form-2-avis_0", "Question inconnue : Cette question n’existe pas."),
        ("#id_form-4-avis_0", "Question inconnue : Ce champ est obligatoire."),
        ("#id_form-5-avis_0", "Question q1 : Cette ligne figure déjà plus haut dans la liste."),
    ]
    # A rule on the whole grid comes first in the summary.
    formulaire = grille(data=donnees("oui", "oui", "oui"))
    assert not formulaire.is_valid()
    alerte = dom(formulaire.html).find("div", "fr-alert fr-alert--error")
    assert [item.text() for item in alerte.find_all("li")] == ["Deux « oui » au plus."]


@pytest.mark.parametrize("total", [None, "", "x", "-1", "1.5", str(GrilleChoix.MAX_LIGNES + 1), "9" * 30])
def test_nombre_de_lignes_illisible(total):
    data = donnees("oui", "non")
    if total is None:
        del data["form-TOTAL_FORMS"]
    else:
        data["form-TOTAL_FORMS"] = total
    formulaire = grille(data=data)
    assert not formulaire.is_valid()
    assert formulaire.non_field_errors() == [GrilleChoix.message_illisible]
    root = dom(formulaire.html)
    assert not root.find_all("fieldset") and GrilleChoix.message_illisible in root.text()


def test_plus_de_lignes_annoncees_que_postees():
    """A count larger than the rows sent: the missing rows are reported, nothing is invented."""
    data = donnees("oui")
    data["form-TOTAL_FORMS"] = "3"
    formulaire = grille(data=data)
    assert not formulaire.is_valid()
    assert [ligne.cle for ligne in formulaire.lignes] == ["q1", "", ""]


def test_vide_et_valeurs_echappees():
    root = dom(grille([]).html)
    assert not root.find_all("fieldset") and "Aucune ligne à afficher." in root.text()
    html = grille([('q<b>"x"</b>', '"><script>')]).html
    assert "<b>" not in html and "<script>" not in html
    assert "q&lt;b&gt;&quot;x&quot;&lt;/b&gt;" in html


def test_accolades_dans_les_libelles_et_les_choix():
    """The buttons are str.format templates: braces in labels and choices are text, not fields."""

    class Accolades(GrilleAvis):
        choix = [("", "{aucun}"), ("{o}", "Oui {1}")]

    root = dom(Accolades(None, prefix="form", lignes=[("q{0}", "{o}")]).html)
    ligne = root.find("fieldset", "grille-choix__ligne")
    assert ligne.find("legend").text() == "Question q{0}"
    radios = ligne.find_all("input", type="radio")
    assert [r.attrs["value"] for r in radios] == ["", "{o}"]
    assert [r.attrs["value"] for r in radios if "checked" in r.attrs] == ["{o}"]
    assert [ligne.find("label", **{"for": r.id}).text() for r in radios] == [
        "{aucun} — Question q{0}",
        "Oui {1} — Question q{0}",
    ]


def test_une_grille_vierge_dessinee_une_fois_pour_les_memes_lignes(monkeypatch):
    """A blank grid is drawn once per process for the same rows (issue 18); drawn again as soon as a
    row, a value, a label, a group, the choices or the prefix changes; a posted grid every time."""
    from socle.dessins import oublier_les_dessins

    oublier_les_dessins()
    dessins = []
    dessiner = GrilleChoix._dessiner

    def compter(self):
        dessins.append(type(self).__name__)
        return dessiner(self)

    monkeypatch.setattr(GrilleChoix, "_dessiner", compter)
    lignes = [("q1", "oui"), ("q2", ""), ("x", "")]
    premier = grille(lignes).html
    assert grille(lignes).html == premier and len(dessins) == 1
    # Each change shows: another value, another row, another label or group (another class), choices, prefix.
    assert coches(dom(grille([("q1", "non"), ("q2", ""), ("x", "")]).html)) == [["non"], [""], [""]]
    assert len(dom(grille([*lignes, ("q4", "")]).html).find_all("fieldset")) == 4

    class Renommee(GrilleAvis):
        def libelle(self, cle):
            return f"Item {cle}"

        def groupe(self, cle):
            return ""

    autre = dom(Renommee(None, prefix="form", lignes=lignes).html)
    assert autre.find("legend").text() == "Item q1" and not autre.find_all("p", "grille-choix__titre")

    class AutresChoix(GrilleAvis):
        choix = [("", "Sans avis"), ("oui", "Oui")]

    assert len(dom(AutresChoix(None, prefix="form", lignes=lignes).html).find_all("input", type="radio")) == 6
    assert 'name="autre-0-avis"' in GrilleAvis(None, prefix="autre", lignes=lignes).html
    assert len(dessins) == 6
    # The same rows again: from memory.
    assert grille(lignes).html == premier and len(dessins) == 6
    # Posted: what was posted and its errors, drawn every time.
    poste = donnees("oui", "oui", "oui")
    assert "Deux « oui » au plus." in grille(data=poste).html and len(dessins) == 7
    assert "Deux « oui » au plus." in grille(data=poste).html and len(dessins) == 8
    oublier_les_dessins()
    assert grille(lignes).html == premier and len(dessins) == 9
