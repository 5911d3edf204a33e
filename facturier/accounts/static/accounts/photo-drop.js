// The photo square of the onboarding page: drop an image on it, or use the file input inside it.
// Without JavaScript the plain file input still works.
(function () {
  "use strict";
  var zone = document.querySelector("[data-photo-drop]");
  if (!zone) return;
  var input = zone.querySelector("input[type=file]");
  var preview = zone.querySelector("[data-photo-preview]");

  function show(file) {
    if (!file || !/^image\//.test(file.type)) { preview.hidden = true; return; }
    preview.src = URL.createObjectURL(file);
    preview.hidden = false;
  }

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("dragging"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("dragging"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (!event.dataTransfer || !event.dataTransfer.files.length) return;
    input.files = event.dataTransfer.files;
    show(input.files[0]);
  });
  input.addEventListener("change", function () { show(input.files[0]); });
})();
