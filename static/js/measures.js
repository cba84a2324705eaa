// The measure form: the authors list shows the workers of the chosen section only (the
// server accepts only them anyway). Authors already chosen in another section stay
// visible, so nothing selected is ever hidden.
(function () {
  "use strict";
  const section = document.querySelector("select[data-measure-section]");
  const authors = document.querySelector("select[data-authors]");
  if (!section || !authors) return;

  function filter() {
    const chosen = section.selectedOptions.length ? section.selectedOptions[0].text : "";
    authors.querySelectorAll("optgroup").forEach(function (group) {
      const selected = Array.from(group.children).some(function (o) { return o.selected; });
      group.hidden = Boolean(chosen) && section.value !== "" && group.label !== chosen && !selected;
    });
  }

  section.addEventListener("change", filter);
  filter();
})();
