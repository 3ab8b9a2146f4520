// The public offer guide (/aanbod/): the filter form refreshes the results
// with htmx on a change of a list or a tick box and on submit. Typing in the
// search box and pressing Enter fires "change" and "submit" both: the box's
// change is kept from the form, so one search is one request and one entry
// in the history.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches(".offer-filters input[type=search]")) {
      event.stopPropagation();
    }
  }, true);
})();
