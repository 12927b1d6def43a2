"""Accessible PDF documents rendered from Django templates with WeasyPrint.

Every PDF the application hands out (cadrage document, year-end report…) goes through
`rendre_pdf`, so they all share what RGAA asks of a document: a tagged structure
(PDF/UA-1), the document language (`lang="fr"` on the root element, which WeasyPrint
writes into the catalog), a title in the metadata and the State font (Marianne),
read from django-dsfr's static files rather than fetched from anywhere.
"""

import logging
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

# WeasyPrint and fontTools log every step at INFO: one PDF would fill the server log.
for _nom in ("weasyprint.progress", "fontTools"):
    logging.getLogger(_nom).setLevel(logging.WARNING)

# (CSS weight, CSS style, file under dsfr's static folder)
POLICES_MARIANNE = [
    (400, "normal", "dsfr/dist/fonts/Marianne-Regular.woff2"),
    (400, "italic", "dsfr/dist/fonts/Marianne-Regular_Italic.woff2"),
    (500, "normal", "dsfr/dist/fonts/Marianne-Medium.woff2"),
    (700, "normal", "dsfr/dist/fonts/Marianne-Bold.woff2"),
    (700, "italic", "dsfr/dist/fonts/Marianne-Bold_Italic.woff2"),
]

FEUILLE_DE_BASE = """
@page { size: A4; margin: 2cm 1.8cm 2.2cm;
        @bottom-right { content: "Page " counter(page) " sur " counter(pages); font-size: 8pt; } }
html { font-family: Marianne, sans-serif; font-size: 10pt; line-height: 1.45; color: #161616; }
h1 { font-size: 18pt; margin: 0 0 .5em; }
h2 { font-size: 13pt; margin: 1.4em 0 .4em; border-bottom: 1px solid #000091; color: #000091; }
h3 { font-size: 11pt; margin: 1em 0 .3em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; }
th, td { border: 1px solid #929292; padding: 3pt 5pt; text-align: left; vertical-align: top; }
caption { text-align: left; font-weight: 700; margin-bottom: 3pt; }
"""


@cache
def _feuille_polices() -> str:
    """@font-face rules pointing at Marianne's files; skipped where a file cannot be found."""
    regles = []
    for poids, style, chemin in POLICES_MARIANNE:
        fichier = finders.find(chemin)
        if fichier:
            regles.append(
                "@font-face { font-family: Marianne; "
                f"src: url('{Path(fichier).as_uri()}') format('woff2'); "
                f"font-weight: {poids}; font-style: {style}; }}"
            )
    return "\n".join(regles)


def rendre_pdf(template_name: str, context: dict, *, titre: str, feuille: str = "") -> bytes:
    """Render `template_name` with `context` to a tagged PDF/UA-1 document and return its bytes.

    The template is a whole HTML document with `<html lang="fr">`; `titre` becomes its
    `<title>` when it has none (the PDF title shown by readers). `feuille` adds CSS.
    """
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(template_name, {**context, "titre_document": titre})
    polices = FontConfiguration()
    feuilles = [CSS(string=_feuille_polices() + FEUILLE_DE_BASE + feuille, font_config=polices)]
    document = HTML(string=html, base_url=None)
    return document.write_pdf(
        stylesheets=feuilles,
        font_config=polices,
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
        custom_metadata=True,
    )
