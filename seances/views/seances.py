"""The séances: list, entry of a séance and its attendance, detail, a declared absence."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode

from binomes.models import Binome, Eleve, Mentor, StatutBinome
from etablissements.models import Dispositif, Etablissement
from etablissements.models.dispositif import annee_scolaire_courante
from etablissements.scoping import etablissements_ou, get_compile_for_user, get_for_user
from socle import roles as R
from socle.chemins import chemin
from socle.decorators import role_required
from socle.formats import date_courte, heure_courte
from socle.pagination import TranchesParGroupe
from socle.requetes import RequeteCompilee, ranger_comme_prefetch
from socle.roles import Role
from socle.tableaux import corps_de_tableau

from .. import rappels, services, voix
from ..avertissements import avertissements_calendrier
from ..filters import SeanceFiltre
from ..forms import (
    NON_CONCERNE,
    DeclarationAbsenceForm,
    GrillePresences,
    SeanceForm,
)
from ..models import (
    NoteMentor,
    Participation,
    Presence,
    Seance,
    StatutSeance,
    TypeSeance,
)

PAR_PAGE = 25
LECTURE_SEANCES = R.LECTURE_PROGRAMME | {Role.MENTOR}


# A séance's people: its mentors first, then its students by name, on every database
# (a plain "mentor" put the students first on SQLite, where NULL sorts first).
ORDRE_PARTICIPANTS = (F("mentor__nom").asc(nulls_last=True), "mentor__prenom", "eleve__nom", "eleve__prenom")


def _participations():
    return Prefetch(
        "participations",
        queryset=Participation.objects.select_related("eleve", "mentor", "declaration_absence").order_by(
            *ORDRE_PARTICIPANTS
        ),
    )


# --- Séances ------------------------------------------------------------------------------


# The LPs of the list's filter, as `Etablissement.objects.for_user(user, roles=…)` reads them (by id,
# in their order): compiled once per connection (socle.requetes).
_LPS_DU_FILTRE = RequeteCompilee(lambda pks: Etablissement.objects.filter(pk__in=pks), list)


# A row of the séances' list (socle.tableaux): the date links to the séance's page.
LIGNE_SEANCE = (
    '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td>'
    '<td><p class="fr-badge fr-badge--sm {}">{}</p></td></tr>'
)
BADGE_STATUT = {StatutSeance.TENUE: "fr-badge--success", StatutSeance.ANNULEE: "fr-badge--error"}


@role_required(LECTURE_SEANCES)
def liste(request):
    """Séances of every LP the user reaches (a coordinator serves several), of the current school year
    unless another is chosen, filterable by LP."""
    lps = etablissements_ou(request.user, LECTURE_SEANCES)
    filtre = SeanceFiltre(
        request.GET or None,
        queryset=Seance.objects.for_user(request.user),
        etablissements=Etablissement.objects.for_user(request.user, roles=LECTURE_SEANCES),
        lire_etablissements=lambda: _LPS_DU_FILTRE.objets(lps),
    )
    # Read dispositif by dispositif (socle.pagination): a coordinator's list spans 30 of them. Only
    # the columns the list draws, as values (issue 18).
    lignes = TranchesParGroupe(
        filtre.qs.values_list("pk", "date", "heure", "type", "dispositif__etablissement__nom", "statut"),
        champ="dispositif",
        # Every dispositif of the LPs where the user reads séances (their own as a mentor included), of
        # the year shown: a coordinator's list spans 10 of them, not 30.
        groupes=_dispositifs_de_l_annee(request.user, filtre.annee_choisie).values("pk"),
        ordre=["-date", "-heure", "-pk"],
    )
    page = Paginator(lignes, PAR_PAGE).get_page(request.GET.get("page"))
    participants = _participants_affiches([ligne[0] for ligne in page.object_list])
    # Labels as get_FOO_display() gives them (the stored value when it is not a choice).
    types, statuts = dict(TypeSeance.choices), dict(StatutSeance.choices)
    corps = corps_de_tableau(
        LIGNE_SEANCE,
        (
            (
                chemin("seances:detail", pk),
                f"{date_courte(date)} à {heure_courte(heure)}" if heure else date_courte(date),
                types.get(type_, type_), etablissement, participants[pk],
                BADGE_STATUT.get(statut, "fr-badge--info"), statuts.get(statut, statut),
            )
            for pk, date, heure, type_, etablissement, statut in page
        ),
        vide="Aucune séance.",
        colonnes=5,
    )  # fmt: skip
    return render(
        request,
        "seances/liste.html",
        {
            "filtre": filtre,
            "page": page,
            "corps": corps,
            "peut_saisir": bool(etablissements_ou(request.user, R.SUIVI_PARTENAIRE)),
            "est_mentor": Role.MENTOR in request.roles,
        },
    )


def _dispositifs_de_l_annee(user, annee: int | None):
    dispositifs = Dispositif.objects.for_user(user, roles=LECTURE_SEANCES)
    return dispositifs if annee is None else dispositifs.filter(annee=annee)


# The participants of a list page's séances (compiled: socle.requetes, the SQL of each page length kept).
_PARTICIPANTS_DES_SEANCES = RequeteCompilee(
    lambda seances: (
        Participation.objects.filter(seance__in=seances)
        .order_by("seance", *ORDRE_PARTICIPANTS)
        .values_list(
            "seance_id", "eleve__prenom", "eleve__nom", "eleve__sexe", "mentor__prenom", "mentor__nom", "presence"
        )
    ),
    list,
)


def _participants_affiches(seances: list[int]) -> dict[int, str]:
    """For each séance of a list page, its participants' names in the order of the séance's page,
    each with its attendance unless present or expected (« Léa Martin (absente excusée) »).

    Read as values in one query: a page of 25 group séances names some 500 people, whose records
    (participation, student, mentor) cost more to build and to draw one by one than the line
    they make (issue 18).
    """
    noms = {seance: [] for seance in seances}
    lignes = _PARTICIPANTS_DES_SEANCES.lignes(seances)
    for seance_id, prenom, nom, sexe, prenom_mentor, nom_mentor, presence in lignes:
        texte = f"{prenom} {nom}" if nom is not None else f"{prenom_mentor} {nom_mentor}"
        if presence not in (Presence.PRESENT, Presence.ATTENDU):
            texte += f" ({Participation.libelle_de(presence, sexe).lower()})"
        noms[seance_id].append(texte)
    return {seance: ", ".join(liste) for seance, liste in noms.items()}


@dataclass(slots=True)
class Personne:
    """Someone of the LP as the attendance grid names them: a few columns, not a whole record.

    The grid lists a whole LP (230 people in a large one): reading full records of them all cost
    more than drawing them (issue 18). The chosen participants' records are read once the grid
    is valid (`_participants`).
    """

    pk: int
    prenom: str
    nom: str
    classe: str
    mentor: bool
    libelle: str = ""

    def __str__(self):
        return f"{self.prenom} {self.nom}"


# The séance entry (its form and its POST, the page a coordinator uses all day) reads the LP's
# mentors and students, and the dispositif's active pairs, by one id: compiled once per connection
# (socle.requetes; ≈ 1 ms of CPU each on the slow machines of the load test, issue 18).
_MENTORS_DU_LP = RequeteCompilee(
    lambda etablissement_id: (
        Mentor.objects.filter(etablissement_id=etablissement_id)
        .order_by("nom", "prenom")
        .values_list("pk", "prenom", "nom")
    ),
    int,
)
_ELEVES_DU_LP = RequeteCompilee(
    lambda etablissement_id: (
        Eleve.objects.filter(etablissement_id=etablissement_id, date_sortie__isnull=True)
        .order_by("nom", "prenom")
        .values_list("pk", "prenom", "nom", "classe")
    ),
    int,
)
_BINOMES_ACTIFS = RequeteCompilee(
    lambda dispositif_id: (
        Binome.objects.filter(dispositif_id=dispositif_id, statut=StatutBinome.ACTIF)
        .order_by("eleve__nom", "eleve__prenom", "pk")
        .values_list("mentor_id", "eleve_id")
    ),
    int,
)


def _personnes(etablissement_id, seance=None):
    """The people who may attend a séance of this LP, keyed for the grid ("m12", "e34"): its mentors,
    its students still there and, for a séance already written, its students who have left since."""
    personnes = {}
    for pk, prenom, nom in _MENTORS_DU_LP.lignes(etablissement_id):
        mentor = Personne(pk, prenom, nom, "", True)
        mentor.libelle = f"{mentor} — mentor"
        personnes[f"m{pk}"] = mentor
    if seance is None:
        eleves = _ELEVES_DU_LP.lignes(etablissement_id)
    else:
        eleves = (
            Eleve.objects.filter(etablissement_id=etablissement_id)
            .filter(Q(date_sortie__isnull=True) | Q(participations__seance=seance))
            .distinct()
            .order_by("nom", "prenom")
            .values_list("pk", "prenom", "nom", "classe")
        )
    for pk, prenom, nom, classe in eleves:
        eleve = Personne(pk, prenom, nom, classe, False)
        eleve.libelle = f"{eleve} — {classe}" if classe else str(eleve)
        personnes[f"e{pk}"] = eleve
    return personnes


# The chosen participants' records (two of them for a binôme's séance), compiled once per connection.
_MENTORS_CHOISIS = RequeteCompilee(lambda pks: Mentor.objects.avec_suspension().filter(pk__in=pks), list)
_ELEVES_CHOISIS = RequeteCompilee(lambda pks: Eleve.objects.filter(pk__in=pks), list)


def _participants(choisis, personnes):
    """(Mentor or Eleve record, presence) of each chosen (key, presence): two queries at most.

    None when one of them was deleted since the grid was read (a record removed meanwhile).
    """
    mentors = _MENTORS_CHOISIS.objets([personnes[cle].pk for cle, _presence in choisis if personnes[cle].mentor])
    eleves = _ELEVES_CHOISIS.objets([personnes[cle].pk for cle, _presence in choisis if not personnes[cle].mentor])
    mentors, eleves = ({fiche.pk: fiche for fiche in fiches} for fiches in (mentors, eleves))
    participants = []
    for cle, presence in choisis:
        fiche = (mentors if personnes[cle].mentor else eleves).get(personnes[cle].pk)
        if fiche is None:
            return None
        participants.append((fiche, presence))
    return participants


def _binomes_actifs(dispositif):
    """(mentor key, student key) of the dispositif's active binômes ("m12", "e34"), by student's name.

    Suspended binômes are left out: their mentoring is paused, no séance is planned for them.
    Their people stay one click away (?tous=1), and stay listed in a séance they attend.
    """
    return [(f"m{mentor_id}", f"e{eleve_id}") for mentor_id, eleve_id in _BINOMES_ACTIFS.lignes(dispositif.pk)]


def _groupes(personnes, binomes):
    """Every person's key in the grid's order, and the title of their group.

    Each binôme's mentor and student come together (the coordinator reads the grid pair by
    pair, as the pairs sit in the room), then the mentors and the students outside the active
    binômes. A mentor of two binômes is listed once, with their first binôme.
    """
    groupes = {}
    for mentor, eleve in binomes:
        if eleve not in personnes or mentor not in personnes:
            continue
        titre = f"Binôme : {personnes[eleve]} avec {personnes[mentor]}"
        if mentor in groupes:
            titre += " (mentor listé plus haut)"
        for cle in (mentor, eleve):
            groupes.setdefault(cle, titre)
    autres = "Autres " if groupes else ""
    for cle in personnes:
        groupes.setdefault(cle, f"{autres}mentors" if cle[0] == "m" else f"{autres}élèves")
    return groupes


def _avertissements(seance, personnes, dispositif):
    """The calendar's warnings for the séance's day and its students (never blocking)."""
    return avertissements_calendrier(
        jour=seance.date,
        etablissement=dispositif.etablissement,
        eleves=[p for p in personnes if not p.mentor],
        statut=seance.statut,
    )


def _saisie(request, seance, dispositif):
    """The one page where a séance is planned or logged with its attendance.

    The grid lists by default the people the séance concerns: those of the dispositif's active
    binômes, plus whoever already takes part in it (a student who has left included); ?tous=1
    lists the whole LP, for a collective séance open to students outside the binômes. Either way
    rows come in the order of `_groupes` (binôme by binôme, then the others), so that switching
    lists keeps everyone's relative place. Validation accepts anyone of the LP, whichever list
    the coordinator posted from.
    """
    personnes = _personnes(dispositif.etablissement_id, seance if seance.pk else None)
    presences = {}
    if seance.pk:
        for p in seance.participations.all():
            presences[f"m{p.mentor_id}" if p.mentor_id else f"e{p.eleve_id}"] = p.presence
    binomes = _binomes_actifs(dispositif)
    groupes = _groupes(personnes, binomes)
    des_binomes = {cle for binome in binomes for cle in binome}
    tous = request.GET.get("tous") == "1" or not binomes
    cles = [cle for cle in groupes if tous or cle in des_binomes or cle in presences]
    if request.method == "POST":
        # A bound grid shows the rows that were posted: the initial rows play no part.
        donnees, lignes = request.POST, ()
    else:
        donnees, lignes = None, [(cle, presences.get(cle, NON_CONCERNE)) for cle in cles]
    form = SeanceForm(donnees, instance=seance)
    grille = GrillePresences(donnees, lignes=lignes, personnes=personnes, groupes=groupes)
    if request.method == "POST" and form.is_valid() and grille.is_valid():
        choisis = grille.choisies
        participants = _participants(choisis, personnes) if choisis else []
        if not choisis:
            form.add_error(None, "Choisissez au moins un participant : indiquez sa présence dans la liste.")
        elif participants is None:
            form.add_error(None, "Un participant vient d’être retiré du lycée : rechargez la page et recommencez.")
        else:
            seance = form.save(commit=False)
            seance.dispositif = dispositif
            nouvelle = seance.pk is None
            try:
                services.seance_enregistrer(seance=seance, participants=participants)
            except ValidationError as erreur:
                if nouvelle:
                    seance.pk = None
                form.add_error(None, erreur)
            else:
                messages.success(request, "La séance et les présences sont enregistrées.")
                for avertissement in _avertissements(seance, [personnes[cle] for cle, _p in choisis], dispositif):
                    messages.warning(request, avertissement)
                return redirect(seance)
    if form.is_bound:
        # The day typed, even on a page sent back for errors: the warning helps to correct it.
        a_venir = Seance(date=form.cleaned_data.get("date"), statut=form.cleaned_data.get("statut", ""))
        choisis = grille.choisies if grille.is_valid() else []
        avertissements = _avertissements(a_venir, [personnes[cle] for cle, _p in choisis], dispositif)
    else:
        avertissements = _avertissements(seance, [personnes[c] for c in presences if c in personnes], dispositif)
    # The links switching lists keep the LP of a new séance (the edit page's URL names it).
    parametres = {} if seance.pk else {"dispositif": dispositif.pk}
    return render(
        request,
        "seances/saisie.html",
        {
            "form": form,
            "grille": grille,
            "seance": seance,
            "dispositif": dispositif,
            "avertissements": avertissements,
            "liste": {
                "tous": tous,
                "sans_binome": not binomes,
                "lien_tous": "?" + urlencode({**parametres, "tous": "1"}),
                "lien_binomes": "?" + urlencode(parametres) if parametres else request.path,
            },
        },
    )


# The dispositif named by the entry's URL (?dispositif=), looked up by its id alone: compiled once per
# connection (socle.requetes), its LP checked on the perimeter (get_compile_for_user).
_DISPOSITIF = RequeteCompilee(
    lambda pk: Dispositif.objects.with_etablissement_id().select_related("etablissement").filter(pk=pk), int
)


@role_required(R.SUIVI_PARTENAIRE)
def nouvelle(request):
    annee = annee_scolaire_courante()
    cle = request.GET.get("dispositif")
    if cle:
        # Digits only, at most 18 (int() would refuse thousands of them; beyond 32 bits the ORM answers).
        if not cle.isascii() or not cle.isdigit() or len(cle) > 18:
            raise Http404
        # Of an LP where the user follows the séances, and this year's; anything else: 404, as a missing one.
        dispositif = get_compile_for_user(_DISPOSITIF, request.user, int(cle), roles=R.SUIVI_PARTENAIRE)
        if dispositif.annee != annee:
            raise Http404
    else:
        dispositifs = (
            Dispositif.objects.for_user(request.user, roles=R.SUIVI_PARTENAIRE)
            .filter(annee=annee)
            .select_related("etablissement")
            .order_by("etablissement__nom")
        )
        dispositif = (
            next((d for d in dispositifs if d.etablissement_id == request.etablissement.pk), None)
            or dispositifs.first()
        )
    if dispositif is None:
        messages.warning(request, "Aucun dispositif de l’année en cours : la séance ne peut pas être saisie.")
        return redirect("seances:liste")
    # The LP is the one chosen in the header (one LP switcher on the page), or ?dispositif=.
    return _saisie(request, Seance(dispositif=dispositif), dispositif)


def modifier(request, pk):
    seance = get_for_user(
        Seance.objects.select_related("dispositif__etablissement"), request.user, ecriture=True, pk=pk
    )
    return _saisie(request, seance, seance.dispositif)


# The séance's page, where every entry leads: the séance and its participations, read by queries
# compiled once per connection (socle.requetes), the same rows as `_participations()` prefetches.
_SEANCE = RequeteCompilee(
    lambda pk: Seance.objects.with_etablissement_id().select_related("dispositif__etablissement").filter(pk=pk), int
)
_PARTICIPATIONS_DE_LA_SEANCE = RequeteCompilee(
    lambda seance: (
        Participation.objects.filter(seance_id=seance)
        .select_related("eleve", "mentor", "declaration_absence")
        .order_by(*ORDRE_PARTICIPANTS)
    ),
    int,
)


def detail(request, pk):
    seance = get_compile_for_user(_SEANCE, request.user, pk)
    ranger_comme_prefetch(seance, "participations", _PARTICIPATIONS_DE_LA_SEANCE.objets(seance.pk))
    etab = seance.dispositif.etablissement_id
    participations, autres = services.participations_visibles(seance=seance, user=request.user)
    mentor = voix.mentor_de_la_seance(seance=seance, user=request.user)
    return render(
        request,
        "seances/detail.html",
        {
            "seance": seance,
            "participations": participations,
            "autres_participants": autres,
            "reponses_rappel": rappels.reponses_visibles(seance=seance, participations=participations),
            "peut_modifier": Seance.objects.peut_ecrire(request.user, etab),
            "peut_declarer": seance.statut == StatutSeance.PREVUE
            and bool(services.participations_declarables(seance=seance, user=request.user)),
            # Each reader sees the notes their role reads: the staff all, a mentor their own only.
            "notes": voix.notes_lisibles(user=request.user, seance=seance),
            "peut_noter": mentor is not None
            and seance.statut != StatutSeance.ANNULEE
            and seance.date <= voix.aujourdhui(),
            "peut_traiter": NoteMentor.objects.peut_ecrire(request.user, etab),
        },
    )


def declarer_absence(request, pk):
    seance = get_for_user(
        Seance.objects.select_related("dispositif__etablissement").prefetch_related(_participations()),
        request.user,
        pk=pk,
    )
    if seance.statut != StatutSeance.PREVUE:
        messages.error(request, "Une absence ne peut être déclarée à l’avance que pour une séance prévue.")
        return redirect(seance)
    participations = services.participations_a_declarer(seance=seance, user=request.user)
    if not participations:
        messages.info(request, "Aucun participant attendu dont l’absence reste à déclarer.")
        return redirect(seance)
    form = DeclarationAbsenceForm(request.POST or None, participations=participations)
    if request.method == "POST" and form.is_valid():
        try:
            services.absence_declarer(
                participation=form.cleaned_data["participation"], motif=form.cleaned_data["motif"], auteur=request.user
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, "L’absence est déclarée ; les personnes concernées sont prévenues par courriel.")
            return redirect(seance)
    return render(request, "seances/declarer_absence.html", {"seance": seance, "form": form})


# --- Entretiens after an unexcused absence ---------------------------------------------------
