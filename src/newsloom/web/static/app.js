/* newsloom progressive enhancements. The pages work without this file.
   - Filter selects submit their form when changed.
   - Times are also shown in the reader's own time zone (in the title). */
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll("time[datetime]").forEach(function (time) {
    var moment = new Date(time.getAttribute("datetime"));
    if (!isNaN(moment.getTime())) {
      time.title = moment.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
    }
  });
  var quote = document.getElementById("quote");
  if (quote && window.location.hash === "#quote") {
    quote.setAttribute("tabindex", "-1");
    quote.focus({ preventScroll: false });
  }
});
