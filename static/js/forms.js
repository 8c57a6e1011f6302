// After a refused submit, take the reader to the summary of what to correct (it links
// each faulty field), instead of leaving focus at the top of the page.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
