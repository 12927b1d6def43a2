"""`{% url %}` through `socle.chemins` (built in, in place of Django's tag of the same name).

Same syntax and same result as Django's tag; a link to an object by its id (a list's rows, the
page frame's links) is written without walking the resolver each time (issue 18).
"""

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from socle.chemins import chemin, ids_seulement

register = template.Library()


class URLNodeRapide(defaulttags.URLNode):
    def render(self, context):
        if self.kwargs:
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        if not ids_seulement(args):
            return super().render(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = chemin(self.view_name.resolve(context), *args, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    noeud = defaulttags.url(parser, token)
    return URLNodeRapide(noeud.view_name, noeud.args, noeud.kwargs, noeud.asvar)
