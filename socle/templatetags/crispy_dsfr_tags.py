"""Tags of the ``crispy_dsfr`` template pack written in Python (templates in templates/crispy_dsfr/).

`{% champ_dsfr %}` is the whole of field.html: one field written by socle/crispy_dsfr_champs.py,
or by the templates it does not cover. `{% attributs attrs %}` writes a widget's attributes, once
per control and once per box of a list of boxes; `{% options_select groups %}` writes the options
of a select. As `{% include %}`s and template loops, they cost each field or option a template
context, a lookup of the included template and a dozen variable resolutions: most of the time a
list's filter form took to render (issue 18).
"""

from django import template
from django.forms.boundfield import BoundField
from django.template.base import render_value_in_context
from django.utils.safestring import mark_safe

from socle.crispy_dsfr_champs import GABARIT_DISPATCH, attributs_html, field_html, options_html, sans_describedby
from socle.dessins import dessiner

register = template.Library()


@register.simple_tag(takes_context=True)
def attributs(context, attrs, skip_managed=False):
    """Widget attributes except `class` (written by the caller), aria-describedby on a field with
    errors (written by describedby.html) and, with `skip_managed`, the attributes the caller computes.

    ` name="value"` each (` name` alone for True; False and None left out), values escaped.
    """
    return mark_safe(attributs_html(attrs, sans_describedby(context.get("field")), skip_managed))


@register.simple_tag(takes_context=True)
def options_select(context, groups):
    """The `<option>`s of a select, in their `<optgroup>`s if any (`groups`: the widget's optgroups)."""
    return mark_safe(options_html(groups, sans_describedby(context.get("field"))))


class ChampNode(template.Node):
    """The context's `field`: a hidden field as Django renders it, any other written in Python by
    `field_html`, or, when it answers None, by field_dispatch.html as `{% include %}` would."""

    def render(self, context):
        field = context.get("field")
        if isinstance(field, BoundField) and field.is_hidden:
            return f"\n  {render_value_in_context(field, context)}\n"
        html = field_html(context, field) if isinstance(field, BoundField) else None
        if html is None:
            show_errors = bool(context.get("form_show_errors") and getattr(field, "errors", None))
            with context.push(show_errors=show_errors):
                html = context.template.engine.get_template(GABARIT_DISPATCH).render(context)
        return f"\n  {html}\n"


@register.tag
def champ_dsfr(parser, token):
    """`{% champ_dsfr %}`: the context's field in DSFR markup (see ChampNode)."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("champ_dsfr takes no argument")
    return ChampNode()


@register.simple_tag(takes_context=True)
def crispy_memorise(context, form):
    """`{% crispy_memorise form %}`: what `{% crispy form %}` draws with the form's helper, drawn once
    per process for the same inputs (socle.dessins): for the forms of the pages seen all day. A form
    whose drawing reads the page (a CSRF token written by its helper, `HTML` pieces) is drawn every
    time, with the page's context."""
    return dessiner(form, context.flatten())
