"""Bad input everywhere: every form of the project, fuzzed with hypothesis, never gives a 500.

`CIBLES` lists, for each URL that takes a form, who may write there and which page renders
the form. The fields to fill are read from the forms the page renders (its template
context), so a field added to a form is fuzzed without touching this module. Two
inventories keep the list complete:

- every form and formset class defined in the project's apps must be rendered by a target
  (or appear in `SANS_PAGE` with the reason), so a new form fails until it is added here;
- every URL whose GET renders a form to a user allowed to write must be a target.

For each target, hypothesis posts text (unicode, very long, NUL bytes, HTML), numbers as
strings (huge, negative, NaN, empty), invalid dates, files where the form takes one,
choices outside the list, missing fields and lying formset management data. The response
is never 5xx; when it is not a redirect (the form was refused), no row of the project's
models has changed (nothing half-written). Each example runs in a savepoint rolled back
afterwards, so examples do not see each other's writes.
"""

import contextlib
import datetime
import importlib
import inspect
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django import forms
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from binomes.models import naissances_admises
from binomes.tests import factories as binomes_f
from binomes.tests import fichiers as fichiers_siecle
from etablissements.models.dispositif import annee_scolaire_courante
from etablissements.tests import factories as etab_f
from seances.avis import liens_avis_creer
from seances.communication import invitations_envoyer
from seances.tests import factories as seances_f
from socle.grille import GrilleChoix
from socle.validators import DATE_MIN, date_max_plausible
from tests.urls_inventaire import OBJETS_DU_LP_A, motifs

# Module names ("socle") and app labels ("mentorat", the core app's label) of the project.
APPS = ("socle", "mentorat", "etablissements", "binomes", "seances", "bilans", "rgpd")
# 15 examples per form keep the module near a minute; raise it for a deeper search.
EXEMPLES = int(os.environ.get("FORMULAIRES_EXEMPLES", "15"))
# Models written on purpose whatever the form's fate (the access log records every view).
HORS_INSTANTANE = {"mentorat.JournalAcces"}
ABSENT = object()


@dataclass
class Cible:
    """A URL receiving a form: who posts, how to build its kwargs, which page renders the form."""

    qui: str | None  # attribute of the cast; None = anonymous
    kwargs: Callable | None = None  # function(monde) -> kwargs of the URL
    page: str | None = None  # URL name of the page rendering the form, if another one
    methode: str = "post"
    # A success answered 200 instead of a redirect (the snapshot check is then skipped).
    succes_200: str | None = None
    parametres: dict = field(default_factory=dict)  # query string of the GET that renders the form


@dataclass
class Monde:
    cast: object
    binome: object
    seance_prevue: object
    seance_tenue: object
    reunion: object
    enquete: object
    admin_academique: object = None
    responsable: object = None
    referent_sans_dispositif: object = None

    def __getattr__(self, nom):
        return getattr(self.cast, nom)


def _objet(nom):
    return lambda monde: OBJETS_DU_LP_A[nom](monde.cast)


def _jeton_mot_de_passe(monde):
    user = monde.cast.referent_a
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}


def _jeton_enquete(monde):
    from bilans import services

    (invitation,) = services.invitations_creer(enquete=monde.enquete, nombre=1)
    return {"jeton": invitation.jeton}


def _convention_soumise(monde):
    convention = etab_f.rouvrir(monde.cast.dispositif_a.conventions.get())
    convention.statut = "soumise"
    convention.save(update_fields=["statut"])
    return {"pk": convention.pk}


def _lien_invitation(monde):
    etab_f.InvitationFactory(etablissement=monde.cast.lp_a, email="invitee.fuzz@exemple.fr", jeton="jeton-fuzz")
    return {"jeton": "jeton-fuzz"}


def _lien_avis(monde):
    seance = seances_f.SeanceFactory(dispositif=monde.cast.dispositif_a, binome=monde.binome)
    return {"jeton": liens_avis_creer(seance=seance)[0].jeton}


def _evenement_a_venir(monde):
    return seances_f.EvenementFactory(dispositif=monde.cast.dispositif_a, date=datetime.date(2027, 6, 18))


def _jeton_invitation_evenement(monde):
    envoi = invitations_envoyer(evenement=_evenement_a_venir(monde), categories=["famille"])
    return {"jeton": envoi.lettres[0][1]}


def _evenement_avec_invites(monde):
    evenement = _evenement_a_venir(monde)
    invitations_envoyer(evenement=evenement, categories=["famille"])
    return {"pk": evenement.pk}


def _seance_avec_objectif(monde):
    binomes_f.ObjectifBinomeFactory(binome=monde.binome)
    return {"pk": monde.seance_prevue.pk}


CIBLES = {
    "login": Cible(None),
    # Accounts: the LP's access page (invite), and the emailed link (create the account).
    "etablissements:acces": Cible("chef_a", _objet("etablissements:acces")),
    "invitation": Cible(None, _lien_invitation),
    "password_reset": Cible(None),
    "password_reset_confirm": Cible(None, _jeton_mot_de_passe),
    "etablissements:modifier": Cible("referent_a", _objet("etablissements:modifier")),
    "etablissements:formations": Cible("referent_a", _objet("etablissements:formations")),
    "etablissements:communication": Cible("referent_a", _objet("etablissements:communication")),
    "etablissements:dispositifs": Cible("referent_a", methode="get"),
    # LP A's year is open and the next one opens in June only: an LP with no dispositif yet.
    "etablissements:dispositif_creer": Cible("referent_sans_dispositif"),
    "etablissements:diagnostic_modifier": Cible("referent_a", _objet("etablissements:diagnostic_modifier")),
    "etablissements:partenaire_ajouter": Cible("referent_a", _objet("etablissements:partenaire_ajouter")),
    "etablissements:membre_ajouter": Cible("referent_a", _objet("etablissements:membre_ajouter")),
    "etablissements:ligne_budget_ajouter": Cible("referent_a", _objet("etablissements:ligne_budget_ajouter")),
    "etablissements:convention_modifier": Cible("referent_a", _objet("etablissements:convention_modifier")),
    # The chef's decisions: an avenant to the signed convention of the cast; the signatures and the
    # sending back of a convention submitted for signature (the partner's by its responsable).
    "etablissements:convention_avenant": Cible("chef_a", _objet("etablissements:convention_avenant")),
    "etablissements:convention_signer": Cible("chef_a", _convention_soumise),
    "etablissements:convention_renvoyer": Cible("chef_a", _convention_soumise, page="etablissements:convention"),
    # The avenant de reconduction: a draft whose partner's convention last year is signed.
    "etablissements:convention_reconduire": Cible(
        "chef_a", _objet("etablissements:convention_reconduire"), page="etablissements:convention"
    ),
    "etablissements:convention_signer_partenaire": Cible("responsable", _convention_soumise),
    "etablissements:cadrage_modifier": Cible("referent_a", _objet("etablissements:cadrage_modifier")),
    "etablissements:membre_modifier": Cible("referent_a", _objet("etablissements:membre_modifier")),
    "etablissements:ligne_budget_modifier": Cible("referent_a", _objet("etablissements:ligne_budget_modifier")),
    "etablissements:jalon_modifier": Cible("referent_a", _objet("etablissements:jalon_modifier")),
    "etablissements:partenaires": Cible("referent_a", methode="get"),
    "etablissements:partenaire_modifier": Cible("referent_a", _objet("etablissements:partenaire_modifier")),
    "etablissements:entreprises": Cible("referent_a", methode="get"),
    "etablissements:entreprise_ajouter": Cible("referent_a"),
    "etablissements:entreprise_modifier": Cible("referent_a", _objet("etablissements:entreprise_modifier")),
    "binomes:eleves": Cible("referent_a", methode="get"),
    "binomes:eleve_nouveau": Cible("referent_a"),
    "binomes:import_siecle": Cible("referent_a"),
    "binomes:eleve_modifier": Cible("referent_a", _objet("binomes:eleve_modifier")),
    # The school calendar: the PFMP periods (the DDFPT organises them) and the LP's holiday zone.
    "binomes:pfmp_ajouter": Cible("ddfpt_a"),
    "binomes:pfmp_modifier": Cible("referent_a", _objet("binomes:pfmp_modifier")),
    "binomes:pfmp_import": Cible("ddfpt_a"),
    "binomes:eleve_proposer": Cible("personnel_a", _objet("binomes:eleve_proposer")),
    "binomes:eleve_entretien": Cible("referent_a", _objet("binomes:eleve_entretien")),
    "binomes:mentors": Cible("referent_a", methode="get"),
    "binomes:mentor_nouveau": Cible("coordonnateur_a"),
    "binomes:mentor_modifier": Cible("referent_a", _objet("binomes:mentor_modifier")),
    "binomes:mentor_honorabilite": Cible("referent_a", _objet("binomes:mentor_honorabilite")),
    "binomes:honorabilite_saisir": Cible("pilotage", _objet("binomes:honorabilite_saisir")),
    # Mentors' invitations and CSV import (issue 12).
    "binomes:mentor_inviter": Cible("coordonnateur_a"),
    "binomes:import_mentors": Cible("coordonnateur_a"),
    "binomes:import_mentors_apercu": Cible("coordonnateur_a", _objet("binomes:import_mentors_apercu")),
    "binomes:binomes": Cible("referent_a", methode="get"),
    "binomes:binome_nouveau": Cible("referent_a"),
    "binomes:binome_modifier": Cible("referent_a", lambda m: {"pk": m.binome.pk}),
    "binomes:binome_terminer": Cible("referent_a", lambda m: {"pk": m.binome.pk}),
    "binomes:binome_rompre": Cible("referent_a", lambda m: {"pk": m.binome.pk}),
    "binomes:reconduire": Cible("referent_a", lambda m: {"pk": m.binome.pk}),
    "binomes:reunion_nouvelle": Cible("referent_a"),
    "binomes:objectif_nouveau": Cible("referent_a", lambda m: {"pk": m.binome.pk}),
    "binomes:objectif_modifier": Cible(
        "referent_a", lambda m: {"pk": binomes_f.ObjectifBinomeFactory(binome=m.binome).pk}
    ),
    "binomes:reunion_calculer": Cible("referent_a", lambda m: {"pk": m.reunion.pk}, page="binomes:reunion"),
    "binomes:proposition_changer": Cible("referent_a", _objet("binomes:proposition_changer")),
    "bilans:resultats": Cible("referent_a"),
    "bilans:qualitatif": Cible("referent_a"),
    "bilans:inviter": Cible("referent_a", lambda m: {"pk": m.enquete.pk}, page="bilans:enquete"),
    "bilans:repondre": Cible(None, _jeton_enquete, succes_200="Merci pour vos réponses"),
    "bilans:indicateur_ajouter": Cible("referent_a", _objet("bilans:indicateur_ajouter")),
    "bilans:indicateur_modifier": Cible("referent_a", _objet("bilans:indicateur_modifier")),
    "seances:liste": Cible("referent_a", methode="get"),
    "seances:avis_repondre": Cible(None, _lien_avis, succes_200="Merci pour ton avis"),
    # Families are invited by letter: a send that writes some answers 200 with the letters to print.
    "seances:invitations": Cible(
        "referent_a", lambda m: {"pk": _evenement_a_venir(m).pk}, succes_200="Lettres aux familles"
    ),
    "seances:invitations_presences": Cible("referent_a", _evenement_avec_invites, page="seances:invitations"),
    "seances:invitation_repondre": Cible(None, _jeton_invitation_evenement, succes_200="votre réponse est enregistrée"),
    "seances:nouvelle": Cible("coordonnateur_a"),
    "seances:modifier": Cible("coordonnateur_a", _objet("seances:modifier")),
    "seances:declarer_absence": Cible("cpe_a", lambda m: {"pk": m.seance_prevue.pk}),
    "seances:entretien": Cible("cpe_a", _objet("seances:entretien")),
    # The vie scolaire's absences (issue 16): the export, its columns, the daily list.
    "seances:import_absences": Cible("cpe_a"),
    "seances:import_absences_apercu": Cible("cpe_a", _objet("seances:import_absences_apercu")),
    "seances:absences_du_jour": Cible("cpe_a"),
    # The mentor's note after a séance of their binôme (issue 15).
    "seances:note_mentor": Cible("mentor_a", lambda m: {"pk": m.seance_tenue.pk}),
    "seances:reunion_nouvelle": Cible("coordonnateur_a"),
    "seances:avancement": Cible("coordonnateur_a", _seance_avec_objectif),
    "seances:reunion": Cible("coordonnateur_a", _objet("seances:reunion"), parametres={"modifier": "1"}),
    "seances:evenement_nouveau": Cible("coordonnateur_a"),
    "seances:evenement": Cible("coordonnateur_a", _objet("seances:evenement"), parametres={"modifier": "1"}),
    "seances:rappels": Cible("mentor_a"),
    "seances:rappel": Cible(
        None, lambda m: seances_f.lien_de_rappel(m.cast), succes_200="Merci, votre réponse est enregistrée"
    ),
    # The safeguarding channel (issue 15): the public form, filing from the app, the chef's follow-up.
    "seances:signalement_public": Cible(None, _objet("seances:signalement_public")),
    "seances:signalement_nouveau": Cible("mentor_a"),
    "seances:signalement": Cible("chef_a", _objet("seances:signalement")),
    "journal": Cible("chef_a", methode="get"),
    "securite": Cible("referent_a"),
    # The académie's administration (the monde's administrator of LP A's académie).
    "etablissements:lycee_creer": Cible("admin_academique", _objet("etablissements:lycee_creer")),
    "etablissements:academie_partenaire_nouveau": Cible(
        "admin_academique", _objet("etablissements:academie_partenaire_nouveau")
    ),
    "etablissements:academie_partenaire_inscrire": Cible(
        "admin_academique", _objet("etablissements:academie_partenaire_inscrire")
    ),
    "etablissements:academie_partenaire_modifier": Cible(
        "admin_academique", _objet("etablissements:academie_partenaire_modifier")
    ),
}

# Form classes no target renders, with the reason.
SANS_PAGE = {
    # The Django admin's forms: operators only, behind the second factor; the admin's pages are
    # left out of the targets (Django's own views) and checked in tests/test_administration.py.
    "socle.admin_site.ConnexionAdministrationForm": "connexion à l’admin Django",
    "socle.admin.CreationUtilisateurForm": "admin Django",
    "socle.admin.ModificationUtilisateurForm": "admin Django",
    "etablissements.admin.EtablissementForm": "admin Django",
    # The base of grids read as one form; its subclass (the séance's attendance) is rendered.
    "socle.grille.GrilleChoix": "classe de base",
}


@pytest.fixture
def monde(cast, settings):
    """The cast plus what the forms offer to choose: a binôme, a planned séance, a meeting, a survey."""
    from bilans.models import Enquete

    mentor = binomes_f.MentorFactory(etablissement=cast.lp_a, user=cast.mentor_a, verifie=True)
    binome = binomes_f.BinomeFactory(dispositif=cast.dispositif_a, mentor=mentor)
    etab_f.EntrepriseFactory(etablissement=cast.lp_a)
    # The security page shows its code form once an application is being set up (a POST of its button).
    TOTPDevice.objects.create(user=cast.referent_a, name="Application d’authentification", confirmed=False)
    # A second LP served by the coordinator: the header offers to switch LPs.
    lp_c = etab_f.EtablissementFactory(nom="Lycée professionnel Gamma")
    etab_f.ConventionFactory(dispositif=etab_f.DispositifFactory(etablissement=lp_c, partenaire=cast.partenaire_a))
    # The académie's administrator (their second factor has its own tests), and an association
    # of another académie's list that they may put on theirs.
    settings.DOUBLE_AUTHENTIFICATION_ROLES = []
    admin_academique = etab_f.AffectationFactory(admin_academique=True, academie=cast.lp_a.academie).user
    etab_f.PartenaireFactory(nom="Association d’une autre académie").academies.add(
        etab_f.AcademieFactory(nom="Grenoble")
    )
    return Monde(
        cast=cast,
        binome=binome,
        seance_prevue=seances_f.SeanceFactory(dispositif=cast.dispositif_a, binome=binome, prevue=True),
        seance_tenue=seances_f.SeanceFactory(dispositif=cast.dispositif_a, binome=binome),
        reunion=binomes_f.ReunionAppariementFactory(dispositif=cast.dispositif_a),
        enquete=Enquete.objects.get_or_create(dispositif=cast.dispositif_a, population="eleves")[0],
        admin_academique=admin_academique,
        responsable=etab_f.AffectationFactory(responsable=True, partenaire=cast.partenaire_a).user,
        referent_sans_dispositif=etab_f.AffectationFactory(
            role="referent", etablissement=etab_f.EtablissementFactory(nom="Lycée professionnel Delta")
        ).user,
    )


# --- What the pages render ---------------------------------------------------------------------


def _nom(classe):
    return f"{classe.__module__}.{classe.__qualname__}"


def _du_projet(classe):
    return classe.__module__.split(".")[0] in APPS and ".tests" not in classe.__module__


def _formulaires_rendus(reponse):
    """Form and formset instances of the response's template context, filter forms included."""
    vus = {}
    contextes = reponse.context or []
    if not isinstance(contextes, list):  # one template rendered: a Context, not a ContextList
        contextes = [contextes]
    for contexte in contextes:
        for valeur in contexte.flatten().values():
            objet = getattr(valeur, "form", None) if hasattr(valeur, "qs") else valeur
            if isinstance(objet, forms.BaseFormSet):
                vus[id(objet)] = objet
                for sous in objet.forms:
                    vus[id(sous)] = sous
            elif isinstance(objet, forms.BaseForm):
                vus[id(objet)] = objet
    return list(vus.values())


def _formulaires_du_projet():
    """Every form class and formset class defined in the project's apps, by dotted name."""
    for app in APPS:
        for module in ("forms", "filters", "views"):
            with contextlib.suppress(ModuleNotFoundError):
                importlib.import_module(f"{app}.{module}")
    classes = {}
    a_voir = [forms.BaseForm, forms.BaseFormSet]
    while a_voir:
        classe = a_voir.pop()
        for sous in classe.__subclasses__():
            a_voir.append(sous)
            if _du_projet(sous):
                classes[_nom(sous)] = sous
    # Formsets made by formset_factory live in django.forms.formsets: find them by module attribute.
    for nom_module, module in list(sys.modules.items()):
        if nom_module.split(".")[0] not in APPS or ".tests" in nom_module:
            continue
        for nom, valeur in vars(module).items():
            if inspect.isclass(valeur) and issubclass(valeur, forms.BaseFormSet) and not _du_projet(valeur):
                classes[f"{nom_module}.{nom}"] = valeur
    return classes


def _url(nom, cible, monde):
    return reverse(nom, kwargs=cible.kwargs(monde) if cible.kwargs else {})


def _connecter(client, monde, cible):
    client.logout()
    if cible.qui:
        client.force_login(getattr(monde, cible.qui))


def _page(client, monde, nom, cible, url):
    """GET the page rendering the target's form; returns (response, URL to post to)."""
    if cible.page:
        page = reverse(cible.page, kwargs=cible.kwargs(monde) if cible.kwargs else {})
        reponse = client.get(page, cible.parametres)
    else:
        reponse = client.get(url, cible.parametres, follow=True)
        if reponse.redirect_chain:
            url = reponse.redirect_chain[-1][0]  # password reset: the token moves to the session
    assert reponse.status_code == 200, (nom, reponse.status_code)
    return reponse, url


# --- Inventories -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_chaque_formulaire_du_projet_est_fuzze(client, monde):
    du_projet = _formulaires_du_projet()
    rendues = set()
    for nom, cible in CIBLES.items():
        _connecter(client, monde, cible)
        reponse, _url_post = _page(client, monde, nom, cible, _url(nom, cible, monde))
        formulaires = _formulaires_rendus(reponse)
        assert formulaires, f"{nom} ne rend aucun formulaire"
        for formulaire in formulaires:
            classes = set(type(formulaire).__mro__)
            rendues |= {nom_classe for nom_classe, classe in du_projet.items() if classe in classes}
    manquants = set(du_projet) - rendues - set(SANS_PAGE)
    assert not manquants, f"Formulaires non couverts par le fuzzing (ajoutez-les à CIBLES) : {sorted(manquants)}"


ECRIVAINS = ("referent_a", "chef_a", "coordonnateur_a", "cpe_a", "ddfpt_a", "mentor_a", "pilotage")


@pytest.mark.django_db
def test_chaque_page_a_formulaire_est_une_cible(client, monde):
    """Every URL whose GET renders a form to one of the cast is fuzzed."""
    oubliees = set()
    pages = {cible.page for cible in CIBLES.values()}
    for nom, route, _vue in motifs():
        if not nom or nom.startswith("admin:") or nom in CIBLES or nom in pages:
            continue
        if "<" in route and nom not in OBJETS_DU_LP_A:
            continue  # token URLs are targets above or have no form (calendar feed)
        url = reverse(nom, kwargs=OBJETS_DU_LP_A[nom](monde.cast) if "<" in route else {})
        for qui in ECRIVAINS:
            client.force_login(getattr(monde, qui))
            reponse = client.get(url)
            if reponse.status_code == 200 and _formulaires_rendus(reponse):
                oubliees.add(nom)
                break
    assert not oubliees, f"Pages à formulaire absentes de CIBLES : {sorted(oubliees)}"


# --- Strategies --------------------------------------------------------------------------------

MECHANTS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "<b>gras</b> & « guillemets »",
    "x" * 5000,
    "é" * 600,
    "🙂" * 200,
    "\u202e\u200b",
    "'; DROP TABLE x;--",
    "%s %d {0} {{x}}",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "1e400",
    "99999999999999999999999999999",
    "-99999999999",
    "-1",
    "0",
    "1.5",
    "1,5",
    "2026-02-30",
    "0000-00-00",
    "31/12/2026",
    "2026-13-01",
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "25:61",
    "12:00",
    "on",
    "true",
]


def _bornes():
    """Every numeric bound of the project's models, and the date bounds, at, below and above them."""
    valeurs = set()
    for modele in apps.get_models():
        if modele._meta.app_label not in APPS:
            continue
        for champ in modele._meta.get_fields():
            for validateur in getattr(champ, "validators", []):
                if isinstance(validateur, MinValueValidator | MaxValueValidator):
                    limite = validateur.limit_value
                    valeurs |= {str(limite - 1), str(limite), str(limite + 1), str(-limite)}
                    if not isinstance(limite, int):
                        valeurs |= {str(limite - limite.__class__("0.01")), str(limite + limite.__class__("0.01"))}
    un_jour = datetime.timedelta(days=1)
    for jour in (DATE_MIN, date_max_plausible(), *naissances_admises(annee_scolaire_courante())):
        valeurs |= {(jour + decalage).isoformat() for decalage in (-un_jour, datetime.timedelta(0), un_jour)}
    return sorted(valeurs)


# The date bounds depend on the day: listed at the first draw, inside a test on the tests'
# clock (tests/horloge.py), not when the module is imported, on the machine's.
BORNES = st.deferred(lambda: st.sampled_from(_bornes()))
TEXTES = st.one_of(
    st.sampled_from(MECHANTS),
    BORNES,
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates(min_value=datetime.date(1, 1, 1)).map(lambda d: d.strftime("%d/%m/%Y")),
    st.dates().map(datetime.date.isoformat),
)
CONTENUS = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            b"",
            b"PK\x03\x04garbage",
            b"<?xml version='1.0'?><BEE_ELEVES><DONNEES><ELEVES><ELEVE ELEVE_ID='1'/></ELEVES></DONNEES></BEE_ELEVES>",
            b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]><x>&a;</x>",
            "Nom;Prénom;Date de naissance;INE;Division\nÉlève;Zoé;31/02/2008;;3A\n".encode("latin-1"),
            b"\xff\xfe\x00\x00",
            b"nom,prenom\n\x00,\x00\n",
        ]
    ),
)
# SIECLE-shaped files whose student rows are bad input: the parser is reached, not just the form.
LIGNES_ELEVES = st.lists(st.tuples(*[st.one_of(st.sampled_from(MECHANTS[:20]), st.text(max_size=12))] * 8), max_size=3)


def _fichiers(uai):
    """Uploads: names and bytes of all kinds, and SIECLE exports of the current LP holding bad rows."""
    contenus = st.one_of(
        CONTENUS,
        LIGNES_ELEVES.map(lambda eleves: fichiers_siecle.csv(eleves=eleves, encodage="utf-8")),
        LIGNES_ELEVES.map(lambda eleves: fichiers_siecle.xml(uai, eleves=eleves, encodage="UTF-8")),
        LIGNES_ELEVES.map(
            lambda eleves: fichiers_siecle.zipper("ElevesSansAdresses.xml", fichiers_siecle.xml(uai, eleves=eleves))
        ),
    )
    return st.builds(
        lambda nom, contenu: SimpleUploadedFile(nom, contenu),
        st.sampled_from(["eleves.xml", "eleves.zip", "eleves.csv", "x", "élèves.CSV", "a" * 300 + ".xml", ".zip"]),
        contenus,
    )


def _choix(champ):
    valeurs = []
    for valeur, _libelle in getattr(champ, "choices", []) or []:
        if isinstance(_libelle, (list, tuple)):  # option groups
            valeurs.extend(str(v) for v, _l in _libelle)
        else:
            valeurs.append(str(getattr(valeur, "value", valeur)))
    return valeurs


def _strategie_champ(champ, initial, uai):
    """Values for one field: its initial value, its choices, and everything a user should not send."""
    if isinstance(champ, forms.FileField):
        return st.one_of(st.just(ABSENT), _fichiers(uai), TEXTES)
    options = [st.just(ABSENT), TEXTES]
    if initial not in (None, ""):
        options.append(st.just(initial))
    choix = _choix(champ)
    if choix:
        options.append(st.sampled_from(choix))
    if isinstance(champ, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return st.lists(st.one_of(*options[1:]), max_size=4) | st.just(ABSENT)
    if isinstance(champ, forms.BooleanField):
        options.append(st.sampled_from(["on", "", "false", "0"]))
    return st.one_of(*options)


def _valeur_initiale(formulaire, nom):
    try:
        valeur = formulaire[nom].value()
    except Exception:  # noqa: BLE001 (a widget that cannot render its value: just not offered)
        return None
    if isinstance(valeur, list | tuple):
        return None
    return None if valeur is None else str(valeur)


def _plausible(champ, initial):
    """A value the field is likely to accept, so that corrupting a few fields reaches the save paths."""
    if initial not in (None, ""):
        return initial
    choix = [c for c in _choix(champ) if c]
    if isinstance(champ, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return choix[:1] or ABSENT
    if choix:
        return choix[0]
    if isinstance(champ, forms.FileField):
        return ABSENT
    if isinstance(champ, forms.BooleanField):
        return "on"
    if isinstance(champ, forms.DateTimeField):
        return "2026-12-01 14:00"
    if isinstance(champ, forms.DateField):
        return "2026-12-01"
    if isinstance(champ, forms.TimeField):
        return "14:00"
    if isinstance(champ, forms.EmailField):
        return "camille.martin@exemple.fr"
    if isinstance(champ, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return str(max(1, champ.min_value or 1))
    return "Texte valide"


def _strategie_formulaires(formulaires, uai):
    """A strategy of POST data for all the forms (and formset management forms) of a page.

    Half the examples corrupt up to three fields of a plausible submission (to reach what
    runs after validation), the other half fill every field with bad input.
    """
    champs, plausibles = {}, {}
    for formulaire in formulaires:
        if isinstance(formulaire, forms.BaseFormSet):
            # One form more than the page shows: what a lying TOTAL_FORMS would bring in.
            vide = formulaire.empty_form
            for nom, champ in vide.fields.items():
                cle = vide.add_prefix(nom).replace("__prefix__", str(len(formulaire.forms)))
                champs[cle], plausibles[cle] = _strategie_champ(champ, None, uai), ABSENT
            for nom in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
                reel = str(formulaire.management_form[nom].value() or 0)
                plausibles[formulaire.add_prefix(nom)] = reel
                champs[formulaire.add_prefix(nom)] = st.one_of(
                    st.sampled_from(["-1", "0", "1", "3", "1000", "99999999999999999999", "x", ""]),
                    st.just(str(int(reel) + 1)),
                    st.just(ABSENT),
                )
            continue
        if isinstance(formulaire, GrilleChoix):
            # The rows shown, plausible as shown, and one row more: what a lying count would bring in.
            for ligne in formulaire.lignes:
                plausibles[formulaire.nom(ligne.index, formulaire.nom_cle)] = ligne.cle
                plausibles[formulaire.nom(ligne.index, formulaire.nom_choix)] = ligne.valeur
            for index in (0, len(formulaire.lignes)):
                for nom, champ in formulaire.champs_de_ligne().items():
                    champs[formulaire.nom(index, nom)] = _strategie_champ(champ, None, uai)
                    plausibles.setdefault(formulaire.nom(index, nom), ABSENT)
        for nom, champ in formulaire.fields.items():
            initial = _valeur_initiale(formulaire, nom)
            cle = formulaire.add_prefix(nom)
            champs[cle], plausibles[cle] = _strategie_champ(champ, initial, uai), _plausible(champ, initial)
    noms = sorted(champs)

    @st.composite
    def donnees(draw):
        if noms and draw(st.booleans()):
            abimes = draw(st.sets(st.sampled_from(noms), min_size=1, max_size=3))
        else:
            abimes = set(noms)
        valeurs = {nom: draw(champs[nom]) if nom in abimes else plausibles[nom] for nom in noms}
        return {k: v for k, v in valeurs.items() if v is not ABSENT}

    return donnees()


# --- The fuzzing -------------------------------------------------------------------------------


def _instantane():
    """Every row of the project's models, so a refused form can be shown to have written nothing."""
    etat = {}
    for modele in apps.get_models():
        if modele._meta.app_label not in APPS or modele._meta.label in HORS_INSTANTANE:
            continue
        etat[modele._meta.label] = list(modele._default_manager.order_by("pk").values_list())
    return etat


@pytest.mark.django_db
@pytest.mark.parametrize("nom", sorted(CIBLES))
def test_aucune_saisie_ne_donne_500(client, monde, nom):
    cible = CIBLES[nom]
    _connecter(client, monde, cible)
    url = _url(nom, cible, monde)
    reponse, url = _page(client, monde, nom, cible, url)
    formulaires = [f for f in _formulaires_rendus(reponse) if cible.methode == "get" or not _est_filtre(f)]
    strategie = _strategie_formulaires(formulaires, monde.lp_a.uai)

    @settings(
        max_examples=EXEMPLES,
        deadline=None,
        database=None,  # nothing written in the repository; a failure prints its reproduction blob
        print_blob=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(donnees=strategie)
    def essai(donnees):
        with transaction.atomic():
            avant = _instantane()
            if cible.methode == "get":
                donnees = {k: v for k, v in donnees.items() if not hasattr(v, "read")}
                reponse = client.get(url, donnees)
            else:
                reponse = client.post(url, donnees)
            assert reponse.status_code < 500, (nom, reponse.status_code)
            ecrit = reponse.status_code in (301, 302) or (
                cible.succes_200 and cible.succes_200 in reponse.content.decode()
            )
            if cible.methode == "post" and not ecrit:
                assert _instantane() == avant, f"{nom} : formulaire refusé mais la base a changé"
            transaction.set_rollback(True)

    essai()


def _est_filtre(formulaire):
    """A GET form (list filters, the LP chooser of the séance page) is not posted."""
    helper = getattr(formulaire, "helper", None)
    return getattr(helper, "form_method", "post").lower() == "get"


# --- Regressions: the bugs the fuzzing found -------------------------------------------------

TROP_GRAND = "99999999999999999999999999999"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "nom,qui,champ",
    [
        ("binomes:reunion_calculer", "referent_a", "eleves"),
        ("etablissements:diagnostic_modifier", "referent_a", "formations_ciblees"),
        ("seances:evenement_nouveau", "coordonnateur_a", "entreprises_invitees"),
    ],
)
def test_identifiant_hors_des_entiers_de_la_base_refuse_sans_500(client, monde, nom, qui, champ):
    """A multiple choice of objects given an id beyond 64 bits: SQLite raised OverflowError (a 500)."""
    cible = CIBLES[nom]
    client.force_login(getattr(monde, qui))
    avant = _instantane()
    reponse = client.post(_url(nom, cible, monde), {champ: [TROP_GRAND]})
    assert reponse.status_code in (200, 302)
    assert _instantane() == avant


@pytest.mark.django_db
def test_adresse_trop_longue_a_la_connexion_refusee_sans_500(client):
    """An address beyond 255 characters reached axes, whose varchar(255) broke on PostgreSQL (a 500)."""
    from axes.models import AccessAttempt

    reponse = client.post(reverse("login"), {"username": "x" * 5000 + "@exemple.fr", "password": "secret"})
    assert reponse.status_code == 200
    assert reponse.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()


# --- Accepted extremes: saved, then shown everywhere -------------------------------------------
# A value a form accepts must not break a page that shows it later: the iCalendar feed once
# answered 500 (OverflowError) for a séance of 5,000,000,000 minutes the form had let through.
# Each case posts the page's forms with plausible values and its bounded fields at their lowest
# or highest accepted value, checks the save, then renders every page showing the object.


def _donnees_plausibles(formulaires):
    donnees = {}
    for formulaire in formulaires:
        if isinstance(formulaire, forms.BaseFormSet):
            for nom in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
                donnees[formulaire.add_prefix(nom)] = str(formulaire.management_form[nom].value() or 0)
            continue
        if isinstance(formulaire, GrilleChoix):
            for ligne in formulaire.lignes:
                donnees[formulaire.nom(ligne.index, formulaire.nom_cle)] = ligne.cle
                donnees[formulaire.nom(ligne.index, formulaire.nom_choix)] = ligne.valeur
        for nom, champ in formulaire.fields.items():
            valeur = _plausible(champ, _valeur_initiale(formulaire, nom))
            if valeur is not ABSENT:
                donnees[formulaire.add_prefix(nom)] = valeur
    return donnees


def _extremes(borne):
    """The lowest or highest value accepted today: dates, birth dates, and the numeric bounds by field."""
    naissances = naissances_admises(annee_scolaire_courante())
    bas = borne == "min"
    return {
        "date": (DATE_MIN if bas else date_max_plausible()).isoformat(),
        "naissance": naissances[0 if bas else 1].isoformat(),
    }


def _limite(label, champ, borne):
    """The field's own bound from its model validators, so loosening a bound is tested at once."""
    classe = MinValueValidator if borne == "min" else MaxValueValidator
    limites = [v.limit_value for v in apps.get_model(label)._meta.get_field(champ).validators if type(v) is classe]
    return str(max(limites) if borne == "min" else min(limites))


@dataclass
class Extreme:
    qui: str
    url: Callable  # function(monde) -> URL of the form
    champs: Callable  # function(monde, extremes, borne) -> fields overriding the plausible submission
    pages: Callable  # function(monde) -> URLs showing the saved object
    parametres: dict = field(default_factory=dict)


def _pages_seances(monde):
    from seances.models import JetonCalendrier, Seance

    jeton = JetonCalendrier.objects.get_or_create(mentor=monde.binome.mentor)[0].jeton
    seance = Seance.objects.order_by("-pk").first()
    return [
        reverse("seances:liste"),
        reverse("seances:detail", args=[seance.pk]),
        reverse("seances:calendrier_ics", args=[jeton]),
        reverse("binomes:binome", args=[monde.binome.pk]),
        reverse("binomes:eleve", args=[monde.binome.eleve.pk]),
        reverse("rgpd:export_eleve", args=[monde.binome.eleve.pk]),
        reverse("rgpd:export_mentor", args=[monde.binome.mentor.pk]),
    ]


def _url_seance(monde):
    # The mentor's check valid up to the last date a séance may take, so that date is not refused for it.
    mentor = monde.binome.mentor
    mentor.honorabilite.expiration = date_max_plausible()
    mentor.honorabilite.save(update_fields=["expiration"])
    return reverse("seances:modifier", args=[monde.seance_prevue.pk])


def _mene_le(borne):
    # An interview is held between the absence it follows and today: those are its bounds.
    entretien = apps.get_model("seances.EntretienAbsence").objects.order_by("-pk").first()
    return (entretien.seance.date if borne == "min" else datetime.date.today()).isoformat()


def _dernier(modele, vue, *autres):
    def pages(monde):
        objet = apps.get_model(modele).objects.order_by("-pk").first()
        return [reverse(vue, args=[objet.pk]), *[reverse(a, args=[objet.pk]) for a in autres]]

    return pages


EXTREMES = {
    "seance": Extreme(
        "coordonnateur_a",
        _url_seance,
        lambda m, x, borne: {"date": x["date"], "heure": "23:59", "duree": _limite("seances.Seance", "duree", borne)},
        _pages_seances,
    ),
    "eleve": Extreme(
        "referent_a",
        lambda m: reverse("binomes:eleve_modifier", args=[m.binome.eleve.pk]),
        lambda m, x, borne: {
            "formation": "",
            "date_naissance": x["naissance"],
            "date_volontariat": x["date"],
            "parents_informes_le": x["date"],
            "date_sortie": x["date"],
        },
        lambda m: [
            reverse("binomes:eleves"),
            reverse("binomes:eleve", args=[m.binome.eleve.pk]),
            reverse("binomes:eleves_export"),
            reverse("rgpd:export_eleve", args=[m.binome.eleve.pk]),
            reverse("binomes:binomes"),
        ],
    ),
    "mentor": Extreme(
        "referent_a",
        lambda m: reverse("binomes:mentor_modifier", args=[m.binome.mentor.pk]),
        lambda m, x, borne: {
            "capacite": _limite("binomes.Mentor", "capacite", borne),
            "charte_signee_le": x["date"],
            "formation_suivie_le": x["date"],
        },
        lambda m: [
            reverse("binomes:mentors"),
            reverse("binomes:mentor", args=[m.binome.mentor.pk]),
            reverse("binomes:mentors_export"),
            reverse("rgpd:export_mentor", args=[m.binome.mentor.pk]),
            reverse("binomes:binome_nouveau"),
        ],
    ),
    "binome": Extreme(
        "referent_a",
        lambda m: reverse("binomes:binome_modifier", args=[m.binome.pk]),
        lambda m, x, borne: (
            {"date_debut": DATE_MIN.isoformat(), "date_fin_prevue": date_max_plausible().isoformat()}
            if borne == "max"
            else {"date_debut": x["date"], "date_fin_prevue": (DATE_MIN + datetime.timedelta(days=1)).isoformat()}
        ),
        lambda m: [
            reverse("binomes:binomes"),
            reverse("binomes:binome", args=[m.binome.pk]),
            reverse("binomes:binomes_export"),
            reverse("binomes:mentor", args=[m.binome.mentor.pk]),
        ],
    ),
    "ligne_budget": Extreme(
        "referent_a",
        lambda m: reverse("etablissements:ligne_budget_ajouter", args=[m.dispositif_a.pk]),
        lambda m, x, borne: {
            "type": "allocation",
            "source": "autre",
            "montant": _limite("etablissements.LigneBudget", "montant", borne),
            "date": x["date"],
        },
        lambda m: [
            reverse("etablissements:budget", args=[m.dispositif_a.pk]),
            reverse("etablissements:dispositif", args=[m.dispositif_a.pk]),
        ],
    ),
    "convention": Extreme(
        "referent_a",
        lambda m: reverse(
            "etablissements:convention_modifier", args=[etab_f.rouvrir(m.dispositif_a.conventions.get()).pk]
        ),
        lambda m, x, borne: {
            "date_debut": x["date"],
            "date_fin": x["date"],
            "cout_estime": _limite("etablissements.Convention", "cout_estime", borne),
            "date_signature_etablissement": x["date"],
            "date_signature_partenaire": x["date"],
        },
        lambda m: [
            reverse("etablissements:conventions", args=[m.dispositif_a.pk]),
            reverse("etablissements:convention", args=[m.dispositif_a.conventions.get().pk]),
        ],
    ),
    "cadrage": Extreme(
        "referent_a",
        lambda m: reverse(
            "etablissements:cadrage_modifier", args=[etab_f.VersionCadrageFactory(dispositif=m.dispositif_a).pk]
        ),
        lambda m, x, borne: {"duree_mois": _limite("etablissements.VersionCadrage", "duree_mois", borne)},
        _dernier("etablissements.VersionCadrage", "etablissements:cadrage_version"),
    ),
    "diagnostic": Extreme(
        "referent_a",
        lambda m: reverse("etablissements:diagnostic_modifier", args=[m.dispositif_a.pk]),
        lambda m, x, borne: {"date_reflexion": x["date"]},
        lambda m: [reverse("etablissements:diagnostic", args=[m.dispositif_a.pk])],
    ),
    "entretien": Extreme(
        "cpe_a",
        lambda m: reverse("seances:entretien", args=[OBJETS_DU_LP_A["seances:entretien"](m.cast)["pk"]]),
        lambda m, x, borne: {"echeance": x["date"], "fait": "on", "fait_le": _mene_le(borne), "issue": "Fait."},
        _dernier("seances.EntretienAbsence", "seances:entretien"),
    ),
    "reunion_suivi": Extreme(
        "coordonnateur_a",
        lambda m: reverse("seances:reunion_nouvelle"),
        lambda m, x, borne: (
            {"date": x["date"], "actions-0-libelle": "Relancer", "actions-0-responsable": "Moi"}
            | {"actions-0-echeance": x["date"]}
        ),
        _dernier("seances.ReunionSuivi", "seances:reunion"),
    ),
    "resultats": Extreme(
        "referent_a",
        lambda m: reverse("bilans:resultats"),
        lambda m, x, borne: {"form-0-situation": "emploi", "form-0-situation_le": x["date"]},
        lambda m: [reverse("bilans:bilan"), reverse("bilans:resultats")],
    ),
}

# Pages of the whole year, shown after every case: dashboards, the year's export, the review.
PAGES_DE_L_ANNEE = ["accueil", "bilans:bilan", "bilans:export", "etablissements:etablissement", "seances:entretiens"]


@pytest.mark.django_db
@pytest.mark.parametrize("borne", ["min", "max"])
@pytest.mark.parametrize("cas", sorted(EXTREMES))
def test_valeur_extreme_acceptee_s_affiche_partout(client, monde, cas, borne):
    from bilans.rapports import contenu
    from socle.pdf import rendre_pdf

    extreme = EXTREMES[cas]
    client.force_login(getattr(monde, extreme.qui))
    url = extreme.url(monde)
    page = client.get(url, extreme.parametres)
    assert page.status_code == 200, cas
    donnees = _donnees_plausibles(f for f in _formulaires_rendus(page) if not _est_filtre(f))
    donnees |= extreme.champs(monde, _extremes(borne), borne)
    reponse = client.post(url, donnees)
    erreurs = [f.errors for f in _formulaires_rendus(reponse) if f.errors] if reponse.status_code == 200 else []
    assert reponse.status_code == 302, (cas, borne, erreurs)

    client.force_login(monde.referent_a)
    for adresse in [*extreme.pages(monde), *(reverse(nom) for nom in PAGES_DE_L_ANNEE)]:
        client.force_login(getattr(monde, extreme.qui))
        vue = client.get(adresse)
        if vue.status_code == 403:  # a page of another role: shown to the référent instead
            client.force_login(monde.referent_a)
            vue = client.get(adresse)
        assert vue.status_code in (200, 302), (cas, borne, adresse, vue.status_code)
    assert client.get(reverse("bilans:export"), {"format": "xlsx"}).status_code == 200
    # The year-end report, as its task builds it.
    pdf = rendre_pdf("bilans/rapport_pdf.html", contenu(monde.dispositif_a), titre="Rapport annuel")
    assert pdf.startswith(b"%PDF")
