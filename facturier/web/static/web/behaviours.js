// Behaviours shared by every page, declared in the HTML with data attributes so that
// the Content-Security-Policy can forbid inline scripts and on* handlers.
// Without JavaScript every form still works: it has a button, or posts without asking.
(function () {
  "use strict";
  // <select data-autosubmit>: choosing an option submits its form (language, dossier switcher).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) { select.form.submit(); }
    });
  });
  // <form data-confirm="question">: the person confirms before the form is sent.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
  // <input type="checkbox" data-select-all="name">: ticks or unticks every box of that name in its form.
  document.querySelectorAll("input[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      box.form.querySelectorAll("input[name='" + box.dataset.selectAll + "']").forEach(function (other) {
        other.checked = box.checked;
      });
    });
  });
})();
