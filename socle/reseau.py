"""The client's IP address, behind the deployment's reverse proxies.

In production gunicorn listens behind a TLS proxy (nginx…): REMOTE_ADDR is then the proxy's address
for every request. The limits counted per client address (password-reset emails per IP) would count
every user of the service together, and the lockout's log would name the proxy. PROXIES_DE_CONFIANCE
says how many proxies stand in front of gunicorn; each appends the address it received the request
from to X-Forwarded-For (nginx: `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`). The
client is then the N-th address from the right: what the outermost proxy saw. The addresses further
left were written by the client itself and are never trusted. With no proxy (the default), or a
header shorter than the chain of proxies or not an address, REMOTE_ADDR.
"""

import ipaddress

from django.conf import settings


def ip_client(request) -> str | None:
    """The client's address (also django-axes' AXES_CLIENT_IP_CALLABLE)."""
    distante = request.META.get("REMOTE_ADDR") or None
    proxies = settings.PROXIES_DE_CONFIANCE
    if not proxies:
        return distante
    chaine = [adresse.strip() for adresse in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chaine = [adresse for adresse in chaine if adresse]
    if len(chaine) < proxies:
        return distante
    try:
        return str(ipaddress.ip_address(chaine[-proxies]))
    except ValueError:
        return distante
