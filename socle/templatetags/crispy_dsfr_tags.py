"""Tags of the ``crispy_dsfr`` template pack written in Python (templates in templates/crispy_dsfr/).

`{% attributs attrs %}` writes a widget's attributes, once per control and once per box of a
list of boxes; `{% options_select groups %}` writes the options of a select. As an `{% include %}`
and a template loop, they cost each option a template context, a lookup of the included template
and a dozen variable resolutions: most of the time a list's filter form took to render (issue 18).
"""

from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

# Attributes the select's template computes itself (`skip_managed`).
_GERES = frozenset({"required", "disabled", "multiple", "aria-invalid"})


@register.simple_tag(takes_context=True)
def attributs(context, attrs, skip_managed=False):
    """Widget attributes except `class` (written by the caller), aria-describedby on a field with
    errors (written by describedby.html) and, with `skip_managed`, the attributes the caller computes.

    ` name="value"` each (` name` alone for True; False and None left out), values escaped.
    """
    return mark_safe(_attributs(attrs, _sans_describedby(context), skip_managed))


@register.simple_tag(takes_context=True)
def options_select(context, groups):
    """The `<option>`s of a select, in their `<optgroup>`s if any (`groups`: the widget's optgroups)."""
    sans_describedby = _sans_describedby(context)
    lignes = []
    for nom_groupe, options, _index in groups:
        if nom_groupe:
            lignes.append(f'<optgroup label="{conditional_escape(nom_groupe)}">')
        for option in options:
            attrs = option["attrs"]
            classe = f' class="{conditional_escape(attrs["class"])}"' if attrs.get("class") else ""
            lignes.append(
                f'<option value="{_valeur(option["value"])}"{classe}{_attributs(attrs, sans_describedby)}>'
                f"{conditional_escape(option['label'])}</option>"
            )
        if nom_groupe:
            lignes.append("</optgroup>")
    return mark_safe("\n".join(lignes))


def _sans_describedby(context) -> bool:
    """A field with errors gets its aria-describedby from describedby.html, not from its widget."""
    field = context.get("field")
    return bool(field is not None and field.errors and field.auto_id)


def _valeur(valeur) -> str:
    """`{{ valeur|stringformat:"s" }}`: the value as text, escaped unless marked safe."""
    texte = str(valeur)
    return texte if isinstance(valeur, SafeData) else escape(texte)


def _attributs(attrs, sans_describedby, skip_managed=False) -> str:
    morceaux = []
    for nom, valeur in attrs.items():
        if valeur is False or valeur is None or nom == "class":
            continue
        if nom == "aria-describedby" and sans_describedby:
            continue
        if skip_managed and nom in _GERES:
            continue
        if valeur is True:
            morceaux.append(f" {escape(nom)}")
        else:
            morceaux.append(f' {escape(nom)}="{_valeur(valeur)}"')
    return "".join(morceaux)
