"""The DSFR breadcrumb, one tag for every page:

    {% block fil_ariane %}
      {% fil_ariane "Séances" "seances:liste" seance seance.get_absolute_url %}Modifier{% endfil_ariane %}
    {% endblock fil_ariane %}

The arguments are (label, link) pairs between « Accueil » and the current page, whose label is the
tag's content (so that a child template can still fill it with a block). A link is a URL name
without arguments, a path, or an object with get_absolute_url(). An argument may also be a list of
such pairs, built by a view whose template is shared by several pages:
`{% fil_ariane fil %}{{ titre }}{% endfil_ariane %}`.
"""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

register = template.Library()


def _url(lien) -> str:
    if hasattr(lien, "get_absolute_url"):
        return lien.get_absolute_url()
    lien = str(lien)
    return lien if lien.startswith(("/", "?", "http")) else reverse(lien)


class FilAriane(template.Node):
    def __init__(self, arguments, nodelist):
        self.arguments = arguments
        self.nodelist = nodelist

    def render(self, context):
        valeurs = []
        for argument in self.arguments:
            valeur = argument.resolve(context)
            valeurs += [v for paire in valeur for v in paire] if isinstance(valeur, list | tuple) else [valeur]
        liens = [{"libelle": "Accueil", "url": reverse("accueil")}]
        liens += [
            {"libelle": libelle, "url": _url(lien)} for libelle, lien in zip(valeurs[::2], valeurs[1::2], strict=True)
        ]
        courant = mark_safe(" ".join(self.nodelist.render(context).split()))  # already escaped by its render
        return render_to_string("socle/_fil_ariane.html", {"liens": liens, "courant": courant})


@register.tag("fil_ariane")
def fil_ariane(parser, token):
    arguments = token.split_contents()[1:]
    nodelist = parser.parse(("endfil_ariane",))
    parser.delete_first_token()
    return FilAriane([parser.compile_filter(argument) for argument in arguments], nodelist)
