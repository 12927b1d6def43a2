"""Table bodies drawn in Python (socle.tableaux): escaped, the empty row, and the same rows as the
template markup they replace, for the binômes and séances lists (issue 18)."""

import datetime
import re

import pytest
from django.template import engines
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st

from binomes.models import Binome, StatutBinome
from binomes.tests.factories import BinomeFactory, EleveFactory, MentorFactory
from etablissements.tests.factories import EntrepriseFactory
from seances.models import Seance, StatutSeance, TypeSeance
from seances.tests.factories import SeanceFactory
from socle.tableaux import corps_de_tableau, tiret


def test_chaque_valeur_est_echappee_et_les_valeurs_sures_gardees():
    lien = format_html('<a href="{}">{}</a>', "/x/?a=1&b=2", "Léa")
    corps = corps_de_tableau(
        "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", [("<b>Hugo</b> & Cie", lien, 3)], vide="Rien.", colonnes=3
    )
    assert corps == (
        '<tr><td>&lt;b&gt;Hugo&lt;/b&gt; &amp; Cie</td><td><a href="/x/?a=1&amp;b=2">Léa</a></td><td>3</td></tr>'
    )


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.integers(),
        st.dates(),
        st.none(),
        st.text().map(mark_safe),
        st.text().map(lambda texte: gettext_lazy(texte) if texte else texte),
    )
)
def test_chaque_valeur_echappee_comme_conditional_escape(valeur):
    """Any cell value (text, number, date, nothing, safe markup, a lazy text): what Django's
    conditional_escape writes."""
    assert corps_de_tableau("<td>{}</td>", [(valeur,)], vide="", colonnes=1) == (
        f"<td>{conditional_escape(valeur)}</td>"
    )


def test_une_valeur_en_accolades_reste_du_texte():
    assert corps_de_tableau("<td>{}</td>", [("{0} {}",)], vide="", colonnes=1) == "<td>{0} {}</td>"


def test_les_lignes_une_par_ligne_et_la_ligne_vide():
    assert corps_de_tableau("<tr><td>{}</td></tr>", [("a",), ("b",)], vide="-", colonnes=1) == (
        "<tr><td>a</td></tr>\n<tr><td>b</td></tr>"
    )
    assert corps_de_tableau("<tr><td>{}</td></tr>", iter([]), vide="Aucun <binôme>.", colonnes=7) == (
        '<tr><td colspan="7">Aucun &lt;binôme&gt;.</td></tr>'
    )


def test_tiret():
    assert [tiret(v) for v in (None, "", "Garage")] == ["—", "—", "Garage"]


def _normaliser(html: str) -> str:
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


def _corps(html: str) -> str:
    return _normaliser(re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1))


# The rows as the lists' templates drew them before they were drawn in Python.
LIGNE_BINOME_GABARIT = """
{% for binome in binomes %}
  <tr>
    <td>
      <a href="{% url 'binomes:binome' binome.pk %}">{{ binome.eleve.nom }} {{ binome.eleve.prenom }}</a>
    </td>
    <td>{{ binome.eleve.classe }}</td>
    <td>{{ binome.mentor }}</td>
    <td>{{ binome.mentor.entreprise|default:"—" }}</td>
    <td>
      <p class="fr-badge fr-badge--sm">{{ binome.get_statut_display }}</p>
    </td>
    <td>{{ binome.date_debut|date_courte|default:"—" }}</td>
    <td>{{ binome.date_fin_prevue|date_courte|default:"—" }}</td>
  </tr>
{% empty %}
  <tr>
    <td colspan="7">Aucun binôme.</td>
  </tr>
{% endfor %}
"""

LIGNE_SEANCE_GABARIT = """
{% for seance in seances %}
  {% if seance.statut == 'tenue' %}{% firstof "fr-badge--success" as badge %}
  {% elif seance.statut == 'annulee' %}{% firstof "fr-badge--error" as badge %}
  {% else %}{% firstof "fr-badge--info" as badge %}{% endif %}
  <tr>
    <td>
      <a href="{{ seance.get_absolute_url }}">{{ seance.date|date_courte }}
        {% if seance.heure %}à {{ seance.heure|heure_courte }}{% endif %}
      </a>
    </td>
    <td>{{ seance.get_type_display }}</td>
    <td>{{ seance.dispositif.etablissement }}</td>
    <td></td>
    <td>
      <p class="fr-badge fr-badge--sm {{ badge }}">
        {{ seance.get_statut_display }}
      </p>
    </td>
  </tr>
{% empty %}
  <tr>
    <td colspan="5">Aucune séance.</td>
  </tr>
{% endfor %}
"""


def _dessiner(gabarit, **contexte):
    return _normaliser(engines["django"].from_string(gabarit).render(contexte))


@pytest.mark.django_db
def test_les_lignes_des_binomes_sont_celles_du_gabarit(client, cast):
    """Every status, a student and a mentor whose names hold markup, with and without an employer
    and dates: the list's rows are those the template drew."""
    for n, statut in enumerate(StatutBinome.values):
        BinomeFactory(
            dispositif=cast.dispositif_a,
            statut=statut,
            eleve=EleveFactory(etablissement=cast.lp_a, nom=f"<i>Nom{n}</i> & co", prenom='Zoé "Z"', classe="1<b>"),
            mentor=MentorFactory(
                etablissement=cast.lp_a,
                prenom="Anne'",
                nom="<script>x</script>",
                entreprise=EntrepriseFactory(etablissement=cast.lp_a, nom="A&B") if n % 2 else None,
            ),
            date_debut=datetime.date(2026, 10, n + 1) if n % 3 else None,
            date_fin_prevue=datetime.date(2027, 5, n + 1) if n % 2 else None,
        )
    client.force_login(cast.referent_a)
    corps = _corps(client.get(reverse("binomes:binomes")).content.decode())
    binomes = Binome.objects.filter(dispositif=cast.dispositif_a).select_related("eleve", "mentor__entreprise")
    binomes = binomes.order_by("eleve__nom", "eleve__prenom", "-pk")
    assert corps == _dessiner(LIGNE_BINOME_GABARIT, binomes=binomes)
    assert "&lt;script&gt;" in corps and "<script>" not in corps
    assert corps.count("<tr>") == len(StatutBinome.values)


@pytest.mark.django_db
def test_les_lignes_des_seances_sont_celles_du_gabarit(client, cast):
    """Every status and type, with and without an hour, an LP whose name holds markup: the list's
    rows are those the template drew (the participants' cell: seances/tests/test_liste.py)."""
    cast.lp_a.nom = "Lycée <b>A</b> & fils"
    cast.lp_a.save()
    for n, (statut, type_) in enumerate(zip(StatutSeance.values * 3, TypeSeance.values, strict=False)):
        SeanceFactory(
            dispositif=cast.dispositif_a,
            statut=statut,
            type=type_,
            date=datetime.date(2026, 11, n + 1),
            heure=datetime.time(9 + n, 5 * n) if n % 2 else None,
        )
    client.force_login(cast.referent_a)
    corps = _corps(client.get(reverse("seances:liste")).content.decode())
    seances = Seance.objects.filter(dispositif=cast.dispositif_a).select_related("dispositif__etablissement")
    assert corps == _dessiner(LIGNE_SEANCE_GABARIT, seances=seances.order_by("-date", "-heure", "-pk"))
    assert "Lycée &lt;b&gt;A&lt;/b&gt; &amp; fils" in corps


@pytest.mark.django_db
def test_les_listes_vides(client, cast):
    client.force_login(cast.referent_a)
    assert _corps(client.get(reverse("binomes:binomes")).content.decode()) == (
        '<tr><td colspan="7">Aucun binôme.</td></tr>'
    )
    assert _corps(client.get(reverse("seances:liste")).content.decode()) == (
        '<tr><td colspan="5">Aucune séance.</td></tr>'
    )
