// The competition board: choosing another shop opens its board for the same month
// (the shop is part of the path, so the form's own submit cannot change it).
(function () {
  "use strict";
  var select = document.querySelector("[data-board-shop]");
  if (!select) return;
  select.addEventListener("change", function () {
    var period = document.getElementById("board-period");
    var url = select.value;
    if (period && period.value) url += "?period=" + encodeURIComponent(period.value);
    window.location.assign(url);
  });
})();
