/* Arrow-key navigation for search fields with live results (progressive enhancement, no dependency).
 *
 * Markup: <form data-autocomplete data-autocomplete-results="ID"> with an <input data-autocomplete-input>;
 * the element #ID holds the result links (replaced by htmx as the user types).
 * Keys: ↓ from the field goes to the first result; ↓/↑ move between results (↑ from the first goes back
 * to the field); Home/End jump to the first/last result; Escape returns to the field. Enter follows the link.
 */
(function () {
  "use strict";

  function setup(form) {
    var input = form.querySelector("[data-autocomplete-input]");
    var results = document.getElementById(form.getAttribute("data-autocomplete-results"));
    if (!input || !results) {
      return;
    }
    function links() {
      return Array.prototype.slice.call(results.querySelectorAll("a[href]"));
    }
    input.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown") {
        return;
      }
      var items = links();
      if (items.length) {
        event.preventDefault();
        items[0].focus();
      }
    });
    results.addEventListener("keydown", function (event) {
      var items = links();
      var index = items.indexOf(document.activeElement);
      if (index < 0) {
        return;
      }
      var target = null;
      if (event.key === "ArrowDown") {
        target = items[Math.min(index + 1, items.length - 1)];
      } else if (event.key === "ArrowUp") {
        target = index === 0 ? input : items[index - 1];
      } else if (event.key === "Home") {
        target = items[0];
      } else if (event.key === "End") {
        target = items[items.length - 1];
      } else if (event.key === "Escape") {
        target = input;
      }
      if (target) {
        event.preventDefault();
        target.focus();
      }
    });
  }

  document.querySelectorAll("[data-autocomplete]").forEach(setup);
})();
