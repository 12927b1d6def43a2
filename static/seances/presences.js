// « Tous présents » on the séance page: marks every row of the attendance grid "Présent".
// Progressive enhancement: the button stays hidden without JavaScript, the form works as is.
(function () {
  "use strict";
  var zone = document.getElementById("tous-presents");
  var grille = document.getElementById("grille-presences");
  if (!zone || !grille) {
    return;
  }
  var statut = document.getElementById("tous-presents-statut");
  zone.hidden = false;
  zone.querySelector("button").addEventListener("click", function () {
    var radios = grille.querySelectorAll('input[type="radio"][value="present"]');
    radios.forEach(function (radio) {
      radio.checked = true;
    });
    statut.textContent =
      radios.length === 1 ? "1 personne marquée présente." : radios.length + " personnes marquées présentes.";
  });
})();
