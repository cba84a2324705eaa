// The time study form: the running total of the shares (work + losses) as they are typed;
// the server checks that they make 100 %.
(function () {
  "use strict";
  var form = document.querySelector("[data-time-study]");
  if (!form) return;
  var total = form.querySelector("[data-share-total]");
  var inputs = form.querySelectorAll("input[data-share]");

  function parse(text) {
    var cleaned = String(text || "").replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
    if (cleaned === "") return 0;
    if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return null;
    return Math.round(parseFloat(cleaned) * 100);
  }

  function show() {
    var sum = 0;
    for (var i = 0; i < inputs.length; i++) {
      var value = parse(inputs[i].value);
      if (value === null) { total.textContent = "—"; return; }
      sum += value;
    }
    total.textContent = (sum / 100).toFixed(2).replace(".", ",");
    total.className = sum === 10000 ? "text-success" : "text-danger";
  }

  inputs.forEach(function (input) { input.addEventListener("input", show); });
  show();
})();
