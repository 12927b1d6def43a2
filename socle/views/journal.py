from django.core.paginator import Paginator
from django.shortcuts import render

from ..decorators import role_required
from ..filters import JournalFiltre
from ..models import JournalAcces
from ..roles import Role


@role_required({Role.CHEF})
def journal(request):
    """The access log of the current LP, for its chef d'établissement (responsable de traitement)."""
    filtre = JournalFiltre(
        request.GET or None, queryset=JournalAcces.objects.filter(etablissement_id=request.etablissement.pk)
    )
    page = Paginator(filtre.qs, 50).get_page(request.GET.get("page"))
    return render(request, "socle/journal.html", {"filtre": filtre, "page": page})
