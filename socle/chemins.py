"""URLs reversed once per process, then filled in with each object's id.

Django's `reverse()` walks the resolver, converts each argument, checks it against the pattern and
quotes the result: about 65 µs a call on the slow bench machine (issue 18, docs/performance.md),
paid once for every row of a list (each row links to its object) and ten times by the page frame.
For a view name called with no argument or with ids only (non-negative integers, positional), the
URL is reversed once with marker integers in place of the ids, and each call writes the ids where
the markers stand; any other call goes to `reverse()` as before.

A marker stands for an id only where it appears exactly once in the reversed URL, and an integer
passes the same converters as any other integer (`int`, `str`, `path`): the result is the one
`reverse()` gives, which tests/test_chemins.py checks for every URL of the project.
"""

import functools

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# Ten-digit integers no id of this service reaches, none a part of another.
_MARQUES = tuple(str(9_182_736_450 + i) for i in range(10))


@functools.lru_cache(maxsize=2048)
def _modele(viewname: str, nombre: int, prefixe: str, urlconf, current_app) -> tuple[str, ...] | None:
    """The URL of `viewname` cut at its ids' places, or None when markers cannot stand for them."""
    try:
        url = reverse(viewname, urlconf=urlconf, args=[int(m) for m in _MARQUES[:nombre]], current_app=current_app)
    except NoReverseMatch:
        return None  # an unknown name, or a pattern that a ten-digit integer does not match
    morceaux = [url]
    for marque in _MARQUES[:nombre]:
        debut, *reste = morceaux[-1].split(marque)
        if len(reste) != 1:
            return None
        morceaux[-1:] = [debut, reste[0]]
    return tuple(morceaux)


def ids_seulement(args) -> bool:
    return all(type(a) is int and a >= 0 for a in args)


def chemin(viewname: str, *args, current_app=None) -> str:
    """`reverse(viewname, args=args)`, reversed once per process when `args` are ids."""
    if not ids_seulement(args) or len(args) > len(_MARQUES):
        return reverse(viewname, args=args, current_app=current_app)
    modele = _modele(viewname, len(args), get_script_prefix(), get_urlconf(), current_app)
    if modele is None:
        return reverse(viewname, args=args, current_app=current_app)
    if not args:
        return modele[0]
    morceaux = [modele[0]]
    for valeur, suite in zip(args, modele[1:], strict=True):
        morceaux.append(str(valeur))
        morceaux.append(suite)
    return "".join(morceaux)
