// Live coverage: poll the page's update endpoint and show new updates without a reload.
// Progressive enhancement only: without this file the page lists every update and paginates.
(function () {
  "use strict";
  var list = document.querySelector("[data-live-entries][data-updates-url]");
  if (!list || !window.fetch) return;
  var url = list.getAttribute("data-updates-url");
  var cursor = parseInt(list.getAttribute("data-cursor"), 10) || 0;
  var every = (parseInt(list.getAttribute("data-poll-seconds"), 10) || 10) * 1000;
  var notice = document.querySelector("[data-live-notice]");
  var pending = [];
  var timer = null;

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function say(text, action) {
    notice.textContent = "";
    if (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button live-updates__show";
      button.textContent = text;
      button.addEventListener("click", action);
      notice.appendChild(button);
    } else {
      notice.textContent = text;
    }
    notice.hidden = false;
  }

  function showPending() {
    var empty = list.querySelector("[data-live-empty]");
    if (empty) empty.remove();
    var count = pending.length;
    while (pending.length) {
      list.insertBefore(fragment(pending.shift()), list.firstElementChild);
    }
    if (count) say(count === 1 ? "1 new update shown" : count + " new updates shown");
  }

  function atTop() {
    return list.getBoundingClientRect().top > -100;
  }

  function apply(data) {
    data.entries.forEach(function (entry) {
      var shown = document.querySelectorAll('[data-entry-id="' + entry.id + '"]');
      if (shown.length) {
        shown.forEach(function (element) {
          var replacement = fragment(entry.html);
          replacement.id = element.id;
          element.replaceWith(replacement);
        });
      } else {
        pending.push(entry.html);
      }
    });
    if (data.key_events_html) {
      var summary = document.querySelector("[data-live-key-events]");
      if (summary) summary.replaceWith(fragment(data.key_events_html));
    }
    cursor = Math.max(cursor, data.cursor);
    if (!data.complete) {
      say("Many new updates: reload the page to read them.");
      pending = [];
    } else if (pending.length && atTop()) {
      showPending();
    } else if (pending.length) {
      var n = pending.length;
      say(n === 1 ? "1 new update" : n + " new updates", function () {
        showPending();
        list.scrollIntoView({ behavior: "smooth" });
      });
    }
    if (data.status === "ended") {
      say("This coverage has ended. Reload the page for the full archive.");
      window.clearInterval(timer);
    }
  }

  function poll() {
    if (document.hidden) return;
    fetch(url + "?since=" + cursor, { headers: { Accept: "application/json" }, credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) apply(data); })
      .catch(function () { /* the next poll tries again */ });
  }

  timer = window.setInterval(poll, every);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });
})();
