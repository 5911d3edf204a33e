// SIREN autofill of the client form. Typing a complete SIREN asks the platform's
// registry endpoint (GET <lookup-url><siren>.json) and fills the empty fields.
// When the registry cannot answer, the form keeps working by hand, with a warning.
(function () {
  "use strict";
  var form = document.querySelector("[data-siren-form]");
  if (!form) return;
  var sirenInput = form.querySelector("[data-siren-lookup]");
  var statusBox = form.querySelector("[data-lookup-status]");
  var messagesNode = document.getElementById("lookup-messages");
  var messages = messagesNode ? JSON.parse(messagesNode.textContent) : {};
  var FIELDS = ["name", "address", "postal_code", "city", "country", "vat_number"];
  var lastLooked = null;
  var pending = null;

  function say(text, kind) {
    statusBox.textContent = text || "";
    statusBox.className = "lookup-status " + (kind || "");
    statusBox.hidden = !text;
  }

  function fill(company) {
    FIELDS.forEach(function (name) {
      var input = form.elements[name];
      var value = company[name];
      if (!input || !value) return;
      // Never overwrite what the person typed; replace what a previous look-up filled.
      if (input.value && input.dataset.autofilled !== "1") return;
      input.value = value;
      input.dataset.autofilled = "1";
    });
  }

  function lookUp(siren) {
    if (pending) pending.abort();
    var controller = pending = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, 8000);
    say(messages.searching, "");
    fetch(form.dataset.lookupUrl + siren + ".json", {
      headers: { "Accept": "application/json" }, signal: controller.signal, credentials: "same-origin"
    }).then(function (response) {
      // The registry explains refusals (an invalid SIREN, say) in the same JSON shape.
      return response.json().then(function (company) {
        if (!response.ok && !company.warning) throw new Error("HTTP " + response.status);
        return company;
      });
    }).then(function (company) {
      if (controller !== pending) return;  // a newer SIREN was typed meanwhile
      if (company.found) {
        fill(company);
        say(company.warning ? messages.found + " " + company.warning : messages.found, company.warning ? "warning" : "ok");
      } else {
        say(company.warning || messages.not_found, "warning");
      }
    }).catch(function () {
      if (controller !== pending) return;
      say(messages.unreachable, "warning");
    }).finally(function () { clearTimeout(timer); });
  }

  function onChange() {
    var siren = sirenInput.value.replace(/[\s.]/g, "");
    if (!/^\d{9}$/.test(siren) || siren === lastLooked) return;
    lastLooked = siren;
    lookUp(siren);
  }

  sirenInput.addEventListener("input", onChange);
  sirenInput.addEventListener("change", onChange);
})();
