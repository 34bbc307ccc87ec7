/* A list cell cut with an ellipsis (huzhou.css) shows its whole text on hover. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#changelist td, #changelist th").forEach(function (cell) {
      if (cell.scrollWidth > cell.clientWidth && !cell.title) {
        cell.title = cell.textContent.trim();
      }
    });
  });
})();
