// Readership: count this view, and send reactions without leaving the page.
// Progressive enhancement only: without JavaScript nothing is counted and the reaction
// buttons post a plain form.
(function () {
  "use strict";

  function countView(section) {
    var url = section.getAttribute("data-view-beacon");
    var token = section.getAttribute("data-view-token");
    if (!url || !token || document.visibilityState === "prerender") {
      return;
    }
    var body = new URLSearchParams({ token: token });
    fetch(url, { method: "POST", body: body, keepalive: true, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data || typeof data.views !== "number") {
          return;
        }
        document.querySelectorAll("[data-view-count]").forEach(function (node) {
          node.textContent = String(data.views);
          var label = node.nextSibling;
          if (label && label.nodeType === Node.TEXT_NODE) {
            label.textContent = data.views === 1 ? " view" : " views";
          }
        });
      })
      .catch(function () {
        // Counting is best effort; the page is unaffected.
      });
  }

  function showResults(form, results, data) {
    var labels = {};
    form.querySelectorAll("button[name=kind]").forEach(function (button) {
      labels[button.value] = button.textContent;
      button.setAttribute("aria-pressed", button.value === data.chosen ? "true" : "false");
    });
    results.textContent = "";
    var thanks = document.createElement("p");
    thanks.textContent = "Thank you for your feedback.";
    results.appendChild(thanks);
    var list = document.createElement("ul");
    Object.keys(data.counts).forEach(function (kind) {
      var item = document.createElement("li");
      item.textContent = (labels[kind] || kind) + ": " + data.counts[kind] +
        (kind === data.chosen ? " (your choice)" : "");
      list.appendChild(item);
    });
    results.appendChild(list);
  }

  function enhanceReactions(section) {
    var form = section.querySelector("[data-reaction-form]");
    var results = section.querySelector("[data-reaction-results]");
    if (!form || !results) {
      return;
    }
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || button.name !== "kind") {
        return;
      }
      event.preventDefault();
      fetch(form.action, {
        method: "POST",
        body: new URLSearchParams({ kind: button.value }),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json().then(function (data) {
            return { ok: response.ok, data: data };
          });
        })
        .then(function (result) {
          if (result.ok) {
            showResults(form, results, result.data);
          } else {
            results.textContent = result.data.error || "Sorry, that did not work.";
          }
        })
        .catch(function () {
          results.textContent = "Sorry, that did not work. Please try again.";
        });
    });
  }

  var section = document.querySelector("[data-view-beacon], .feedback");
  if (!section) {
    return;
  }
  enhanceReactions(section);
  if (document.visibilityState === "prerender") {
    document.addEventListener("visibilitychange", function once() {
      document.removeEventListener("visibilitychange", once);
      countView(section);
    });
  } else {
    countView(section);
  }
})();
