"""Template context of every page rendered with a request."""

from urllib.parse import urlsplit

from django.conf import settings


def proconnect_configure() -> bool:
    """ProConnect is offered only once its discovery URL and client id are set."""
    return bool(settings.PROCONNECT_DISCOVERY_URL and settings.PROCONNECT_CLIENT_ID)


def proconnect(request):
    """`proconnect_actif`: whether to show the ProConnect button (socle/_proconnect.html)."""
    return {"proconnect_actif": proconnect_configure()}


def origine_de(url: str) -> str:
    """`https://host[:port]` of a URL: what a Content-Security-Policy source names."""
    morceaux = urlsplit(url)
    return f"{morceaux.scheme}://{morceaux.netloc}"
