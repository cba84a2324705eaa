// Timesheet grid: tariff earnings (rate × hours, to the kopeck) shown as you type.
// The server recomputes everything on save; this is only the preview.
(function () {
  "use strict";
  const table = document.querySelector("[data-timesheet]");
  if (!table) return;
  const format = new Intl.NumberFormat("ru-RU", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  // "1 234,5" or "1234.5" -> kopecks of the decimal's value times rate (as integers)
  function parse(text) {
    const cleaned = String(text).replace(/[\s\u00a0]/g, "").replace(",", ".");
    if (cleaned === "") return 0;
    return /^\d+(\.\d+)?$/.test(cleaned) ? cleaned : null;
  }

  // rate (up to 4 places) × hours (up to 2 places), rounded half-up to the kopeck,
  // in integer arithmetic so the preview agrees with the server's Decimal.
  function tariffKopecks(rate, hours) {
    const [ri, rf = ""] = rate.split(".");
    const [hi, hf = ""] = hours.split(".");
    const r = BigInt(ri + rf.padEnd(4, "0").slice(0, 4)); // rate × 10^4
    const h = BigInt(hi + hf.padEnd(2, "0").slice(0, 2)); // hours × 10^2
    const product = r * h; // × 10^6; kopecks are × 10^2
    return Number((product + 5000n) / 10000n);
  }

  function update() {
    let total = 0;
    let hoursTotal = 0;
    table.querySelectorAll("tbody tr[data-rate]").forEach(function (row) {
      const input = row.querySelector("input[name$='-hours']");
      const cell = row.querySelector("[data-tariff]");
      const hours = parse(input.value);
      if (hours === null) {
        cell.textContent = "—";
        input.classList.add("is-invalid");
        return;
      }
      input.classList.remove("is-invalid");
      const kopecks = tariffKopecks(row.dataset.rate, String(hours));
      total += kopecks;
      hoursTotal += Number(hours);
      cell.textContent = format.format(kopecks / 100);
    });
    const totalCell = table.querySelector("[data-tariff-total]");
    if (totalCell) totalCell.textContent = format.format(total / 100);
    const hoursCell = table.querySelector("[data-hours-total]");
    if (hoursCell) hoursCell.textContent = new Intl.NumberFormat("ru-RU").format(hoursTotal);
  }

  table.addEventListener("input", update);
  update();
})();
