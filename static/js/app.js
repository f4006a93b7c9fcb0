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

// A save that fails must say so. htmx does not swap a 5xx response (see htmx-config in base.html)
// and a request that never reached the server has no response at all; either way the previous
// "✓ Saved" would stay. Write the failure where the save's own status goes (or, for a control that
// redraws a whole region, such as a roadmap step's status, in the page's alert line), as an alert
// for screen readers. The learner's input is left as it is, so trying again resends it.
function showSaveFailure(event, message) {
  var target = event.detail.target;
  var region = target && (target.matches("[role=status], .status") ? target : null);
  if (!region) {
    region = document.getElementById("request-error");
  }
  if (!region) { return; }
  var span = document.createElement("span");
  span.className = "error";
  span.setAttribute("role", "alert");
  span.textContent = message;
  region.replaceChildren(span);
  region.hidden = false;
}
document.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr ? event.detail.xhr.status : 0;
  showSaveFailure(event, "Not saved: the server had a problem (error " + status + "). " +
    "What you entered is still here; try again in a moment.");
});
document.addEventListener("htmx:sendError", function (event) {
  showSaveFailure(event, "Not saved: the server could not be reached. " +
    "What you entered is still here; check your connection and try again.");
});
// A later successful save (not a poll or a navigation) clears the page's alert line.
document.addEventListener("htmx:afterRequest", function (event) {
  var region = document.getElementById("request-error");
  var config = event.detail.requestConfig;
  if (region && event.detail.successful && config && config.verb !== "get") {
    region.replaceChildren();
    region.hidden = true;
  }
});

// Arriving at a roadmap step from the map (/roadmap/#step-N): open the step and put keyboard focus
// on its status, so the learner can tick it off at once. Arriving at a comment thread (a
// notification's /roadmap/#thread-slug): open the step it is in and bring it into view. On "load",
// after the browser has scrolled to the fragment (which moves the focus starting point there).
function openTargetStep() {
  var target = /^#(step|thread)-[\w-]+$/.test(location.hash) && document.getElementById(location.hash.slice(1));
  if (!target) { return; }
  var details = target.matches("li.step") ? target.querySelector("details") : target.closest("details");
  if (details) { details.open = true; }
  var status = target.matches("li.step") && target.querySelector("select[name=status]");
  if (status) { status.focus(); } else { target.scrollIntoView(); }
}
window.addEventListener("load", openTargetStep);
window.addEventListener("hashchange", openTargetStep);

// The navigation's menu button (shown on narrow screens): opens and closes the links; Escape closes
// them and gives focus back to the button.
(function () {
  var button = document.querySelector(".nav-toggle");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) { return; }
  function setOpen(open) {
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("is-open", open);
  }
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();

// A choice changed from the keyboard (arrow keys in a radio group, or on a closed select) is saved
// when the learner presses Enter or leaves the form, not at every key press on the way to it: a
// step's status redraws the whole roadmap, and every self-rating is kept in the rating history.
// Forms opt in with data-save-settled; a click saves at once, as before.
(function () {
  var KEYS = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"];
  function settledForm(node) {
    return node && node.closest ? node.closest("form[data-save-settled]") : null;
  }
  function saveNow(form) {
    var save = form.pendingSave;
    form.pendingSave = null;
    if (save) { save(); }
  }
  document.addEventListener("keydown", function (event) {
    var form = settledForm(event.target);
    if (!form) { return; }
    if (KEYS.indexOf(event.key) >= 0) { form.dataset.keyed = "true"; }
    if (event.key === "Enter" && form.pendingSave) {
      event.preventDefault();
      saveNow(form);
    }
  });
  document.addEventListener("htmx:confirm", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches("form[data-save-settled]")) { return; }
    var trigger = event.detail.triggeringEvent;
    var keyed = form.dataset.keyed === "true" && trigger && trigger.type === "change";
    delete form.dataset.keyed;
    form.pendingSave = null;  // a click saves what is chosen now
    if (!keyed) { return; }
    event.preventDefault();
    form.pendingSave = function () { event.detail.issueRequest(true); };
    var status = form.querySelector("[role=status]");
    if (status) { status.textContent = "Not saved yet: press Enter, or move on, to save."; }
  });
  document.addEventListener("focusout", function (event) {
    var form = settledForm(event.target);
    if (form && form.pendingSave && !form.contains(event.relatedTarget)) { saveNow(form); }
  });
})();

// Keyboard focus survives a redraw of the roadmap: htmx puts it back on a control with an id; for
// anything else inside (a step's summary after tabbing on from its status), find the same element.
var focusBefore = null;
document.addEventListener("htmx:beforeSwap", function (event) {
  var target = event.detail.target, active = document.activeElement;
  focusBefore = null;
  if (!target || target.id !== "roadmap" || !active || active.id || !target.contains(active)) { return; }
  var anchor = active.parentElement.closest("[id]");
  if (!anchor) { return; }
  var same = Array.prototype.indexOf.call(anchor.querySelectorAll(active.tagName), active);
  focusBefore = {anchor: anchor.id, tag: active.tagName, index: same};
});
document.addEventListener("htmx:afterSettle", function () {
  if (!focusBefore) { return; }
  var anchor = document.getElementById(focusBefore.anchor);
  var element = anchor && anchor.querySelectorAll(focusBefore.tag)[focusBefore.index];
  focusBefore = null;
  if (element) { element.focus(); }
});

// The learner's time zone as the browser knows it, for the hidden field of the sign-up and profile
// forms (careerpath/forms.py, assessments/forms.py), and, for a signed-in learner whose profile has
// none yet (the page names where to send it: base.html), sent in the background; once stored, pages
// stop asking. A zone the server does not know is not sent again in this browser session. Without
// JavaScript times stay in UTC.
var browserTimeZone = "";
try {
  browserTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
} catch (error) { /* a browser without Intl: UTC */ }
if (browserTimeZone) {
  document.querySelectorAll("input[data-detect-time-zone]").forEach(function (input) {
    input.value = browserTimeZone;
  });
  sendTimeZone(document.body.getAttribute("data-time-zone-detect"));
}
function sendTimeZone(url) {
  var refusedKey = "time-zone-refused";
  try {
    if (!url || sessionStorage.getItem(refusedKey) === browserTimeZone) { return; }
  } catch (error) { /* storage refused: send */ }
  var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");  // the CSRF token
  fetch(url, {method: "POST", headers: headers, body: new URLSearchParams({time_zone: browserTimeZone}),
              credentials: "same-origin"}).then(function (response) {
    if (response.status !== 400) { return; }
    try { sessionStorage.setItem(refusedKey, browserTimeZone); } catch (error) { /* asked again next page */ }
  }, function () { /* offline: asked again on the next page */ });
}
