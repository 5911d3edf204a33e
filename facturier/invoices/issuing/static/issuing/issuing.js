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

// Live totals, computed as EN 16931 does (and as the server confirms on "Recalculer"):
// each line rounded to the cent, VAT per category and rate on the rounded base, half up.
// Exact decimal arithmetic on BigInt, never binary floating point.
(function () {
  "use strict";
  var form = document.getElementById("issuing-form");
  var shown = {excl: document.getElementById("total-excl"), vat: document.getElementById("total-vat"),
               incl: document.getElementById("total-incl")};
  if (!form || !shown.excl) { return; }
  var SCALE = 6;

  function parse(text) {  // -> BigInt scaled by 10^SCALE, or null
    var clean = String(text || "").replace(/[\s\u202f]/g, "").replace(",", ".");
    var match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(clean);
    if (!match || (match[2] === "" && !match[3])) { return null; }
    var fraction = ((match[3] || "") + "000000").slice(0, SCALE);
    var value = BigInt((match[2] || "0") + fraction);
    return match[1] ? -value : value;
  }
  function roundTo(value, drop) {  // divide by 10^drop, rounding half away from zero (ROUND_HALF_UP)
    var divisor = BigInt(10) ** BigInt(drop);
    var negative = value < 0n;
    var magnitude = negative ? -value : value;
    var result = (magnitude + divisor / 2n) / divisor;
    return negative ? -result : result;
  }
  function cents(scaled) { return roundTo(scaled, SCALE - 2); }
  var money = new Intl.NumberFormat(document.documentElement.lang || "fr", {style: "currency", currency: "EUR"});
  function format(centsValue) {  // as the server's money filter writes it: "1 174,05 €", "€1,174.05"
    return money.format(Number(centsValue) / 100);
  }
  function rows(prefix) {
    var total = parseInt((document.getElementById("id_" + prefix + "-TOTAL_FORMS") || {}).value || "0", 10);
    var found = [];
    for (var i = 0; i < total; i++) {
      var field = accessor(prefix + "-" + i + "-");
      if (field("DELETE") && field("DELETE").checked) { continue; }
      found.push(field);
    }
    return found;
  }
  function accessor(rowPrefix) {
    return function (name) { return form.elements[rowPrefix + name]; };
  }
  function recompute() {
    var groups = {}, excl = 0n;
    function add(vat, amount) { groups[vat] = (groups[vat] || 0n) + amount; excl += amount; }
    rows("lines").forEach(function (field) {
      var quantity = parse(field("quantity") && field("quantity").value);
      var price = parse(field("unit_price") && field("unit_price").value);
      if (quantity === null || price === null) { return; }
      add(field("vat").value, roundTo(quantity * price, 2 * SCALE - 2));
    });
    rows("adjustments").forEach(function (field) {
      var amount = parse(field("amount") && field("amount").value);
      if (amount === null) { return; }
      add(field("vat").value, (field("kind").value === "charge" ? 1n : -1n) * cents(amount));
    });
    var vat = 0n;
    Object.keys(groups).forEach(function (key) {
      var rate = parse(key.split(":")[1] || "0") || 0n;
      vat += roundTo(groups[key] * rate, SCALE + 2);  // base (cents) x rate (%) -> cents
    });
    shown.excl.textContent = format(excl);
    shown.vat.textContent = format(vat);
    shown.incl.textContent = format(excl + vat);
  }
  form.addEventListener("input", recompute);
  form.addEventListener("change", recompute);
})();
