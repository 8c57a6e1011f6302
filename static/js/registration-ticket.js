/* Ticket page: a print button (printing also works from the browser menu). */
(function () {
  "use strict";
  var link = document.querySelector(".print-link");
  if (!link) { return; }
  link.hidden = false;
  link.addEventListener("click", function (event) { event.preventDefault(); window.print(); });
})();
