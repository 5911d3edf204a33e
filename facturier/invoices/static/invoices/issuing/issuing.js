// Issuing form: add a line or an allowance/charge without a round trip.
// Without JavaScript the same buttons post the form and the server adds the row.
(function () {
  "use strict";
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      var prefix = button.getAttribute("data-add-row");
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      var template = document.getElementById(prefix + "-template");
      var body = document.getElementById(prefix + "-body");
      if (!total || !template || !body) { return; }
      event.preventDefault();
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = body.lastElementChild.querySelector("input, select");
      if (first) { first.focus(); }
    });
  });
})();
