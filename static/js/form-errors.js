// A form on this page was refused: the summary at the top says so; take the user to the
// first error (the first invalid field, else the first error shown in a form, else the
// summary itself) — on a long page (a claim's) the form is far below the title.
(function () {
  "use strict";
  function firstError() {
    return (
      document.querySelector("main form .is-invalid:not([type=hidden])") ||
      document.querySelector("main form .invalid-feedback, main form .alert-danger, main form .errorlist") ||
      document.querySelector("[data-error-summary]")
    );
  }
  function go() {
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
