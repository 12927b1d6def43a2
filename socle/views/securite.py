"""Two-factor authentication: enrolment of a TOTP application, and the code asked at sign-in."""

from base64 import b32encode

import django_otp
import segno
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..decorators import sans_double_authentification
from ..forms import CodeOTPForm
from ..middleware import CLE_APPAREIL_OTP


def _verifier(request, device, form):
    """Check the code against the device, with django-otp's throttling; True when valid."""
    autorise, details = device.verify_is_allowed()
    if not autorise:
        form.add_error("code", "Trop de codes erronés : patientez quelques secondes avant de réessayer.")
        return False
    if not device.verify_token(form.cleaned_data["code"]):
        form.add_error("code", "Code incorrect : vérifiez l’heure de votre téléphone et réessayez.")
        return False
    return True


@sans_double_authentification
def securite(request):
    """The account's security page: enrol an authentication application (TOTP).

    The secret is drawn by the button's POST, not by opening the page: a GET writes nothing.
    """
    confirme = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if confirme:
        return render(request, "socle/securite.html", {"active": True})
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if request.method == "POST" and "commencer" in request.POST:
        if device is None:
            TOTPDevice.objects.create(user=request.user, name="Application d’authentification", confirmed=False)
        return redirect("securite")
    if device is None:
        return render(request, "socle/securite.html", {"a_commencer": True})
    form = CodeOTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _verifier(request, device, form):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        django_otp.login(request, device)
        request.session[CLE_APPAREIL_OTP] = True
        messages.success(request, "La double authentification est activée pour votre compte.")
        return redirect("accueil")
    return render(
        request,
        "socle/securite.html",
        {
            "form": form,
            # segno writes SVG presentation attributes only: allowed by the CSP, no script.
            "qr": mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4, title="Code QR")),
            "secret": b32encode(device.bin_key).decode(),
        },
    )


@sans_double_authentification
def code_otp(request):
    """Second step of the sign-in: the code of the enrolled application."""
    suivant = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(suivant, allowed_hosts={request.get_host()}):
        suivant = ""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None or request.user.is_verified():
        return redirect(suivant or "accueil")
    form = CodeOTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _verifier(request, device, form):
        django_otp.login(request, device)
        return redirect(suivant or "accueil")
    return render(request, "socle/code_otp.html", {"form": form})
