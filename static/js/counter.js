// The counter keeps what the host chose. Without this file the counter
// still works (plain forms and links); with it:
// - the chosen visitor, the ticked topics and the ticked offers live in the
//   page's address (?bezoeker=…&topics=…&aanbod=…&sessie=…), which the
//   server renders from, so Back, a reload or a detour keep them;
// - the offer panel, reloaded when the topics change, keeps every tick;
// - a slip opens in a dialog over the counter (Back or Escape closes it;
//   Back after closing it stays on the counter with the choices);
// - a visit's follow-up opens under it, takes the focus and is announced.
(function () {
  "use strict";
  var form = document.getElementById("new-visit");
  var dialog = document.getElementById("slip-dialog");
  var KEPT = { resident: "bezoeker", topics: "topics", aanbod: "aanbod", sessie: "sessie" };

  function controls(name) {
    return Array.prototype.filter.call(document.querySelectorAll('[name="' + name + '"]'),
      function (el) { return el.form === form; });
  }

  function keepChoicesInAddress(clear) {
    var url = new URL(window.location.href);
    Object.keys(KEPT).forEach(function (name) {
      url.searchParams.delete(KEPT[name]);
      if (clear) { return; }
      controls(name).forEach(function (el) {
        if (el.checked && el.value) { url.searchParams.append(KEPT[name], el.value); }
      });
    });
    // The offer panel's search words too (?zoek=…), so Back and a reload
    // show the same offers.
    var box = document.getElementById("offer-search-text");
    url.searchParams.delete("zoek");
    if (!clear && box && box.value.trim()) { url.searchParams.set("zoek", box.value.trim()); }
    if (url.href !== window.location.href) {
      window.history.replaceState(window.history.state, "", url.href);
    }
  }

  if (form) {
    document.addEventListener("change", function (event) {
      if (event.target.form === form && KEPT[event.target.name]) { keepChoicesInAddress(); }
    });
    // Once the visit is saved its choices are done with: Back after saving
    // must not offer the same visit again.
    form.addEventListener("submit", function () { keepChoicesInAddress(true); });
    // Ticks made while the panel reloads are kept too.
    var ticked = [];
    document.addEventListener("htmx:beforeSwap", function (event) {
      if (event.detail.target.id !== "offer-panel-body") { return; }
      ticked = Array.prototype.map.call(
        event.detail.target.querySelectorAll("input:checked"),
        function (el) { return el.name + "=" + el.value; });
    });
    document.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target.id !== "offer-panel-body") { return; }
      event.detail.target.querySelectorAll("input[type=checkbox]").forEach(function (el) {
        if (ticked.indexOf(el.name + "=" + el.value) >= 0) { el.checked = true; }
      });
      keepChoicesInAddress();
    });
    // The browser may bring back ticks the server did not render (Back to a
    // page from before this script kept them): the panel follows them.
    var restored = controls("topics").some(function (el) {
      return el.checked !== el.defaultChecked;
    });
    if (restored && window.htmx) {
      window.htmx.trigger("#visit-topics", "change");
    }
    keepChoicesInAddress();
  }

  // The queue (and the coach's list) is swapped whole after every step and,
  // when something changed, every 15 seconds. A control keeps the focus when
  // it is still there (htmx refocuses an element with the same id); when it
  // is gone (the visit moved on), the focus goes to that visit's first
  // action; when that is out of sight (folded under "finished earlier", or
  // on another page), to the message that names the visitor, else to the
  // list's title. The folded "finished earlier" list stays as the host left
  // it.
  var lastVisit = null;
  var finishedOpen = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || (target.id !== "queue" && target.id !== "handovers")) { return; }
    var active = document.activeElement;
    var visit = active && target.contains(active) ? active.closest("[data-visit]") : null;
    lastVisit = visit ? { id: visit.getAttribute("data-visit"), list: target.id } : null;
    if (!visit && active && target.contains(active)) { lastVisit = { id: null, list: target.id }; }
    var folded = document.getElementById("finished-today");
    finishedOpen = folded ? folded.open : null;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var list = document.getElementById(event.detail.target && event.detail.target.id);
    var folded = document.getElementById("finished-today");
    if (folded && finishedOpen) { folded.open = true; }
    if (!lastVisit || !list || (list.id !== "queue" && list.id !== "handovers")) { return; }
    var wanted = lastVisit;
    lastVisit = null;
    if (document.activeElement && document.activeElement !== document.body &&
        list.contains(document.activeElement)) { return; }
    var visit = wanted.id ? list.querySelector('[data-visit="' + wanted.id + '"]') : null;
    // Its next step: a button (finish, hand over) or a follow-up, else a link.
    var next = visit && (visit.querySelector("button, a.button") ||
                         visit.querySelector("a[href]"));
    if (next) {
      next.focus();
      if (document.activeElement === next) { return; }
    }
    var target = list.querySelector(".messages") || list.querySelector("h2");
    if (target) {
      target.setAttribute("tabindex", "-1");
      target.focus();
    }
  });
  // A new visit that could not be saved comes back with its errors: the
  // focus goes to their summary, which says what to correct.
  var errors = form && form.querySelector(".form-errors");
  if (errors) {
    errors.setAttribute("tabindex", "-1");
    errors.focus({ preventScroll: false });
  }
  // After the new visit was saved (the page comes back with its message),
  // the host is ready for the next visitor: the focus goes to the search.
  if (form && document.querySelector(".message-success")) {
    var search = document.getElementById("id_q");
    if (search && !window.location.hash) { search.focus({ preventScroll: true }); }
  }

  // A follow-up (enrolment, hand-out, referral) opens in the slot under the
  // visit that asked for it: one at a time, the focus moves to its title
  // and the live region says where it opened. Works on the counter and on
  // the coach queue.
  var announcer = document.getElementById("counter-announcer");
  function focusTitle(slot) {
    var title = slot.querySelector(".followup-title, h2, h3");
    if (!title) { return; }
    title.setAttribute("tabindex", "-1");
    title.focus();
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    var slot = event.detail.target;
    if (!slot.classList || !slot.classList.contains("followup-slot")) { return; }
    document.querySelectorAll(".followup-slot").forEach(function (other) {
      if (other !== slot) { other.innerHTML = ""; }
    });
    focusTitle(slot);
    var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (announcer && trigger && trigger.getAttribute("data-announce")) {
      announcer.textContent = trigger.getAttribute("data-announce");
    }
  });
  // A step inside an open follow-up (enrol, interest list) replaces part of
  // it: the focus stays in the follow-up, not on the page's top.
  document.addEventListener("htmx:afterSettle", function () {
    if (document.activeElement && document.activeElement !== document.body) { return; }
    var open = Array.prototype.filter.call(document.querySelectorAll(".followup-slot"),
      function (slot) { return slot.children.length > 0; });
    if (open.length) { focusTitle(open[0]); }
  });

  if (!dialog) { return; }
  var SLIP_STATE = "counter-slip";
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "slip-body") { return; }
    if (!dialog.open) {
      dialog.showModal();
      window.history.pushState({ counter: SLIP_STATE }, "", window.location.href);
    }
    var title = document.getElementById("slip-title");
    if (title) {
      title.setAttribute("tabindex", "-1");
      title.focus();
    }
  });
  dialog.addEventListener("click", function (event) {
    if (event.target.closest("[data-close-slip]")) { dialog.close(); }
  });
  // Closing (button, Escape) turns the history step the slip added into the
  // counter again, with the choices in its address. Going back a step here
  // (history.back) would make the host's next Back leave the counter, and
  // a tick made before that asynchronous step landed would be written into
  // the step being dropped; so Back after closing stays on the counter.
  dialog.addEventListener("close", function () {
    if (window.history.state && window.history.state.counter === SLIP_STATE) {
      window.history.replaceState(null, "", window.location.href);
      if (form) { keepChoicesInAddress(); }
    }
  });
  window.addEventListener("popstate", function () {
    if (dialog.open) { dialog.close(); }
    // Back within the counter: the address says what the page shows.
    if (form) { keepChoicesInAddress(); }
  });
})();
