// Info screen: show the digibank's messages one at a time. Without this
// file every message stays visible as a list.
(function () {
  "use strict";
  function rotate(section) {
    var items = section.querySelectorAll(".screen-message");
    if (items.length < 2) { return; }
    var seconds = parseInt(section.getAttribute("data-rotate"), 10) || 10;
    var current = 0;
    section.classList.add("rotating");
    items.forEach(function (item, index) { item.hidden = index !== 0; });
    window.setInterval(function () {
      items[current].hidden = true;
      current = (current + 1) % items.length;
      items[current].hidden = false;
    }, seconds * 1000);
  }
  document.querySelectorAll(".screen-messages[data-rotate]").forEach(rotate);
})();
