"""Server-rendered SVG charts, readable without colour, each with a data-table alternative.

Values are written as text at the end of each bar and series differ by pattern (solid,
hatched) as well as by colour. Only SVG presentation attributes are used (no `style`):
the pages' Content-Security-Policy forbids inline styles, and WeasyPrint draws the
same markup in the PDF report.
"""

from dataclasses import dataclass
from itertools import count

from django.utils.html import format_html
from django.utils.safestring import mark_safe

_identifiants = count(1)

COULEURS = ["#000091", "#6a6af4"]  # Bleu France, and a lighter blue for the comparison series
LARGEUR, MARGE_GAUCHE, MARGE_DROITE, HAUTEUR_BARRE, ECART = 640, 230, 90, 16, 10


@dataclass(frozen=True)
class Serie:
    libelle: str  # e.g. "2026-2027"
    valeurs: list  # one number (or None) per category
    affichees: list  # the same values as text, e.g. "12 %", "—"


def barres(titre: str, description: str, categories: list[str], series: list[Serie]) -> str:
    """A horizontal grouped bar chart as an accessible inline SVG string."""
    ident = f"graphique-{next(_identifiants)}"
    nombres = [v for serie in series for v in serie.valeurs if v is not None]
    maximum = max(nombres, default=0) or 1
    utile = LARGEUR - MARGE_GAUCHE - MARGE_DROITE
    hauteur_groupe = len(series) * (HAUTEUR_BARRE + 2) + ECART
    hauteur = 30 + len(categories) * hauteur_groupe + 24 * len(series)
    morceaux = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {} {}" width="{}" height="{}" '
            'aria-labelledby="{}-titre {}-desc" class="graphique">',
            LARGEUR,
            hauteur,
            LARGEUR,
            hauteur,
            ident,
            ident,
        ),
        format_html('<title id="{}-titre">{}</title><desc id="{}-desc">{}</desc>', ident, titre, ident, description),
        format_html(
            '<defs><pattern id="{}-hachures" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="{}" stroke-width="3"/></pattern></defs>',
            ident,
            COULEURS[1],
        ),
    ]
    y = 20
    for i, categorie in enumerate(categories):
        morceaux.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#161616">{}</text>',
                MARGE_GAUCHE - 8,
                y + HAUTEUR_BARRE - 3,
                categorie,
            )
        )
        for rang, serie in enumerate(series):
            valeur = serie.valeurs[i]
            largeur = 0 if valeur is None else max(round(utile * valeur / maximum), 1 if valeur else 0)
            remplissage = COULEURS[0] if rang == 0 else f"url(#{ident}-hachures)"
            morceaux.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}"/>'
                    '<text x="{}" y="{}" font-size="11" fill="#161616">{}</text>',
                    MARGE_GAUCHE,
                    y,
                    largeur,
                    HAUTEUR_BARRE,
                    remplissage,
                    COULEURS[min(rang, 1)],
                    MARGE_GAUCHE + largeur + 4,
                    y + HAUTEUR_BARRE - 4,
                    serie.affichees[i],
                )
            )
            y += HAUTEUR_BARRE + 2
        y += ECART
    # Legend: pattern and name of each series, in words as well.
    for rang, serie in enumerate(series):
        remplissage = COULEURS[0] if rang == 0 else f"url(#{ident}-hachures)"
        motif = "plein" if rang == 0 else "hachuré"
        morceaux.append(
            format_html(
                '<rect x="{}" y="{}" width="14" height="14" fill="{}" stroke="{}"/>'
                '<text x="{}" y="{}" font-size="11" fill="#161616">{} ({})</text>',
                MARGE_GAUCHE,
                y,
                remplissage,
                COULEURS[min(rang, 1)],
                MARGE_GAUCHE + 20,
                y + 11,
                serie.libelle,
                motif,
            )
        )
        y += 20
    morceaux.append(mark_safe("</svg>"))
    return mark_safe("".join(str(m) for m in morceaux))
