"""The rows of the long lists, drawn in Python (issue 18).

A list page shows 25 to 50 rows of some ten cells. Drawn by the template language, each cell
resolves its variable through the context's layers, tries a dictionary, an attribute and an index
in turn, then localizes and escapes the value: about half of the binômes list's CPU went into its
table body. Django's own admin draws its change list's cells in Python for the same reason
(`items_for_result`). Here each long list gives its row's markup once, as a format string with a
`{}` for each value, and the values of each row; every value is escaped as `format_html` does (a
name holding markup is shown as text), and a value already safe (a link drawn by `format_html`) is
kept as it is.

    corps_de_tableau(LIGNE, ((url, nom, statut) for ... in page), vide="Aucun binôme.", colonnes=7)

gives the `<tr>` rows to put inside the template's `<tbody>`, or the one row saying the list is
empty.
"""

import html
from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

__all__ = ["corps_de_tableau", "tiret"]


def _echapper(valeur) -> str:
    """`conditional_escape(valeur)`, without its lazy-argument wrapper (`keep_lazy`), which costs more
    than the escaping itself for the 500 cells of a page: a value with `__html__` (safe) as it says,
    any other as text, escaped (a lazy translation is read as text first, as Django does)."""
    if isinstance(valeur, Promise):
        valeur = str(valeur)
    if hasattr(valeur, "__html__"):
        return valeur.__html__()
    return html.escape(str(valeur))


def corps_de_tableau(ligne: str, valeurs: Iterable[Iterable], *, vide: str, colonnes: int) -> SafeString:
    """Each row of `valeurs` written into the format `ligne`, escaped, one row a line; when there is
    none, a row of `colonnes` cells saying `vide`."""
    lignes = [ligne.format(*map(_echapper, rangee)) for rangee in valeurs]
    if not lignes:
        return format_html('<tr><td colspan="{}">{}</td></tr>', colonnes, vide)
    return mark_safe("\n".join(lignes))  # noqa: S308  (every value escaped above; the format is the code's)


def tiret(valeur) -> str:
    """The value, or « — » when there is none (the templates' `|default:"—"`)."""
    return valeur if valeur else "—"
