// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Buttons and links with data-confirm ask before they act.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  // On a small screen the site menu starts folded (it is open without
  // JavaScript and on wide screens).
  var menu = document.querySelector("[data-compact-menu]");
  if (menu && window.matchMedia) {
    var small = window.matchMedia("(max-width: 40rem)");
    var fit = function () { menu.open = !small.matches; };
    fit();
    small.addEventListener("change", fit);
  }
  // A page that comes back with a refusal or a question (the error summary
  // of a form, a clash confirmation) carries data-focus-on-load: focus it,
  // so it is seen and read out, however long the page above it.
  var first = document.querySelector("[data-focus-on-load]");
  if (first) { first.focus(); }
  // After htmx swaps in a fragment that carries data-autofocus, focus it.
  document.addEventListener("htmx:afterSettle", function (event) {
    var el = event.target.querySelector("[data-autofocus]");
    if (el) { el.focus(); }
  });
})();
// Print buttons (no inline script under our CSP).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
// Folded sections print unfolded (and fold back after printing).
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details:not([open])").forEach(function (el) {
    el.setAttribute("open", "");
    el.setAttribute("data-printed-open", "");
  });
});
window.addEventListener("afterprint", function () {
  document.querySelectorAll("details[data-printed-open]").forEach(function (el) {
    el.removeAttribute("open");
    el.removeAttribute("data-printed-open");
  });
});
