"""`{% retard_replique %}`: beside dated figures, how late the database replica they may come from is."""

from django import template

from socle.routeur import retard_replique as _retard_replique

register = template.Library()


@register.simple_tag
def retard_replique() -> str:
    """« réplique à jour », « réplique en retard de N s », or "" without a replica (no query then)."""
    return _retard_replique()
