"""Every URL pattern of the project, walked from the root URLconf, with sample arguments."""

from django.urls import URLPattern, URLResolver, get_resolver

EXEMPLES = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000000", "path": "x"}


def motifs(resolver=None, prefixe="", namespace=""):
    """Yield (name, route, callback) for every pattern, names qualified with their namespace."""
    resolver = resolver or get_resolver()
    for motif in resolver.url_patterns:
        if isinstance(motif, URLResolver):
            ns = f"{namespace}{motif.namespace}:" if motif.namespace else namespace
            yield from motifs(motif, prefixe + str(motif.pattern), ns)
        elif isinstance(motif, URLPattern):
            nom = f"{namespace}{motif.name or ''}" or None
            yield nom, prefixe + str(motif.pattern), motif.callback


def chemin_exemple(route: str) -> str:
    """A concrete path for a route like 'etablissements/<int:pk>/' (regex admin routes excepted)."""
    import re

    def remplacer(m):
        convertisseur = m.group(1) or "str"
        return EXEMPLES.get(convertisseur, "x")

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", remplacer, route)
