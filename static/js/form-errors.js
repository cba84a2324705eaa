// A form on this page was refused: the summary at the top says so; take the user to the
// first error (the first invalid field, else the first error shown in a form, else the
// summary itself) — on a long page (a claim's) the form is far below the title.
(function () {
  "use strict";
  // Grids (timesheet, output) print a cell's error beside its input without marking the
  // input: mark it, so that it is outlined and can take the focus.
  function markGridInputs() {
    document.querySelectorAll("main form .invalid-feedback").forEach(function (feedback) {
      var cell = feedback.parentElement;
      var input = cell && cell.querySelector("input:not([type=hidden]), select, textarea");
      if (input) input.classList.add("is-invalid");
    });
  }
  function firstError() {
    return (
      document.querySelector("main form .is-invalid:not([type=hidden])") ||
      document.querySelector("main form .invalid-feedback, main form .errorlist") ||
      document.querySelector("main form .alert-danger") ||
      document.querySelector("[data-error-summary]")
    );
  }
  function go() {
    markGridInputs();
    var target = firstError();
    if (!target) return;
    target.scrollIntoView({ block: "center" });
    var focusable = target.matches("input, select, textarea, button, [tabindex]")
      ? target
      : target.querySelector("input, select, textarea");
    if (focusable) focusable.focus({ preventScroll: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", go);
  } else {
    go();
  }
})();
