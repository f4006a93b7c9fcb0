// Scripts run: show what needs them (".js-only"), such as the quiz's Previous/Next links, which
// without JavaScript would leave a picked answer unsaved (the "Save and …" buttons do it instead).
document.documentElement.classList.remove("no-js");

// After htmx swaps in new content by navigation (a GET, such as the next question), move keyboard
// focus to its heading, as a full page load would, so screen-reader and keyboard users land on it.
// Saving an answer (a POST) leaves focus on the choice the learner just picked.
document.addEventListener("htmx:afterSettle", function (event) {
  var config = event.detail.requestConfig;
  if (!config || config.verb !== "get") { return; }
  var heading = document.querySelector("[data-focus-on-swap]");
  if (heading) { heading.focus(); }
});
