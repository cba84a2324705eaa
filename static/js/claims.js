// Filing a claim: when the type changes, swap in its loss calculator and its list of
// required documents (blocks the server rendered into <template data-type="…">), keeping
// the numbers already typed into inputs of the same name. The server computes the loss
// («Рассчитать») and checks everything again on filing; this only saves a round trip.
(function () {
  "use strict";
  const select = document.querySelector("select[data-claim-type]");
  const block = document.querySelector("[data-type-block]");
  if (!select || !block) return;

  function swap() {
    const template = document.querySelector('template[data-type="' + select.value + '"]');
    if (!template) return;
    const typed = {};
    block.querySelectorAll("input[name^='loss_']").forEach(function (input) {
      typed[input.name] = input.value;
    });
    block.replaceChildren(template.content.cloneNode(true));
    block.querySelectorAll("input[name^='loss_']").forEach(function (input) {
      if (typed[input.name]) input.value = typed[input.name];
    });
  }

  select.addEventListener("change", swap);
  // A type chosen before this script ran (a fast hand, a slow page) still gets its block.
  if (select.value && !block.querySelector("input[name^='loss_']")) swap();
})();
