// After htmx swaps in a new question, move keyboard focus to its heading so screen readers and
// keyboard users land on the new content, as they would after a full page load.
document.addEventListener("htmx:afterSwap", function (event) {
  var heading = event.detail.target.querySelector("[data-focus-on-swap]");
  if (heading) { heading.focus(); }
});
