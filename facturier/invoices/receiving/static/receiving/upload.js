// Drag and drop onto the upload form; the file input alone works without it.
(function () {
  const form = document.getElementById("invoice-upload");
  if (!form) return;
  const input = form.querySelector("input[type=file]");
  const selection = form.querySelector(".dropzone-selection");
  const tooLarge = form.querySelector(".dropzone-too-large");
  const maxSize = Number(form.dataset.maxSize);

  function show() {
    const files = Array.from(input.files);
    selection.textContent = files.map((file) => file.name).join(", ");
    const big = files.filter((file) => file.size > maxSize).map((file) => file.name);
    tooLarge.hidden = big.length === 0;
    tooLarge.querySelector("span").textContent = big.join(", ");
  }

  ["dragenter", "dragover"].forEach((name) => form.addEventListener(name, (event) => {
    event.preventDefault();
    form.classList.add("dragging");
  }));
  ["dragleave", "drop"].forEach((name) => form.addEventListener(name, () => form.classList.remove("dragging")));
  form.addEventListener("drop", (event) => {
    event.preventDefault();
    const transfer = new DataTransfer();
    Array.from(input.files).concat(Array.from(event.dataTransfer.files)).forEach((file) => transfer.items.add(file));
    input.files = transfer.files;
    show();
  });
  input.addEventListener("change", show);
})();
