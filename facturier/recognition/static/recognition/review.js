// Review of a recognised invoice: a click (or focus) on a field draws the box it was read from over the page.
(function () {
  "use strict";
  function show(field) {
    document.querySelectorAll(".recognition-field.selected").forEach(function (other) { other.classList.remove("selected"); });
    document.querySelectorAll(".recognition-box").forEach(function (box) { box.hidden = true; });
    field.classList.add("selected");
    var where = (field.dataset.box || "").split(",").map(Number);
    if (where.length !== 5) { return; }
    var page = document.querySelector('.recognition-page[data-page="' + where[0] + '"]');
    if (!page) { return; }
    var box = page.querySelector(".recognition-box");
    box.style.left = (where[1] * 100) + "%";
    box.style.top = (where[2] * 100) + "%";
    box.style.width = ((where[3] - where[1]) * 100) + "%";
    box.style.height = ((where[4] - where[2]) * 100) + "%";
    box.hidden = false;
    box.scrollIntoView({block: "center", behavior: "smooth"});
  }
  document.querySelectorAll(".recognition-field").forEach(function (field) {
    field.addEventListener("click", function () { show(field); });
    field.addEventListener("focusin", function () { show(field); });
  });
}());
