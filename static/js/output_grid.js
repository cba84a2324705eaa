// The month's output grid: the fulfilment cell follows the output as it is typed
// (output / the month's plan × 100, one place, Russian format — as the server shows it).
(function () {
  "use strict";
  var grid = document.querySelector("[data-output-grid]");
  if (!grid) return;

  function parse(text) {
    var cleaned = String(text || "").replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
    if (cleaned === "" || !/^\d+(\.\d+)?$/.test(cleaned)) return null;
    return parseFloat(cleaned);
  }

  function show(row) {
    var plan = parseFloat(row.getAttribute("data-plan"));
    var input = row.querySelector("input[name$='-output']");
    var cell = row.querySelector("[data-fulfilment]");
    if (!input || !cell) return;
    var output = parse(input.value);
    if (!(plan > 0) || output === null) {
      cell.textContent = "—";
      return;
    }
    cell.textContent = (Math.round((output / plan) * 1000) / 10).toFixed(1).replace(".", ",");
  }

  grid.querySelectorAll("tr[data-plan]").forEach(function (row) {
    var input = row.querySelector("input[name$='-output']");
    if (input) input.addEventListener("input", function () { show(row); });
  });
})();
