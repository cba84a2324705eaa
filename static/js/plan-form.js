// Personal plan forms: show only the inputs the chosen method uses (fields carry
// data-methods="average table …"); the server ignores the others and calculates anyway.
(function () {
  "use strict";
  document.querySelectorAll("select[data-plan-method]").forEach(function (select) {
    const form = select.form;
    function sync() {
      form.querySelectorAll("[data-methods]").forEach(function (input) {
        const wrapper =
          input.closest("[data-method-wrap]") || input.closest(".mb-3") || input.parentElement;
        const used = input.dataset.methods.split(" ").indexOf(select.value) !== -1;
        wrapper.hidden = !used;
      });
    }
    select.addEventListener("change", sync);
    sync();
  });
})();
