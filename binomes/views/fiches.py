"""Pages for students, mentors, honorabilité and binômes (import and pairing: appariement)."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from etablissements.models import Dispositif
from etablissements.scoping import a_un_role, etablissements_ou, get_compile_for_user, get_for_user
from socle import roles as R
from socle.chemins import chemin
from socle.decorators import role_required
from socle.exports import reponse_csv
from socle.formats import date_courte
from socle.journal import ActionJournal, journaliser
from socle.requetes import RequeteCompilee
from socle.roles import Role
from socle.routeur import lecture_sur_replique
from socle.tableaux import corps_de_tableau, tiret

from .. import annee, services
from .. import mentors as mentors_service
from ..encarts import encarts
from ..filters import BinomeFiltre, EleveFiltre, MentorFiltre
from ..forms import (
    BinomeForm,
    BinomeModifierForm,
    EleveEntretienForm,
    EleveForm,
    EleveProposerForm,
    EleveRechercheForm,
    FinForm,
    HonorabiliteForm,
    MentorForm,
    RuptureForm,
    moins_de_six_mois,
)
from ..models import (
    OBJECTIFS_MAX,
    Binome,
    Eleve,
    IdentifiePar,
    Mentor,
    MethodeHonorabilite,
    Recommandation,
    StatutBinome,
    StatutEleve,
    StatutHonorabilite,
)
from ..objectifs import avec_historique

PAR_PAGE = 50
LECTURE_ELEVES = R.LECTURE_PROGRAMME | {Role.PERSONNEL}
# Any member of the LP's staff identifies students for mentoring ("repérage"); the référent retains them.
PROPOSITION_ELEVES = R.ROLES_ETABLISSEMENT - {Role.MENTOR}
RESULTATS_RECHERCHE = 20


def _page(request, queryset):
    return Paginator(queryset, PAR_PAGE).get_page(request.GET.get("page"))


def _parametres_sans_page(request):
    parametres = request.GET.copy()
    parametres.pop("page", None)
    return parametres.urlencode()


def _csv(request, nom_fichier, entetes, lignes):
    """CSV for Excel in French: UTF-8 with BOM, semicolons. Logged: an export of personal data."""
    journaliser(
        request,
        action=ActionJournal.EXPORT,
        etablissement_id=request.etablissement.pk,
        objet=f"Export {nom_fichier}",
    )
    return reponse_csv(nom_fichier, entetes, lignes)


# --- Élèves ------------------------------------------------------------------------------------


def _eleves(request):
    qs = Eleve.objects.for_user(request.user).filter(etablissement=request.etablissement)
    filtre = EleveFiltre(
        request.GET or None,
        queryset=qs.select_related("formation"),
        request=request,
        etablissement=request.etablissement,
    )
    return filtre


@role_required(LECTURE_ELEVES)
def eleves(request):
    filtre = _eleves(request)
    return render(
        request,
        "binomes/eleves.html",
        {
            "filtre": filtre,
            "page": _page(request, filtre.qs),
            "parametres": _parametres_sans_page(request),
            "peut_proposer": bool(request.roles & PROPOSITION_ELEVES),
            "peut_importer": bool(request.roles & R.GESTION_PROGRAMME),
        },
    )


@role_required(R.LECTURE_PROGRAMME)
@lecture_sur_replique
def eleves_export(request):
    filtre = _eleves(request)
    lignes = (
        [
            e.nom,
            e.prenom,
            e.get_sexe_display(),
            e.date_naissance.strftime("%d/%m/%Y"),
            e.ine,
            e.classe,
            e.formation or "",
            e.get_statut_display(),
            ", ".join(e.get_besoins_display()),
            e.date_sortie.strftime("%d/%m/%Y") if e.date_sortie else "",
        ]
        for e in filtre.qs
    )
    entetes = ["Nom", "Prénom", "Sexe", "Date de naissance", "INE", "Classe", "Formation", "Statut", "Besoins"]
    return _csv(request, "eleves.csv", [*entetes, "Date de sortie"], lignes)


@role_required(PROPOSITION_ELEVES)
def eleve_nouveau(request):
    """The référent adds a student; other staff propose one, whom the référent confirms.

    A student imported from SIECLE is found by the search at the top and proposed as they are,
    rather than typed again (their INE is already taken).
    """
    gestion = bool(request.roles & R.GESTION_PROGRAMME)
    recherche = EleveRechercheForm(request.GET or None)
    trouves = None
    if recherche.is_valid():
        texte = recherche.cleaned_data["recherche"].strip()
        trouves = (
            Eleve.objects.filter(etablissement=request.etablissement)
            .a_proposer()
            .filter(Q(nom__icontains=texte) | Q(prenom__icontains=texte) | Q(ine__iexact=texte))
            .order_by("nom", "prenom", "pk")[:RESULTATS_RECHERCHE]
        )
    form = EleveForm(request.POST or None, etablissement=request.etablissement)
    if request.method == "POST" and form.is_valid():
        eleve = form.save(commit=False)
        eleve.etablissement = request.etablissement
        if not gestion:
            eleve.statut = StatutEleve.PROPOSE
            eleve.propose_par = request.user
        eleve.save()
        messages.success(
            request,
            f"{eleve} est {eleve.accorder('enregistré', 'enregistrée')}."
            if gestion
            else f"{eleve} est {eleve.accorder('proposé', 'proposée')} : le référent va confirmer.",
        )
        return redirect("binomes:eleve", pk=eleve.pk)
    return render(
        request,
        "binomes/eleve_nouveau.html",
        {"form": form, "recherche": recherche, "trouves": trouves, "titre": "Ajouter ou proposer un élève"},
    )


def eleve_proposer(request, pk):
    """Identify for mentoring a student already known to the LP (SIECLE import).

    Staff who do not read the LP's students (a teacher) reach only students still to identify,
    and see nothing of them but their name and class; once proposed, the student is theirs to see.
    """
    eleve = get_object_or_404(
        Eleve.objects.filter(etablissement_id__in=etablissements_ou(request.user, PROPOSITION_ELEVES)).a_proposer(),
        pk=pk,
    )
    gestion = a_un_role(request.user, eleve.etablissement_id, R.GESTION_PROGRAMME)
    cpe = a_un_role(request.user, eleve.etablissement_id, {Role.CPE})
    form = EleveProposerForm(
        request.POST or None, initial={"identifie_par": IdentifiePar.CPE if cpe else IdentifiePar.ENSEIGNANT}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.eleve_proposer(eleve=eleve, par=request.user, retenir=gestion, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"{eleve} est {eleve.accorder('retenu', 'retenue')} pour le mentorat : menez l’entretien."
                if gestion
                else f"{eleve} est {eleve.accorder('proposé', 'proposée')} pour le mentorat : "
                "le référent va confirmer.",
            )
            return redirect("binomes:eleve", pk=eleve.pk)
    classe = f" ({eleve.classe})" if eleve.classe else ""
    return render(
        request,
        "binomes/formulaire.html",
        {
            "form": form,
            "titre": f"Proposer {eleve}{classe} pour le mentorat",
            "fil": [("Élèves", "binomes:eleves"), (str(eleve), reverse("binomes:eleve", args=[eleve.pk]))],
        },
    )


def eleve_entretien(request, pk):
    """The référent records the interview: needs, the student's agreement, the parents' for a minor."""
    eleve = get_for_user(Eleve, request.user, ecriture=True, pk=pk)
    form = EleveEntretienForm(request.POST or None, instance=eleve)
    if request.method == "POST" and form.is_valid():
        eleve = form.save()
        raison = eleve.raison_non_eligible()
        if raison:
            messages.warning(request, f"L’entretien est enregistré. {raison}")
        else:
            messages.success(request, f"L’entretien est enregistré : {eleve} est éligible à l’appariement.")
        return redirect("binomes:eleve", pk=eleve.pk)
    return render(
        request,
        "binomes/formulaire.html",
        {
            "form": form,
            "titre": f"Entretien de {eleve}",
            "fil": [("Élèves", "binomes:eleves"), (str(eleve), reverse("binomes:eleve", args=[eleve.pk]))],
        },
    )


# The student's page: the student and their pairs read by queries compiled once per connection
# (socle.requetes), the student's scope decided from the perimeter (get_compile_for_user).
_ELEVE = RequeteCompilee(
    lambda pk: Eleve.objects.with_etablissement_id().select_related("formation", "propose_par").filter(pk=pk), int
)
_BINOMES_DE_L_ELEVE = RequeteCompilee(
    lambda eleve: Binome.objects.filter(eleve_id=eleve).select_related("mentor").order_by("-pk"), int
)


def eleve(request, pk):
    eleve = get_compile_for_user(_ELEVE, request.user, pk)
    journaliser(
        request,
        action=ActionJournal.CONSULTATION,
        etablissement_id=eleve.etablissement_id,
        objet=f"Fiche de l’élève {eleve.prenom} {eleve.nom} (n° {eleve.pk})",
    )
    # Staff who only proposed the student do not follow the programme: no pairs shown to them.
    lecteur = a_un_role(request.user, eleve.etablissement_id, R.LECTURE_PROGRAMME)
    binomes = _BINOMES_DE_L_ELEVE.objets(eleve.pk) if lecteur else []
    for binome in binomes:
        binome.eleve = eleve
    return render(
        request,
        "binomes/eleve.html",
        {
            "eleve": eleve,
            "binomes": binomes,
            "peut_modifier": Eleve.objects.peut_ecrire(request.user, eleve.etablissement_id),
            "peut_proposer": eleve.statut == StatutEleve.INSCRIT
            and not eleve.date_sortie
            and a_un_role(request.user, eleve.etablissement_id, PROPOSITION_ELEVES),
            "raison_non_eligible": eleve.raison_non_eligible(),
        },
    )


def eleve_modifier(request, pk):
    eleve = get_for_user(Eleve, request.user, ecriture=True, pk=pk)
    form = EleveForm(request.POST or None, instance=eleve, etablissement=eleve.etablissement)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "La fiche de l’élève est enregistrée.")
        return redirect("binomes:eleve", pk=eleve.pk)
    return render(
        request,
        "binomes/formulaire.html",
        {
            "form": form,
            "titre": f"Modifier la fiche de {eleve}",
            "fil": [("Élèves", "binomes:eleves"), (str(eleve), reverse("binomes:eleve", args=[eleve.pk]))],
        },
    )


@require_POST
def eleve_confirmer(request, pk):
    eleve = get_for_user(Eleve, request.user, ecriture=True, pk=pk)
    try:
        services.eleve_confirmer(eleve=eleve)
        messages.success(request, f"{eleve} est {eleve.accorder('retenu', 'retenue')} pour le mentorat.")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("binomes:eleve", pk=eleve.pk)


# --- Mentors -----------------------------------------------------------------------------------


def _mentors(request):
    qs = (
        Mentor.objects.for_user(request.user)
        .filter(etablissement=request.etablissement)
        .select_related("entreprise", "honorabilite")
        .avec_occupation()
        .order_by("nom", "prenom", "pk")
    )
    return MentorFiltre(request.GET or None, queryset=qs, request=request, etablissement=request.etablissement)


@role_required(R.LECTURE_PROGRAMME)
def mentors(request):
    filtre = _mentors(request)
    return render(
        request,
        "binomes/mentors.html",
        {
            "filtre": filtre,
            "page": _page(request, filtre.qs),
            "parametres": _parametres_sans_page(request),
            "aujourd_hui": timezone.localdate(),
            # Flag verifications that end within the month, before they block pairing.
            "bientot": timezone.localdate() + timedelta(days=30),
            "peut_ajouter": bool(request.roles & R.SUIVI_PARTENAIRE),
            "peut_inviter": bool(request.roles & R.SUIVI_PARTENAIRE)
            and mentors_service.peut_inviter(request.user, request.etablissement),
        },
    )


@role_required(R.LECTURE_PROGRAMME)
@lecture_sur_replique
def mentors_export(request):
    lignes = (
        [
            m.nom,
            m.prenom,
            m.email,
            m.telephone,
            m.entreprise or "",
            m.metier,
            m.secteur,
            m.get_recommande_par_display(),
            m.capacite,
            m.places_occupees(),
            m.honorabilite.get_statut_display(),
            m.honorabilite.expiration.strftime("%d/%m/%Y") if m.honorabilite.expiration else "",
        ]
        for m in _mentors(request).qs
    )
    entetes = ["Nom", "Prénom", "Courriel", "Téléphone", "Employeur", "Métier", "Secteur", "Recommandé par"]
    entetes += ["Capacité", "Élèves accompagnés", "Honorabilité", "Fin de validité"]
    return _csv(request, "mentors.csv", entetes, lignes)


@role_required(R.SUIVI_PARTENAIRE)
def mentor_nouveau(request):
    form = MentorForm(request.POST or None, etablissement=request.etablissement)
    if request.method == "POST" and form.is_valid():
        mentor = form.save(commit=False)
        mentor.etablissement = request.etablissement
        mentor.save()
        messages.success(request, "Le mentor est enregistré.")
        return redirect("binomes:mentor", pk=mentor.pk)
    return render(
        request,
        "binomes/formulaire.html",
        {"form": form, "titre": "Ajouter un mentor", "fil": [("Mentors", "binomes:mentors")]},
    )


def mentor(request, pk):
    mentor = get_for_user(
        Mentor.objects.select_related("entreprise", "honorabilite__saisie_par").avec_occupation(), request.user, pk=pk
    )
    binomes = mentor.binomes.select_related("eleve").order_by("-pk")
    return render(
        request,
        "binomes/mentor.html",
        {
            "mentor": mentor,
            "binomes": binomes,
            "raison_inapte": services.raison_inapte(mentor),
            "raison_suspendu": services.raison_suspendu(mentor),
            "peut_modifier": Mentor.objects.peut_ecrire(request.user, mentor.etablissement_id),
            "peut_inviter": mentor.user_id is None
            and bool(mentor.email)
            and Mentor.objects.peut_ecrire(request.user, mentor.etablissement_id)
            and mentors_service.peut_inviter(request.user, mentor.etablissement),
            "file_academique": mentor.recommande_par == Recommandation.AUCUNE,
        },
    )


def mentor_modifier(request, pk):
    mentor = get_for_user(Mentor, request.user, ecriture=True, pk=pk)
    form = MentorForm(request.POST or None, instance=mentor, etablissement=mentor.etablissement)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "La fiche du mentor est enregistrée.")
        return redirect("binomes:mentor", pk=mentor.pk)
    return render(
        request,
        "binomes/formulaire.html",
        {
            "form": form,
            "titre": f"Modifier la fiche de {mentor}",
            "fil": [("Mentors", "binomes:mentors"), (str(mentor), reverse("binomes:mentor", args=[mentor.pk]))],
        },
    )


def _enregistrer_honorabilite(request, mentor, *, academie):
    # The person's one record: what is saved here counts in every LP they serve.
    form = HonorabiliteForm(request.POST or None, instance=mentor.honorabilite, academie=academie)
    if request.method == "POST" and form.is_valid():
        honorabilite = form.save(commit=False)
        honorabilite.saisie_par = request.user
        honorabilite.save()
        messages.success(request, "La vérification d’honorabilité est enregistrée.")
        return None
    return form


def mentor_honorabilite(request, pk):
    """The LP side records an attestation of the association or the company."""
    mentor = get_for_user(Mentor, request.user, ecriture=True, pk=pk)
    if mentor.recommande_par == Recommandation.AUCUNE:
        raise PermissionDenied("Ce mentor n’est recommandé par personne : sa vérification relève de l’académie.")
    form = _enregistrer_honorabilite(request, mentor, academie=False)
    if form is None:
        return redirect("binomes:mentor", pk=mentor.pk)
    return render(
        request,
        "binomes/formulaire.html",
        {
            "form": form,
            "titre": f"Honorabilité de {mentor}",
            "honorabilite": True,
            "fil": [("Mentors", "binomes:mentors"), (str(mentor), reverse("binomes:mentor", args=[mentor.pk]))],
        },
    )


def _mentors_academie(user):
    return Mentor.objects.for_user(user, roles={Role.PILOTAGE}).filter(recommande_par=Recommandation.AUCUNE)


def _pilotage_requis(user):
    if not etablissements_ou(user, {Role.PILOTAGE}):
        raise PermissionDenied("Cette page est réservée au pilotage académique.")


def honorabilite_file(request):
    """The académie's queue: mentors recommended by nobody, waiting for a check. No student data."""
    _pilotage_requis(request.user)
    file = (
        _mentors_academie(request.user)
        .exclude(honorabilite__statut__in=[StatutHonorabilite.VERIFIEE, StatutHonorabilite.REFUSEE])
        .select_related("etablissement", "entreprise", "honorabilite")
        .order_by("etablissement__nom", "nom", "prenom")
    )
    return render(request, "binomes/honorabilite_file.html", {"page": _page(request, file), "parametres": ""})


def honorabilite_saisir(request, pk):
    # Scoped on the académie: anyone else finds nothing (404).
    mentor = get_object_or_404(_mentors_academie(request.user).select_related("etablissement", "honorabilite"), pk=pk)
    if request.method == "GET" and not mentor.honorabilite.methode:
        mentor.honorabilite.methode = MethodeHonorabilite.SERVICES_ACADEMIQUES
    form = _enregistrer_honorabilite(request, mentor, academie=True)
    if form is None:
        return redirect("binomes:honorabilite_file")
    return render(
        request,
        "binomes/formulaire.html",
        {
            "form": form,
            "titre": f"Honorabilité de {mentor} ({mentor.etablissement})",
            "honorabilite": True,
            "fil": [("Vérifications d’honorabilité", "binomes:honorabilite_file")],
        },
    )


# --- Binômes -----------------------------------------------------------------------------------


def _binomes(request):
    qs = (
        Binome.objects.for_user(request.user)
        .filter(dispositif__etablissement=request.etablissement)
        .select_related("mentor__entreprise", "eleve__formation", "dispositif")
        .order_by("eleve__nom", "eleve__prenom", "-pk")
    )
    return BinomeFiltre(request.GET or None, queryset=qs, request=request, etablissement=request.etablissement)


# A row of the pairs' list (socle.tableaux): the student's name links to the pair's page.
LIGNE_BINOME = (
    '<tr><td><a href="{}">{} {}</a></td><td>{}</td><td>{} {}</td><td>{}</td>'
    '<td><p class="fr-badge fr-badge--sm">{}</p></td><td>{}</td><td>{}</td></tr>'
)


@role_required(R.LECTURE_PROGRAMME | {Role.MENTOR})
def binomes(request):
    filtre = _binomes(request)
    # Only the columns the list draws, read as values: five records a row (pair, student, mentor,
    # employer, status label), 50 rows a page, cost more to build than the page to draw (issue 18).
    page = _page(
        request,
        filtre.qs.values_list(
            "pk", "eleve__nom", "eleve__prenom", "eleve__classe", "mentor__prenom", "mentor__nom",
            "mentor__entreprise__nom", "statut", "date_debut", "date_fin_prevue",
        ),
    )  # fmt: skip
    statuts = dict(StatutBinome.choices)  # labels as get_statut_display() gives them
    corps = corps_de_tableau(
        LIGNE_BINOME,
        (
            (
                chemin("binomes:binome", pk), nom, prenom, classe, prenom_mentor, nom_mentor,
                tiret(entreprise), statuts.get(statut, statut),
                tiret(date_courte(debut)), tiret(date_courte(fin_prevue)),
            )
            for pk, nom, prenom, classe, prenom_mentor, nom_mentor, entreprise, statut, debut, fin_prevue in page
        ),
        vide="Aucun binôme.",
        colonnes=7,
    )  # fmt: skip
    return render(
        request,
        "binomes/binomes.html",
        {
            "filtre": filtre,
            "page": page,
            "corps": corps,
            "parametres": _parametres_sans_page(request),
            "peut_gerer": bool(request.roles & R.GESTION_PROGRAMME),
            "peut_lire_reunions": bool(request.roles & R.LECTURE_PROGRAMME),
        },
    )


@role_required(R.LECTURE_PROGRAMME)
@lecture_sur_replique
def binomes_export(request):
    def jour(d):
        return d.strftime("%d/%m/%Y") if d else ""

    lignes = (
        [
            b.eleve.nom,
            b.eleve.prenom,
            b.eleve.classe,
            b.mentor,
            b.mentor.entreprise or "",
            b.get_statut_display(),
            jour(b.date_debut),
            jour(b.date_fin_prevue),
            jour(b.date_fin),
            b.motif_fin,
        ]
        for b in _binomes(request).qs
    )
    entetes = ["Nom de l’élève", "Prénom de l’élève", "Classe", "Mentor", "Employeur", "Statut", "Début"]
    return _csv(request, "binomes.csv", [*entetes, "Fin prévue", "Fin effective", "Motif de fin"], lignes)


def _alerte_duree(request, debut, fin):
    if moins_de_six_mois(debut, fin):
        messages.warning(
            request, "Attention : moins de six mois entre le début et la fin prévue (six mois conseillés)."
        )


@role_required(R.GESTION_PROGRAMME)
def binome_nouveau(request):
    dispositif = Dispositif.objects.courant(request.etablissement)
    if dispositif is None:
        return render(request, "binomes/sans_dispositif.html")
    form = BinomeForm(request.POST or None, dispositif=dispositif)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            binome = services.binome_creer(
                dispositif=dispositif,
                mentor=d["mentor"],
                eleve=d["eleve"],
                date_debut=d["date_debut"],
                date_fin_prevue=d["date_fin_prevue"],
                objectifs=d["objectifs"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Le binôme est proposé.")
            _alerte_duree(request, binome.date_debut, binome.date_fin_prevue)
            return redirect("binomes:binome", pk=binome.pk)
    return render(
        request,
        "binomes/formulaire.html",
        {"form": form, "titre": "Nouveau binôme", "fil": [("Binômes", "binomes:binomes")]},
    )


def binome(request, pk):
    binome = get_for_user(
        Binome.objects.select_related("dispositif", "mentor__entreprise", "eleve__formation", "fin_saisie_par"),
        request.user,
        pk=pk,
    )
    peut_gerer = Binome.objects.peut_ecrire(request.user, binome.eleve.etablissement_id)
    historique = (
        Binome.objects.filter(eleve=binome.eleve).exclude(pk=binome.pk).select_related("mentor").order_by("-pk")
    )
    return render(
        request,
        "binomes/binome.html",
        {
            "binome": binome,
            "historique": historique,
            "lignee": annee.lignee(binome),
            "peut_gerer": peut_gerer,
            "verbes": [v for v, (depuis, _vers) in services.TRANSITIONS.items() if binome.statut in depuis],
            "court": moins_de_six_mois(binome.date_debut, binome.date_fin_prevue),
            "encarts": encarts(user=request.user, binome=binome),
            "objectifs": avec_historique(binome.objectifs_suivis.all()),
            "objectifs_max": OBJECTIFS_MAX,
            "peut_attester": a_un_role(request.user, binome.eleve.etablissement_id, R.ATTESTATIONS),
        },
    )


def binome_modifier(request, pk):
    binome = get_for_user(Binome, request.user, ecriture=True, pk=pk)
    form = BinomeModifierForm(request.POST or None, instance=binome)
    if request.method == "POST" and form.is_valid():
        binome = form.save()
        messages.success(request, "Le binôme est enregistré.")
        _alerte_duree(request, binome.date_debut, binome.date_fin_prevue)
        return redirect("binomes:binome", pk=binome.pk)
    return render(
        request,
        "binomes/formulaire.html",
        {
            "form": form,
            "titre": f"Modifier le binôme {binome}",
            "fil": [("Binômes", "binomes:binomes"), (str(binome), reverse("binomes:binome", args=[binome.pk]))],
        },
    )


def _verbe_simple(request, pk, service, message):
    binome = get_for_user(Binome, request.user, ecriture=True, pk=pk)
    try:
        service(binome=binome)
        messages.success(request, message)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("binomes:binome", pk=binome.pk)


@require_POST
def binome_activer(request, pk):
    return _verbe_simple(request, pk, services.binome_activer, "Le binôme est actif.")


@require_POST
def binome_suspendre(request, pk):
    return _verbe_simple(request, pk, services.binome_suspendre, "Le binôme est suspendu.")


def _verbe_de_fin(request, pk, *, rupture):
    binome = get_for_user(Binome.objects.select_related("mentor", "eleve"), request.user, ecriture=True, pk=pk)
    form_class = RuptureForm if rupture else FinForm
    form = form_class(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if rupture:
                services.binome_rompre(binome=binome, motif=d["motif"], le=d["date"], par=request.user)
            else:
                services.binome_terminer(binome=binome, le=d["date"], par=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Le binôme est rompu." if rupture else "Le binôme est terminé.")
            return redirect("binomes:binome", pk=binome.pk)
    titre = f"Rompre le binôme {binome}" if rupture else f"Terminer le binôme {binome}"
    return render(
        request,
        "binomes/formulaire.html",
        {
            "form": form,
            "titre": titre,
            "fil": [("Binômes", "binomes:binomes"), (str(binome), reverse("binomes:binome", args=[binome.pk]))],
        },
    )


def binome_terminer(request, pk):
    return _verbe_de_fin(request, pk, rupture=False)


def binome_rompre(request, pk):
    return _verbe_de_fin(request, pk, rupture=True)
