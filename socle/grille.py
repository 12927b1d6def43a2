"""A grid of rows of large radio buttons, read, validated and drawn as **one** form.

``GrilleChoix`` is a Django form whose rows are not forms: each row is a key (a hidden input) and
one choice among the grid's ``choix``, posted as ``<prefix>-<n>-<nom_cle>`` and
``<prefix>-<n>-<nom_choix>``, with the number of rows in ``<prefix>-TOTAL_FORMS`` (a formset's
names: a page, a test or a script posting a formset's data posts a grid's). The attendance grid of
a séance has some 230 rows and 1,150 radios: built as a formset, it cost one Django form per row
(fields copied, bound fields, validation) and a template pass per row, about 30 ms of CPU per page
(issue 18). Here the rows are plain objects (``Ligne``), validated in one loop and written by
Python in one pass.

A subclass sets ``choix`` ([(value, label)]), ``nom_cle``, ``nom_choix``, the texts ``vide`` (no
row) and ``libelle_inconnu`` (the label of a row whose key is not recognised), and may override:

- ``libelle(cle)``: the row's label (its legend; each radio's accessible name ends with it);
- ``groupe(cle)``: the title of the group of consecutive rows it belongs to ("" for none);
- ``erreur_cle(cle)``: a French message when the key is not acceptable, ``None`` otherwise.

Rendering: ``{{ grille.html }}`` writes the hidden row count, a summary of the errors linking to
the rows in error (when bound and invalid), then the rows in groups, each row a fieldset whose
radios share one name (the arrow keys move along the row, Tab goes to the next row), each choice
a native radio drawn as a button at least 44 px high, labelled "<choice> — <row label>" with the
row label visually hidden. Errors go under the row's legend and describe each of its radios.
"""

from dataclasses import dataclass, field
from functools import cached_property
from html import escape

from django import forms
from django.utils.safestring import SafeString, mark_safe

from .dessins import DessinsGardes

__all__ = ["GrilleChoix", "Ligne"]

# Blank grids drawn, by everything they show (socle.dessins): the entry form of a séance is opened
# again and again for the same LP, whose grid (230 rows, 1,150 buttons: ≈ 350 kB) changes only when
# its people do. A few per process.
_GRILLES = DessinsGardes(16)


@dataclass(slots=True)
class Ligne:
    """One row: its position, its key, its chosen value ("" for the first, blank choice)."""

    index: int
    cle: str
    valeur: str
    libelle: str = ""
    groupe: str = ""
    erreurs: list[str] = field(default_factory=list)


class GrilleChoix(forms.Form):
    choix: list[tuple[str, str]] = []
    nom_cle = "cle"
    nom_choix = "choix"
    vide = "Aucune ligne à afficher."
    libelle_inconnu = "Ligne non reconnue"
    titre_erreurs = "Le formulaire contient des erreurs"
    message_illisible = "La liste envoyée est illisible ou trop longue : rechargez la page et recommencez."
    message_doublon = "Cette ligne figure déjà plus haut dans la liste."
    # A posted row count above this is refused before any row is read (a lying count must not
    # make the server loop): the largest LP lists fewer than 3,000 students and mentors.
    MAX_LIGNES = 5000

    TOTAL_FORMS = forms.IntegerField(min_value=0, max_value=MAX_LIGNES, widget=forms.HiddenInput)

    def __init__(self, data=None, *, prefix, lignes=(), **kwargs):
        """``lignes``: the unbound grid's rows, as (key, value); a bound grid shows the posted rows."""
        super().__init__(data, prefix=prefix, **kwargs)
        self._initiales = [(str(cle), "" if valeur is None else str(valeur)) for cle, valeur in lignes]
        self.initial["TOTAL_FORMS"] = len(self._initiales)

    # --- Reading -----------------------------------------------------------------------------

    def nom(self, index: int, champ: str) -> str:
        return self.add_prefix(f"{index}-{champ}")

    def libelle(self, cle: str) -> str:
        return cle

    def groupe(self, cle: str) -> str:
        return ""

    def erreur_cle(self, cle: str) -> str | None:
        return None

    def _nombre_poste(self) -> int:
        """The posted row count, or 0 when it is missing, not a number or out of bounds."""
        try:
            nombre = int(self.data.get(self.add_prefix("TOTAL_FORMS"), ""))
        except (TypeError, ValueError):
            return 0
        return nombre if 0 <= nombre <= self.MAX_LIGNES else 0

    @cached_property
    def lignes(self) -> list[Ligne]:
        """The rows shown: the posted ones once bound (what the user saw and chose), else the initial ones."""
        if self.is_bound:
            couples = [
                (self.data.get(self.nom(index, self.nom_cle), ""), self.data.get(self.nom(index, self.nom_choix)))
                for index in range(self._nombre_poste())
            ]
        else:
            couples = self._initiales
        lignes = []
        for index, (cle, valeur) in enumerate(couples):
            cle = str(cle)
            lignes.append(
                Ligne(
                    index=index,
                    cle=cle,
                    # Same rule as Django's RadioSelect: no value at all checks the "" choice.
                    valeur="" if valeur is None else str(valeur),
                    libelle=str(self.libelle(cle)),
                    groupe=str(self.groupe(cle)),
                )
            )
        return lignes

    # --- Validation --------------------------------------------------------------------------

    def _post_clean(self):
        super()._post_clean()
        if "TOTAL_FORMS" in self._errors:
            # A hidden field: its error is the grid's, said in words the user can act on.
            del self._errors["TOTAL_FORMS"]
            self.add_error(None, self.message_illisible)
            return
        valeurs = {valeur for valeur, _libelle in self.choix}
        vues = set()
        for ligne in self.lignes:
            if not ligne.cle:
                ligne.erreurs.append("Ce champ est obligatoire.")
            elif (erreur := self.erreur_cle(ligne.cle)) is not None:
                ligne.erreurs.append(erreur)
            elif ligne.cle in vues:
                ligne.erreurs.append(self.message_doublon)
            vues.add(ligne.cle)
            if ligne.valeur not in valeurs:
                ligne.erreurs.append(f"Sélectionnez un choix valide. {ligne.valeur} n’en fait pas partie.")
            if ligne.erreurs:
                # Keyed by the row's choice: the form is invalid, and its errors name the row.
                self._errors[self.nom(ligne.index, self.nom_choix)] = self.error_class(ligne.erreurs)

    @property
    def valeurs(self) -> list[tuple[str, str]]:
        """(key, value) of every row of a valid grid."""
        if not self.is_valid():
            raise ValueError("La grille n’est pas valide.")
        return [(ligne.cle, ligne.valeur) for ligne in self.lignes]

    @property
    def choisies(self) -> list[tuple[str, str]]:
        """(key, value) of the rows of a valid grid given another value than the first, blank choice."""
        return [(cle, valeur) for cle, valeur in self.valeurs if valeur]

    @property
    def erreurs(self) -> list[tuple[str, str, str]]:
        """(anchor, row label, message) of every row's error, for the summary at the top."""
        return [
            (self._ancre(ligne), ligne.libelle, erreur)
            for ligne in (self.lignes if self.is_bound else ())
            for erreur in ligne.erreurs
        ]

    # --- Drawing -----------------------------------------------------------------------------

    def _identifiant(self, ligne) -> str:
        return f"id_{self.nom(ligne.index, self.nom_choix)}"

    def _ancre(self, ligne) -> str:
        return f"{self._identifiant(ligne)}_0" if self.choix else self._identifiant(ligne)

    @cached_property
    def _colonnes_html(self):
        """(value, value escaped, label escaped) of each choice: escaped once, not once per row."""
        return [(str(valeur), escape(str(valeur)), escape(str(libelle))) for valeur, libelle in self.choix]

    def cle_du_dessin(self) -> tuple:
        """Everything the blank grid's drawing shows: its class and texts, prefix, choices, and each
        row's key, value, label and group."""
        return (
            type(self), self.prefix, self.nom_cle, self.nom_choix, self.vide, tuple(self.choix),
            tuple((ligne.cle, ligne.valeur, ligne.libelle, ligne.groupe) for ligne in self.lignes),
        )  # fmt: skip

    @property
    def html(self) -> SafeString:
        """The grid drawn; a blank grid is drawn once per process for the same rows (a posted one shows
        what was posted, and its errors: drawn every time)."""
        if self.is_bound:
            return self._dessiner()
        cle = self.cle_du_dessin()
        html = _GRILLES.lire(cle)
        if html is None:
            html = self._dessiner()
            _GRILLES.garder(cle, html)
        return html

    def _dessiner(self) -> SafeString:
        nom_total = escape(self.add_prefix("TOTAL_FORMS"))
        morceaux = [f'<input type="hidden" name="{nom_total}" value="{len(self.lignes)}" id="id_{nom_total}">']
        if self.is_bound and self.errors:
            morceaux.append(self._html_erreurs())
        if not self.lignes:
            morceaux.append(f"<p>{escape(self.vide)}</p>")
            return mark_safe("\n".join(morceaux))  # every value above is escaped
        morceaux.append('<div class="grille-choix">')
        precedent = None
        for ligne in self.lignes:
            if precedent is None or ligne.groupe != precedent.groupe:
                if precedent is not None:
                    morceaux.append("</div>")
                if ligne.groupe:
                    identifiant = f"{escape(self._identifiant(ligne))}-groupe"
                    morceaux.append(
                        f'<div class="grille-choix__groupe" role="group" aria-labelledby="{identifiant}">'
                        f'<p class="grille-choix__titre" id="{identifiant}">{escape(ligne.groupe)}</p>'
                    )
                else:
                    morceaux.append('<div class="grille-choix__groupe">')
            morceaux.append(self._html_ligne(ligne))
            precedent = ligne
        morceaux.append("</div></div>")
        return mark_safe("\n".join(morceaux))  # every value above is escaped

    def _html_erreurs(self):
        elements = [f"<li>{escape(str(erreur))}</li>" for erreur in self.non_field_errors()]
        elements += [
            f'<li><a href="#{escape(ancre)}">{escape(libelle)} : {escape(erreur)}</a></li>'
            for ancre, libelle, erreur in self.erreurs
        ]
        return (
            '<div class="fr-alert fr-alert--error fr-mb-3w" role="alert">'
            f'<h2 class="fr-alert__title">{escape(self.titre_erreurs)}</h2>'
            f"<ul>{''.join(elements)}</ul></div>"
        )

    @cached_property
    def _modeles_boutons(self) -> dict[str, str]:
        """The row's buttons written once per grid, one version per checked value: each row only
        fills in its ids, name, label and error link (a grid of 230 rows has 1,150 buttons)."""

        def bouton(index, valeur_html, libelle_html, coche):
            # Braces of the escaped texts are doubled: the result is a str.format template.
            valeur_html, libelle_html = (t.replace("{", "{{").replace("}", "}}") for t in (valeur_html, libelle_html))
            return (
                f'<span class="grille-choix__choix"><input type="radio" class="grille-choix__radio"'
                f' id="{{id}}_{index}" name="{{nom}}" value="{valeur_html}"{coche}{{decrit}}>'
                f'<label class="grille-choix__bouton" for="{{id}}_{index}">{libelle_html}'
                f'<span class="fr-sr-only"> — {{libelle}}</span></label></span>'
            )

        colonnes = self._colonnes_html
        modeles = {}
        for valeur in [None] + [valeur for valeur, _v, _l in colonnes]:
            modeles[valeur] = "".join(
                bouton(index, valeur_html, libelle_html, " checked" if valeur_colonne == valeur else "")
                for index, (valeur_colonne, valeur_html, libelle_html) in enumerate(colonnes)
            )
        return modeles

    def _html_ligne(self, ligne):
        libelle = escape(ligne.libelle)
        identifiant = escape(self._identifiant(ligne))
        nom = escape(self.nom(ligne.index, self.nom_choix))
        nom_cle = escape(self.nom(ligne.index, self.nom_cle))
        morceaux = [
            f'<fieldset class="grille-choix__ligne"><legend class="grille-choix__legende">{libelle}</legend>'
            f'<input type="hidden" name="{nom_cle}" value="{escape(ligne.cle)}" id="id_{nom_cle}">'
        ]
        decrit_par = ""
        if ligne.erreurs:
            # The error text under the row's legend describes each radio of the row.
            erreur_id = f"{identifiant}-desc-error"
            decrit_par = f' aria-describedby="{erreur_id}"'
            texte = escape(" ".join(ligne.erreurs))
            morceaux.append(f'<p class="fr-error-text fr-mt-0 fr-mb-1w" id="{erreur_id}">{texte}</p>')
        modeles = self._modeles_boutons
        modele = modeles.get(ligne.valeur, modeles[None])  # a value outside the choices checks nothing
        morceaux.append('<div class="grille-choix__boutons">')
        morceaux.append(modele.format(id=identifiant, nom=nom, decrit=decrit_par, libelle=libelle))
        morceaux.append("</div></fieldset>")
        return "".join(morceaux)

    def champs_de_ligne(self) -> dict[str, forms.Field]:
        """Each row's two fields as Django fields: what a test fuzzing the page posts in a row."""
        return {
            self.nom_cle: forms.CharField(widget=forms.HiddenInput),
            self.nom_choix: forms.ChoiceField(choices=self.choix, required=False),
        }
