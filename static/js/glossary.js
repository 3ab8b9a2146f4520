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
  // Keep an open explanation inside the screen: near the right edge (a
  // phone) it is moved left, so it is never clipped and the page never
  // scrolls sideways; with no room below the term it opens above it. Each
  // time, the inline position left by an earlier opening is cleared first
  // and the tip is measured afresh against the viewport, so opening and
  // closing other tips leaves no stale offset behind.
  var EDGE = 8;
  function place(event) {
    var term = event.target.closest && event.target.closest(".term");
    if (!term) { return; }
    var tip = term.querySelector(".term-tip");
    if (!tip) { return; }
    tip.style.left = "";
    tip.style.top = "";
    tip.style.bottom = "";
    window.requestAnimationFrame(function () {
      tip.style.left = "";
      tip.style.top = "";
      tip.style.bottom = "";
      var rect = tip.getBoundingClientRect();
      if (!rect.width) { return; }
      var viewport = document.documentElement.clientWidth;
      var shift = 0;
      if (rect.right > viewport - EDGE) { shift = viewport - EDGE - rect.right; }
      if (rect.left + shift < EDGE) { shift = EDGE - rect.left; }
      tip.style.left = shift + "px";
      var below = window.innerHeight - term.getBoundingClientRect().bottom;
      if (rect.height > below && term.getBoundingClientRect().top > rect.height) {
        tip.style.top = "auto";
        tip.style.bottom = "100%";
      }
    });
  }
  document.addEventListener("mouseover", place);
  document.addEventListener("focusin", place);
  document.addEventListener("click", place);
})();
