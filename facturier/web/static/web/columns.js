// Column chooser of the client list: the hidden columns are remembered in the browser.
(function () {
  "use strict";
  document.querySelectorAll("[data-column-chooser]").forEach(function (chooser) {
    var name = chooser.dataset.columnChooser;
    var key = "facturier.columns." + name;
    var table = document.querySelector('table[data-columns="' + name + '"]');
    if (!table) return;
    var hidden;
    try { hidden = JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { hidden = []; }

    function apply() {
      table.querySelectorAll("[data-col]").forEach(function (cell) {
        cell.hidden = hidden.indexOf(cell.dataset.col) !== -1;
      });
    }

    chooser.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.checked = hidden.indexOf(box.value) === -1;
      box.addEventListener("change", function () {
        hidden = hidden.filter(function (col) { return col !== box.value; });
        if (!box.checked) hidden.push(box.value);
        try { localStorage.setItem(key, JSON.stringify(hidden)); } catch (e) { /* private mode: this page only */ }
        apply();
      });
    });
    chooser.hidden = false;
    apply();
  });
})();
