/* Shows when the content was last reviewed against its sources, like the NHS's "Page last
 * reviewed". The date is `last_reviewed` in knowledge/answers.yml, passed on by config.js. */
(function () {
  "use strict";

  var date = (window.DYSTONIA_CHAT_CONFIG || {}).lastReviewed;
  var line = document.getElementById("last-reviewed");
  if (!line || !date) return;
  var time = line.querySelector("time");
  time.dateTime = date;
  time.textContent = new Date(date + "T00:00:00Z").toLocaleDateString("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
  line.hidden = false;
})();
