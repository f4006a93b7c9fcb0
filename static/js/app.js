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

// Changing a step's status re-renders the whole roadmap (progress bars and hours change too). htmx
// itself gives focus back to the control with the same id; keep the steps the learner had opened open.
var openedSteps = null;
document.addEventListener("htmx:beforeSwap", function (event) {
  var target = event.detail.target;
  if (!target || target.id !== "roadmap") { return; }
  openedSteps = Array.prototype.map.call(target.querySelectorAll("li.step details[open]"), function (details) {
    return details.closest("li.step").id;
  });
});
document.addEventListener("htmx:afterSettle", function () {
  if (!openedSteps) { return; }
  openedSteps.forEach(function (id) {
    var details = document.querySelector("#" + id + " details");
    if (details) { details.open = true; }
  });
  openedSteps = null;
});
