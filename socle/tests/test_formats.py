"""French figures and wording: the helpers every page, email, PDF and history row uses."""

from decimal import Decimal
from types import SimpleNamespace

from django.template import engines

from socle.formats import accorder, compte, montant, nombre, pourcentage

NB = "\xa0"


def rendre(source, **contexte):
    return engines["django"].from_string(source).render(contexte)


def test_un_montant_a_la_francaise():
    assert montant(Decimal("2100")) == f"2{NB}100,00{NB}€"
    assert montant(1234567.5) == f"1{NB}234{NB}567,50{NB}€"
    assert montant(None) == "—"


def test_un_nombre_et_un_taux_a_la_francaise():
    assert nombre(1250) == f"1{NB}250"
    assert nombre(Decimal("12.5")) == "12,5"
    assert pourcentage(12.5) == f"12,5{NB}%"
    assert pourcentage(Decimal("100")) == f"100,0{NB}%"
    assert pourcentage(None) == "—"


def test_les_vrais_pluriels():
    assert compte(1, "élève") == "1 élève"
    assert compte(2, "élève") == "2 élèves"
    assert compte(0, "élève") == "0 élève"
    assert compte(1250, "réunion à venir", "réunions à venir") == f"1{NB}250 réunions à venir"


def test_l_accord_avec_le_sexe_de_l_eleve():
    assert accorder(SimpleNamespace(sexe="F"), "absent", "absente") == "absente"
    assert accorder(SimpleNamespace(sexe="M"), "absent", "absente") == "absent"
    assert accorder(None, "absent", "absente") == "absent"


def test_les_filtres_sont_disponibles_dans_tout_gabarit():
    html = rendre(
        "{{ m|montant }} | {{ n|nombre }} | {{ t|pourcentage }} | {{ n|compte:'élève' }} | {{ 1|compte:'élève' }}"
        " | {{ 2|pluriel:'créé,créés' }} | {{ e|accorder:'inscrit,inscrite' }}",
        m=Decimal("2100"),
        n=1250,
        t=12.5,
        e=SimpleNamespace(sexe="F"),
    )
    assert html == f"2{NB}100,00{NB}€ | 1{NB}250 | 12,5{NB}% | 1{NB}250 élèves | 1 élève | créés | inscrite"


def test_la_date_courte_est_celle_du_filtre_date_de_django():
    """`date_courte` writes what `date:"d/m/Y"` writes, an aware datetime in local time included."""
    from datetime import UTC, date, datetime

    source = '{{ d|date:"d/m/Y" }}|{{ d|date_courte }}|{{ d|date_courte|default:"—" }}'
    # 23:30 UTC on 31 December is already 1 January in Paris.
    for valeur in (date(2026, 3, 7), date(987, 1, 2), datetime(2025, 12, 31, 23, 30, tzinfo=UTC), None, ""):
        django, courte, defaut = rendre(source, d=valeur).split("|")
        assert courte == django, valeur
        assert defaut == (django or "—")
    assert rendre("{{ d|date_courte }}", d=datetime(2025, 12, 31, 23, 30, tzinfo=UTC)) == "01/01/2026"


def test_l_heure_courte_est_celle_du_filtre_time_de_django():
    from datetime import UTC, datetime, time

    source = '{{ h|time:"H:i" }}|{{ h|heure_courte }}'
    for valeur in (time(9, 5), time(23, 59, 59), datetime(2025, 12, 31, 23, 30, tzinfo=UTC), None, ""):
        django, courte = rendre(source, h=valeur).split("|")
        assert courte == django, valeur
