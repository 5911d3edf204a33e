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
  // nav.sidebar: on a narrow screen the menu folds behind the "Menu" button (the stylesheet says when);
  // without JavaScript it simply stays open above the page.
  var sidebar = document.querySelector("nav.sidebar");
  var toggle = document.querySelector("button[data-menu-button]");
  if (sidebar && toggle) {
    sidebar.id = sidebar.id || "sidebar";
    toggle.setAttribute("aria-controls", sidebar.id);
    sidebar.classList.add("foldable");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = sidebar.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // A table wider than the screen scrolls alone: keyboard users reach it to scroll it too.
  document.querySelectorAll("main table").forEach(function (table) {
    if (table.scrollWidth > table.clientWidth && !table.hasAttribute("tabindex")) { table.tabIndex = 0; }
  });
})();
