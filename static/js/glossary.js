// Plain words on the offer pages (outreach/glossary.py). Without this file a
// term's explanation shows on hover and focus; with it, a tap (or a click)
// opens and closes it too, and Escape hides it while the focus or the
// pointer stays on the term.
(function () {
  "use strict";
  function closeAll(except) {
    document.querySelectorAll(".term.open").forEach(function (term) {
      if (term !== except) { term.classList.remove("open"); }
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".term-button");
    if (!button) { closeAll(null); return; }
    var term = button.parentElement;
    term.classList.remove("closed");
    closeAll(term);
    term.classList.toggle("open");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll(".term").forEach(function (term) {
      term.classList.remove("open");
      if (term.matches(":hover") || term.contains(document.activeElement)) {
        term.classList.add("closed");
      }
    });
  });
  // Once the pointer and the focus leave it, a term dismissed with Escape
  // opens again on the next hover or focus.
  function reset(event) {
    var term = event.target.closest && event.target.closest(".term");
    if (term) { term.classList.remove("closed"); }
  }
  document.addEventListener("mouseout", reset);
  document.addEventListener("focusout", reset);
})();
