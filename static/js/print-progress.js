// A batch of plan sheets printing in the background: poll its status every 1.5 s and move
// the progress bar; when the file is ready show the download button and stop polling.
// The server rendered the state as it was; this only keeps it current. On the list page
// the year selector submits itself.
(function () {
  "use strict";

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });

  const card = document.querySelector("[data-print-job]");
  if (!card) return;
  const INTERVAL = 1500;
  const part = function (name) {
    return card.querySelector('[data-role="' + name + '"]');
  };
  const bar = part("bar");
  const progress = part("progress");
  const status = part("status");
  const text = part("text");
  const error = part("error");
  const errorText = part("error-text");
  const download = part("download");
  const texts = {};
  const template = document.querySelector('template[data-role="texts"]');
  if (template) {
    template.content.querySelectorAll("[data-text]").forEach(function (span) {
      texts[span.dataset.text] = span.textContent;
    });
  }
  const number = new Intl.NumberFormat(document.documentElement.lang || "ru");

  function say(key, state) {
    const phrase = texts[key];
    if (!phrase) return;
    text.textContent = phrase
      .replace("{done}", number.format(state.done))
      .replace("{total}", number.format(state.total));
  }

  function show(state) {
    const percent = Math.max(0, Math.min(100, state.percent));
    bar.style.width = percent + "%";
    bar.textContent = percent + " %";
    progress.setAttribute("aria-valuenow", String(percent));
    status.textContent = state.status_label;
    const badges = { done: "text-bg-success", failed: "text-bg-danger", running: "text-bg-primary" };
    status.className = "badge " + (badges[state.status] || "text-bg-secondary");
    if (state.status === "queued") say("queued", state);
    else if (state.merging) say("merging", state);
    else say(state.status, state);
    if (state.finished) {
      bar.classList.remove("progress-bar-striped", "progress-bar-animated");
      bar.classList.add(state.status === "done" ? "bg-success" : "bg-danger");
    }
    if (state.status === "done" && state.url) {
      download.href = state.url;
      download.classList.remove("d-none");
    }
    if (state.status === "failed") {
      errorText.textContent = state.error;
      error.classList.remove("d-none");
    }
  }

  function poll() {
    fetch(card.dataset.statusUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (!state.finished) window.setTimeout(poll, INTERVAL);
      })
      .catch(function () {
        say("lost", { done: 0, total: 0 });
        window.setTimeout(poll, INTERVAL * 2);
      });
  }

  // The width the server knew (CSP forbids inline styles, so it is set here).
  bar.style.width = Math.max(0, Math.min(100, Number(card.dataset.percent) || 0)) + "%";
  if (!card.dataset.finished) window.setTimeout(poll, INTERVAL);
})();
