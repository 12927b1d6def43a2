"""Independent recount: every figure shown or exported equals a count written here in plain Python.

The data set mixes what makes figures go wrong: collective séances (several students and mentors
per séance), absences excused and not, séances planned or cancelled, binômes suspended, ended,
broken before or after their planned end, broken before they ever started, a student paired
twice, binômes and séances of the previous year and of another LP. The recount reads the raw
rows (`.values()`) and applies each indicator's written definition with sets and loops; it
shares no code with `bilans.indicateurs` or `bilans.rapports`.

Then the LP dashboard, the previous-year column, the year-end report (its PDF read back as
text), the CSV and XLSX exports, the coordinator's and the académie's dashboards (their total
row included) are compared to it, one assertion per indicator, naming it.
"""

import csv
import datetime
import io
import re
from collections import defaultdict
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from bilans import rapports
from bilans.enquetes import Population
from bilans.models import Enquete, RapportAnnuel, Reponse, ResultatEleve, Situation
from bilans.services import invitations_creer, reponse_enregistrer
from binomes.models import Binome, Mentor, ObjectifBinome, StatutBinome
from binomes.tests.factories import BinomeFactory, EleveFactory, MentorFactory
from etablissements.models import LigneBudget
from etablissements.tests.factories import DispositifFactory, EntrepriseFactory
from seances.models import (
    EntretienAbsence,
    EpisodeRisque,
    Participation,
    Presence,
    Seance,
    StatutSeance,
    TypeSeance,
)
from seances.tests.factories import EntretienAbsenceFactory, SeanceFactory

pytestmark = pytest.mark.django_db

LIBELLES = {
    "filles": "Filles mentorées",
    "garcons": "Garçons mentorés",
    "mentors": "Mentors",
    "entreprises": "Entreprises impliquées",
    "absenteisme": "Taux d’absentéisme",
    "abandon": "Taux d’abandon",
    "reussite": "Taux de réussite aux examens",
    "insertion": "Taux d’insertion",
    "alloue": "Sommes allouées",
    "engage": "Sommes engagées",
}
TAUX = {"absenteisme", "abandon", "reussite", "insertion"}
LIBELLES_TYPES = dict(TypeSeance.choices)


# --- The data set ---------------------------------------------------------------------------


def _seance(dispositif, jour, type_, presences, statut=StatutSeance.TENUE):
    """A séance with its participants: [(Eleve or Mentor, presence)]."""
    seance = SeanceFactory(
        dispositif=dispositif,
        date=datetime.date(dispositif.annee, 11, 1) + datetime.timedelta(days=jour),
        type=type_,
        statut=statut,
    )
    for personne, presence in presences:
        cle = "mentor" if isinstance(personne, Mentor) else "eleve"
        Participation.objects.create(seance=seance, presence=presence, **{cle: personne})
    return seance


def _binome(dispositif, mentor, eleve, statut, *, debut=(10, 5), fin_prevue=(5, 28), fin=None):
    a = dispositif.annee

    def jour(mois_jour):
        if mois_jour is None:
            return None
        mois, j = mois_jour
        return datetime.date(a if mois >= 9 else a + 1, mois, j)

    return BinomeFactory(
        dispositif=dispositif,
        mentor=mentor,
        eleve=eleve,
        statut=statut,
        date_debut=jour(debut),
        date_fin_prevue=jour(fin_prevue),
        date_fin=jour(fin),
    )


def _programme(dispositif, *, riche=True):
    """One LP's year: binômes of every status, individual and collective séances, results, budget."""
    lp = dispositif.etablissement
    e1, e2 = EntrepriseFactory(etablissement=lp), EntrepriseFactory(etablissement=lp)
    e_propose = EntrepriseFactory(etablissement=lp)  # its only mentor has a proposed binôme: not involved
    m1 = MentorFactory(etablissement=lp, verifie=True, entreprise=e1)
    m2 = MentorFactory(etablissement=lp, verifie=True, entreprise=e1)
    m3 = MentorFactory(etablissement=lp, verifie=True, entreprise=e2)
    m4 = MentorFactory(etablissement=lp, verifie=True, entreprise=None)
    m5 = MentorFactory(etablissement=lp, verifie=True, entreprise=e_propose)
    f1, f2, f3, f4 = (EleveFactory(etablissement=lp, sexe="F") for _ in range(4))
    g1, g2, g3, g4 = (EleveFactory(etablissement=lp, sexe="M") for _ in range(4))
    S = StatutBinome
    # f1 was paired twice: broken early with m2 (an abandonment), then paired again with m1.
    _binome(dispositif, m2, f1, S.ROMPU, fin_prevue=(5, 28), fin=(11, 20))
    _binome(dispositif, m1, f1, S.ACTIF, debut=(12, 1))
    _binome(dispositif, m1, g1, S.ACTIF)
    _binome(dispositif, m2, f2, S.SUSPENDU)
    _binome(dispositif, m3, g2, S.TERMINE, fin=(5, 28))
    if riche:
        # Broken after its planned end: not an abandonment, but started.
        _binome(dispositif, m3, f3, S.ROMPU, fin_prevue=(3, 1), fin=(3, 15))
        # Broken without a planned end: an abandonment.
        _binome(dispositif, m4, g3, S.ROMPU, fin_prevue=None, fin=(1, 10))
    # Only proposed: not started.
    _binome(dispositif, m5, f4, S.PROPOSE)
    # Proposed, then broken before it ever started (never activated: no start date).
    _binome(dispositif, m4, g4, S.ROMPU, debut=None, fin=(10, 20))

    P = Presence
    T = TypeSeance
    # Six individual interviews held: one mentor and one student each (12 participations).
    for jour, (mentor, eleve, presence) in enumerate(
        [
            (m1, f1, P.PRESENT),
            (m1, f1, P.PRESENT),
            (m1, f1, P.ABSENT_EXCUSE),
            (m1, g1, P.PRESENT),
            (m1, g1, P.ABSENT_NON_EXCUSE),
            (m2, f2, P.PRESENT),
        ]
    ):
        _seance(dispositif, jour, T.ENTRETIEN, [(mentor, P.PRESENT), (eleve, presence)])
    # Two collective séances: several students and mentors each.
    _seance(
        dispositif,
        10,
        T.COLLECTIVE,
        [(m1, P.PRESENT), (m2, P.PRESENT), (m3, P.ABSENT_EXCUSE)]
        + [(f1, P.PRESENT), (g1, P.ABSENT_NON_EXCUSE), (f2, P.PRESENT), (g2, P.ABSENT_EXCUSE), (f3, P.PRESENT)],
    )
    _seance(
        dispositif,
        20,
        T.COLLECTIVE,
        [(m1, P.PRESENT), (m3, P.PRESENT)] + [(f1, P.PRESENT), (g1, P.PRESENT), (g2, P.PRESENT), (f3, P.ATTENDU)],
    )
    # A CV workshop with one mentor absent.
    _seance(dispositif, 30, T.ATELIER_CV, [(m3, P.ABSENT_NON_EXCUSE), (g2, P.PRESENT), (f2, P.ABSENT_NON_EXCUSE)])
    # Neither a planned nor a cancelled séance counts, whatever its attendance.
    _seance(dispositif, 40, T.ENTRETIEN, [(m1, P.ATTENDU), (f1, P.ATTENDU)], statut=StatutSeance.PREVUE)
    _seance(dispositif, 41, T.COLLECTIVE, [(m1, P.PRESENT), (g1, P.ABSENT_NON_EXCUSE)], statut=StatutSeance.ANNULEE)

    resultats = [
        (f1, True, True, Situation.FORMATION),
        (g1, True, False, Situation.RECHERCHE),
        (f2, True, True, Situation.EMPLOI),
        (g2, False, False, Situation.INCONNUE),
        # A student whose binôme was only proposed: not a mentored student.
        (f4, True, True, Situation.EMPLOI),
    ]
    for eleve, presente, admis, situation in resultats:
        ResultatEleve.objects.create(
            dispositif=dispositif,
            eleve=eleve,
            presente=presente,
            admis=admis,
            situation=situation,
            situation_le=datetime.date(dispositif.annee + 1, 7, 1) if situation else None,
        )
    # Objectives of the pairs, of every status (their count differs per status and per LP).
    statuts = ["atteint", "en_cours", "en_cours", "abandonne", "atteint", "en_cours"]
    for i, binome in enumerate(Binome.objects.filter(dispositif=dispositif).order_by("pk")):
        for j in range(1 + i % 3):
            ObjectifBinome.objects.create(binome=binome, libelle=f"Objectif {i}-{j}", statut=statuts[(i + j) % 6])
    # Satisfaction: three answers of students out of four links sent, none yet from mentors.
    enquete = Enquete.objects.create(dispositif=dispositif, population=Population.ELEVES)
    for invitation in invitations_creer(enquete=enquete, nombre=4)[:3]:
        reponse_enregistrer(jeton=invitation.jeton, notes={q.code: 3 for q in enquete.questions})
    Enquete.objects.create(dispositif=dispositif, population=Population.MENTORS)
    for type_, montant in (("allocation", "1200.00"), ("allocation", "900.50"), ("engagement", "350.25")):
        LigneBudget.objects.create(
            dispositif=dispositif,
            type=type_,
            source="academie" if type_ == "allocation" else "",
            nature="" if type_ == "allocation" else "evenements",
            libelle=f"Ligne {montant}",
            montant=Decimal(montant),
        )


@pytest.fixture
def jeu(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    _programme(cast.dispositif_a)
    # Last year of LP A: its figures appear only in the comparison column.
    precedent = DispositifFactory(etablissement=cast.lp_a, annee=cast.dispositif_a.annee - 1)
    m = MentorFactory(etablissement=cast.lp_a, verifie=True)
    for sexe in "FMF":
        binome = _binome(precedent, m, EleveFactory(etablissement=cast.lp_a, sexe=sexe), StatutBinome.TERMINE)
        _seance(precedent, 0, TypeSeance.ENTRETIEN, [(m, Presence.PRESENT), (binome.eleve, Presence.ABSENT_EXCUSE)])
    # Interviews after unexcused absences: open this year, held, and one still open from last year.
    seances = list(Seance.objects.filter(dispositif=cast.dispositif_a, statut=StatutSeance.TENUE).order_by("pk"))
    EntretienAbsenceFactory(seance=seances[0])
    EntretienAbsenceFactory(seance=seances[1], fait_trait=True)
    EntretienAbsenceFactory(seance=seances[-1])
    EntretienAbsenceFactory(seance=Seance.objects.filter(dispositif=precedent).first())
    # LP B, same académie, other partner: a smaller year of its own.
    _programme(cast.dispositif_b, riche=False)
    EntretienAbsenceFactory(seance=Seance.objects.filter(dispositif=cast.dispositif_b).first())
    yield cast
    cache.clear()


# --- The recount, in plain Python over the rows ---------------------------------------------


def _commence(b) -> bool:
    """Started: active, suspended, ended, or broken after it had started (it has a start date not
    after its end); a binôme only proposed, or broken before it ever started, is not."""
    if b["statut"] in ("actif", "suspendu", "termine"):
        return True
    if b["statut"] == "rompu":
        return b["date_debut"] is not None and (b["date_fin"] is None or b["date_debut"] <= b["date_fin"])
    return False


def recompter(dispositif_ids) -> dict:
    """{code: (value, numerator, denominator)} over the dispositifs `dispositif_ids` pooled together."""
    ids = set(dispositif_ids)
    binomes = [b for b in Binome.objects.values() if b["dispositif_id"] in ids and _commence(b)]
    sexes = dict(Binome.objects.values_list("eleve_id", "eleve__sexe"))
    entreprises = dict(Mentor.objects.values_list("id", "entreprise_id"))
    eleves_mentores = {(b["dispositif_id"], b["eleve_id"]) for b in binomes}
    abandons = [
        b
        for b in binomes
        if b["statut"] == "rompu"
        and (b["date_fin_prevue"] is None or b["date_fin"] is None or b["date_fin"] < b["date_fin_prevue"])
    ]
    seances = {s["id"]: s for s in Seance.objects.values() if s["dispositif_id"] in ids}
    tenues = {pk for pk, s in seances.items() if s["statut"] == "tenue"}
    attendues = [p for p in Participation.objects.values() if p["seance_id"] in tenues and p["eleve_id"]]
    absences = [p for p in attendues if p["presence"] in ("absent_excuse", "absent_non_excuse")]
    resultats = [
        r
        for r in ResultatEleve.objects.values()
        if r["dispositif_id"] in ids and (r["dispositif_id"], r["eleve_id"]) in eleves_mentores
    ]
    presentes = [r for r in resultats if r["presente"]]
    admis = [r for r in presentes if r["admis"]]
    situations = [r for r in resultats if r["situation"] != ""]
    inseres = [r for r in situations if r["situation"] in ("emploi", "formation")]
    lignes = [lb for lb in LigneBudget.objects.values() if lb["dispositif_id"] in ids]

    def taux(n, d):
        return (round(100 * n / d, 1) if d else None, n, d)

    return {
        "filles": (len({b["eleve_id"] for b in binomes if sexes[b["eleve_id"]] == "F"}), None, None),
        "garcons": (len({b["eleve_id"] for b in binomes if sexes[b["eleve_id"]] == "M"}), None, None),
        "mentors": (len({b["mentor_id"] for b in binomes}), None, None),
        "entreprises": (len({entreprises[b["mentor_id"]] for b in binomes} - {None}), None, None),
        "absenteisme": taux(len(absences), len(attendues)),
        "abandon": taux(len(abandons), len(binomes)),
        "reussite": taux(len(admis), len(presentes)),
        "insertion": taux(len(inseres), len(situations)),
        "alloue": (sum((lb["montant"] for lb in lignes if lb["type"] == "allocation"), Decimal(0)), None, None),
        "engage": (sum((lb["montant"] for lb in lignes if lb["type"] == "engagement"), Decimal(0)), None, None),
    }


def recompter_actions(dispositif_id) -> dict[str, tuple[int, int]]:
    """{type label: (held séances, distinct students present at them)}."""
    tenues = {
        s["id"]: s["type"]
        for s in Seance.objects.values()
        if s["dispositif_id"] == dispositif_id and s["statut"] == "tenue"
    }
    nombre, presents = defaultdict(int), defaultdict(set)
    for type_ in tenues.values():
        nombre[type_] += 1
    for p in Participation.objects.values():
        if p["seance_id"] in tenues and p["eleve_id"] and p["presence"] == "present":
            presents[tenues[p["seance_id"]]].add(p["eleve_id"])
    return {LIBELLES_TYPES[t]: (n, len(presents[t])) for t, n in nombre.items()}


# --- Reading figures back --------------------------------------------------------------------


def recompter_objectifs(dispositif_id) -> dict[str, tuple[str, int]]:
    """{statut: (label in the report, number of the dispositif's objectives with it)}."""
    binomes = {b["pk"] for b in Binome.objects.values("pk", "dispositif_id") if b["dispositif_id"] == dispositif_id}
    libelles = {"atteint": "Objectifs atteints", "en_cours": "Objectifs en cours", "abandonne": "Objectifs abandonnés"}
    comptes = dict.fromkeys(libelles, 0)
    for o in ObjectifBinome.objects.values("binome_id", "statut"):
        if o["binome_id"] in binomes:
            comptes[o["statut"]] += 1
    return {statut: (libelles[statut], n) for statut, n in comptes.items()}


def nombre(texte: str):
    """The number a cell shows, whatever the French formatting ("1 200,50 €", "33,3 %", "—")."""
    texte = re.sub(r"\(.*\)|[\s\u00a0\u202f€%]", "", str(texte))
    if texte in ("", "—", "None"):
        return None
    return Decimal(texte.replace(",", "."))


def detail(texte: str):
    trouve = re.search(r"\((\d+) sur (\d+)\)", texte)
    return (int(trouve[1]), int(trouve[2])) if trouve else None


class _Tableaux(HTMLParser):
    """Every table of a page: {caption: [[cell text, ...], ...]} (rows of th/td texts)."""

    def __init__(self):
        super().__init__()
        self.tableaux, self._legende, self._lignes, self._cellule, self._dans = {}, None, None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._lignes, self._legende = [], ""
        elif tag == "caption":
            self._dans = "caption"
        elif tag == "tr" and self._lignes is not None:
            self._lignes.append([])
        elif tag in ("td", "th") and self._lignes is not None:
            self._cellule = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._dans = None
        elif tag in ("td", "th") and self._cellule is not None:
            self._lignes[-1].append(" ".join("".join(self._cellule).split()))
            self._cellule = None
        elif tag == "table" and self._lignes is not None:
            self.tableaux[" ".join(self._legende.split())] = self._lignes
            self._lignes = None

    def handle_data(self, data):
        if self._dans == "caption":
            self._legende += data
        elif self._cellule is not None:
            self._cellule.append(data)


def tableaux(html: str) -> dict[str, list[list[str]]]:
    lecteur = _Tableaux()
    lecteur.feed(html)
    return lecteur.tableaux


def tableau(html: str, debut: str) -> list[list[str]]:
    (trouve,) = [lignes for legende, lignes in tableaux(html).items() if legende.startswith(debut)]
    return trouve


def verifier(origine: str, code: str, affiche, attendu, detail_affiche=None):
    """One indicator: the value shown (and its "n sur d" where shown) equals the recount."""
    valeur, numerateur, denominateur = attendu
    libelle = LIBELLES[code]
    attendu_affiche = None if valeur is None else Decimal(str(valeur))
    assert nombre(affiche) == attendu_affiche, f"{origine} — « {libelle} » : affiché {affiche!r}, recompté {valeur}" + (
        f" ({numerateur} sur {denominateur})" if denominateur is not None else ""
    )
    if code in TAUX and denominateur and detail_affiche is not None:
        assert detail(detail_affiche) == (numerateur, denominateur), (
            f"{origine} — « {libelle} » : détail affiché {detail_affiche!r}, recompté {numerateur} sur {denominateur}"
        )


def verifier_ligne_lp(origine, cellules, attendu):
    """A row of a table of LPs: one cell per indicator, in the order of LIBELLES."""
    for code, cellule in zip(LIBELLES, cellules, strict=False):
        verifier(origine, code, cellule, attendu[code])


# --- The tests -------------------------------------------------------------------------------


def test_le_jeu_de_donnees_distingue_les_erreurs(jeu):
    """The data set is rich enough: a per-participant count, a missing distinct, a wrong year or LP,
    or counting binômes never started would each change a figure."""
    d = jeu.dispositif_a
    attendu = recompter([d.pk])
    tenues = Seance.objects.filter(dispositif=d, statut=StatutSeance.TENUE)
    assert Participation.objects.filter(seance__in=tenues).count() > tenues.count()
    assert recompter_actions(d.pk)["Entretien individuel"] == (6, 3)
    assert attendu["filles"][0] < Binome.objects.filter(dispositif=d, eleve__sexe="F").count()
    assert attendu["abandon"][1:] == (2, 7)
    assert recompter([d.pk, jeu.dispositif_b.pk]) != attendu
    assert attendu["reussite"][1:] == (2, 3) and attendu["insertion"][1:] == (2, 3)


def test_tableau_de_bord_du_lp_et_annee_precedente(client, jeu):
    attendu = recompter([jeu.dispositif_a.pk])
    precedent = jeu.lp_a.dispositifs.get(annee=jeu.dispositif_a.annee - 1)
    attendu_precedent = recompter([precedent.pk])
    client.force_login(jeu.chef_a)
    lignes = tableau(client.get(reverse("accueil")).content.decode(), "Indicateurs ")
    par_libelle = {ligne[0]: ligne for ligne in lignes[1:]}
    for code, libelle in LIBELLES.items():
        cellules = par_libelle[libelle]
        verifier("Tableau de bord du LP", code, cellules[1], attendu[code], cellules[1])
        verifier("Tableau de bord du LP, année précédente", code, cellules[2], attendu_precedent[code])


def test_entretiens_a_mener_du_tableau_de_bord(client, jeu):
    """Every interview still to hold in the LP, whatever the year: the list the dashboard links to."""
    attendu = sum(
        1
        for e in EntretienAbsence.objects.values("fait", "seance__dispositif__etablissement")
        if not e["fait"] and e["seance__dispositif__etablissement"] == jeu.lp_a.pk
    )
    client.force_login(jeu.chef_a)
    texte = " ".join(client.get(reverse("accueil")).content.decode().split())
    trouve = re.search(r"(\d+) entretiens? avec des élèves absents", texte)
    assert trouve and int(trouve[1]) == attendu, (
        f"Tableau de bord du LP — « Entretiens d’absence à mener » : affiché {trouve and trouve[1]}, recompté {attendu}"
    )
    client.force_login(jeu.cpe_a)
    liste = client.get(reverse("seances:entretiens")).content.decode()
    assert f"À traiter : {attendu} entretien" in liste, "La liste des entretiens à mener ne compte pas le même nombre"


def test_tableau_de_bord_du_coordonnateur(client, jeu):
    attendu = recompter([jeu.dispositif_a.pk])
    client.force_login(jeu.coordonnateur_a)
    lignes = tableau(client.get(reverse("accueil")).content.decode(), "Indicateurs par établissement")
    (ligne,) = [ligne for ligne in lignes if ligne[0].startswith(jeu.lp_a.nom)]
    verifier_ligne_lp("Tableau de bord du coordonnateur", ligne[1:], attendu)


def test_tableau_de_bord_academique_et_son_total(client, jeu):
    client.force_login(jeu.pilotage)
    lignes = tableau(client.get(reverse("bilans:academie")).content.decode(), "Indicateurs par établissement")
    for lp, dispositif in ((jeu.lp_a, jeu.dispositif_a), (jeu.lp_b, jeu.dispositif_b)):
        (ligne,) = [ligne for ligne in lignes if ligne[0].startswith(lp.nom)]
        verifier_ligne_lp(f"Tableau de bord académique, {lp.nom}", ligne[1:], recompter([dispositif.pk]))
    (total,) = [ligne for ligne in lignes if ligne[0] == "Total"]
    verifier_ligne_lp(
        "Tableau de bord académique, total", total[1:], recompter([jeu.dispositif_a.pk, jeu.dispositif_b.pk])
    )


def _texte_rapport(dispositif) -> str:
    rapport = RapportAnnuel.objects.create(dispositif=dispositif)
    rapports.construire(rapport)
    with rapport.fichier.open("rb") as fichier:
        lecteur = PdfReader(io.BytesIO(fichier.read()))
    return "\n".join(page.extract_text() for page in lecteur.pages)


def _section(texte, debut, fin):
    return texte[texte.index(debut) : texte.index(fin, texte.index(debut))]


# A value in the PDF's text: "—", "3", "29,4 %", "2 100,50 €" (digits grouped by three)…
NOMBRE_PDF = r"(—|\d{1,3}(?:[\u00a0\u202f ]\d{3})*(?:,\d+)?(?: ?[%€])?)"
# … then maybe its "(5 sur 17)".
VALEUR_PDF = " " + NOMBRE_PDF + r"( \(\d+ sur \d+\))?"


def test_rapport_annuel_relu_dans_le_pdf(jeu):
    d = jeu.dispositif_a
    attendu = recompter([d.pk])
    texte = " ".join(_texte_rapport(d).split())
    indicateurs = _section(texte, "Indicateurs de l’année et leur définition", "Graphiques")
    for code, libelle in LIBELLES.items():
        # "<libellé> <valeur> [(n sur d)] <définition>": the value follows the label.
        trouve = re.search(re.escape(libelle) + VALEUR_PDF, indicateurs)
        assert trouve, f"Rapport annuel — « {libelle} » introuvable dans le PDF"
        verifier("Rapport annuel (PDF)", code, trouve[1], attendu[code], trouve[2] or "")
    actions = _section(texte, "Actions menées", "Satisfaction")
    recompte = recompter_actions(d.pk)
    for libelle, (seances, eleves) in recompte.items():
        trouve = re.search(re.escape(libelle) + r" (\d+) (\d+)", actions)
        assert trouve, f"Rapport annuel — action « {libelle} » introuvable dans le PDF"
        assert int(trouve[1]) == seances, (
            f"Rapport annuel — « Actions menées », {libelle} : "
            f"{trouve[1]} séances tenues affichées, {seances} recomptées"
        )
        assert int(trouve[2]) == eleves, (
            f"Rapport annuel — « Actions menées », {libelle} : {trouve[2]} élèves affichés, {eleves} recomptés"
        )
    for libelle in set(LIBELLES_TYPES.values()) - set(recompte):
        assert not re.search(re.escape(libelle) + r" \d", actions), (
            f"Rapport annuel — « Actions menées » : {libelle} affiché sans aucune séance tenue"
        )
    comparaison = texte[texte.index("Comparaison avec l’année précédente") :]
    assert f"{d.annee_scolaire} comparée à {d.annee - 1}-{d.annee}" in comparaison
    precedent = recompter([jeu.lp_a.dispositifs.get(annee=d.annee - 1).pk])
    for code, libelle in LIBELLES.items():
        trouve = re.search(re.escape(libelle) + " " + NOMBRE_PDF + " " + NOMBRE_PDF, comparaison)
        assert trouve, f"Rapport annuel, comparaison — « {libelle} » introuvable dans le PDF"
        verifier("Rapport annuel (PDF), comparaison, année en cours", code, trouve[1], attendu[code])
        verifier("Rapport annuel (PDF), comparaison, année précédente", code, trouve[2], precedent[code])
    objectifs = _section(texte, "Objectifs des binômes", "Satisfaction")
    for statut, (libelle, n) in recompter_objectifs(d.pk).items():
        trouve = re.search(re.escape(libelle) + r" (\d+)", objectifs)
        assert trouve and int(trouve[1]) == n, (
            f"Rapport annuel — objectifs ({statut}) : {trouve and trouve[1]} affichés, {n} recomptés"
        )
    satisfaction = _section(texte, "Satisfaction", "Bilan qualitatif")
    for enquete in Enquete.objects.filter(dispositif=d):
        reponses = sum(1 for r in Reponse.objects.values("enquete_id") if r["enquete_id"] == enquete.pk)
        trouve = re.search(re.escape(enquete.get_population_display()) + r" — (\d+) réponses?", satisfaction)
        assert trouve and int(trouve[1]) == reponses, (
            f"Rapport annuel — satisfaction, {enquete.get_population_display()} : "
            f"{trouve and trouve[1]} réponses affichées, {reponses} recomptées"
        )


def recompter_abandons_signales(dispositif_id) -> tuple[int, int]:
    """(abandoned binômes, those with a period « en risque » that began on or before their end)."""
    abandons = [
        b
        for b in Binome.objects.values()
        if b["dispositif_id"] == dispositif_id
        and _commence(b)
        and b["statut"] == "rompu"
        and (b["date_fin_prevue"] is None or b["date_fin"] is None or b["date_fin"] < b["date_fin_prevue"])
    ]
    debuts = defaultdict(list)
    for e in EpisodeRisque.objects.values():
        debuts[e["binome_id"]].append(e["debut"])
    signales = [b for b in abandons if any(b["date_fin"] is None or d <= b["date_fin"] for d in debuts[b["id"]])]
    return len(abandons), len(signales)


def test_abandons_lus_au_regard_des_signaux_dans_le_pdf(jeu):
    """The report's sentence on abandons and health signals equals the recount (aggregates, no name)."""
    d = jeu.dispositif_a
    texte = " ".join(_texte_rapport(d).split())
    assert "Sur 2 binômes rompus avant leur fin prévue, aucun n’avait été signalé en risque auparavant." in texte
    rompus = {b.date_fin: b for b in Binome.objects.filter(dispositif=d, statut=StatutBinome.ROMPU)}
    annee = d.annee
    # Signalled ten days before its end: counts. Signalled after its end: does not.
    EpisodeRisque.objects.create(binome=rompus[datetime.date(annee, 11, 20)], debut=datetime.date(annee, 11, 10))
    EpisodeRisque.objects.create(binome=rompus[datetime.date(annee + 1, 1, 10)], debut=datetime.date(annee + 1, 1, 12))
    # Broken after its planned end (not an abandonment), and LP B's pairs: not counted.
    EpisodeRisque.objects.create(binome=rompus[datetime.date(annee + 1, 3, 15)], debut=datetime.date(annee, 12, 1))
    for b in Binome.objects.filter(dispositif=jeu.dispositif_b):
        EpisodeRisque.objects.create(binome=b, debut=datetime.date(annee, 10, 6))
    assert recompter_abandons_signales(d.pk) == (2, 1)
    RapportAnnuel.objects.filter(dispositif=d).delete()
    texte = " ".join(_texte_rapport(d).split())
    phrase = re.search(
        r"Sur (\d+) binômes rompus avant leur fin prévue, (\d+) avai(?:t|ent) été signalés? en risque", texte
    )
    assert phrase, "Rapport annuel — la phrase sur les abandons et les signaux de risque est introuvable"
    assert (int(phrase[1]), int(phrase[2])) == recompter_abandons_signales(d.pk)
    for b in Binome.objects.filter(dispositif=d):
        assert str(b.eleve) not in texte and str(b.mentor) not in texte


def _verifier_export(origine, lignes, jeu, lps):
    entetes, *donnees = lignes
    assert entetes[4:] == list(LIBELLES.values()), f"{origine} : colonnes {entetes}"
    assert sorted(ligne[1] for ligne in donnees) == sorted(lp.uai for lp, _ in lps), f"{origine} : lignes"
    for lp, dispositif in lps:
        (ligne,) = [ligne for ligne in donnees if ligne[1] == lp.uai]
        cellules = ["" if v is None else v for v in ligne[4:]]
        verifier_ligne_lp(f"{origine}, {lp.nom}", cellules, recompter([dispositif.pk]))


@pytest.mark.parametrize("utilisateur", ["chef_a", "pilotage"])
def test_exports_csv_et_xlsx(client, jeu, utilisateur):
    lps = [(jeu.lp_a, jeu.dispositif_a)] + ([(jeu.lp_b, jeu.dispositif_b)] if utilisateur == "pilotage" else [])
    client.force_login(getattr(jeu, utilisateur))
    contenu = client.get(reverse("bilans:export")).content.decode("utf-8-sig")
    _verifier_export("Export CSV", list(csv.reader(io.StringIO(contenu), delimiter=";")), jeu, lps)
    classeur = load_workbook(io.BytesIO(client.get(reverse("bilans:export"), {"format": "xlsx"}).content))
    _verifier_export("Export XLSX", [list(ligne) for ligne in classeur.active.iter_rows(values_only=True)], jeu, lps)
