"""Sections that the apps above add to the binôme page, without this app importing them.

An app above (seances: the mentor's notes on the pair's séances) registers in its
`AppConfig.ready()` a function `(user, binome) -> Encart | None`; the binôme page includes
each encart's template, which reads `encart.donnees`. The function reads through the scoped
querysets of its own models: what a user may see stays decided there.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Encart:
    gabarit: str
    donnees: dict = field(default_factory=dict)


_FONCTIONS: list[Callable] = []


def enregistrer_encart(fonction: Callable) -> None:
    if fonction not in _FONCTIONS:
        _FONCTIONS.append(fonction)


def encarts(*, user, binome) -> list[Encart]:
    """The sections of the binôme page for `user`, in the order the apps registered them."""
    return [encart for fonction in _FONCTIONS if (encart := fonction(user, binome)) is not None]
