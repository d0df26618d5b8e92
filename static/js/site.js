// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // The header's sections show as a row on wide screens. Browsers that cannot show a closed
  // <details> element's content through CSS (::details-content) get it opened here.
  var menu = document.querySelector("[data-site-menu]");
  if (menu && !CSS.supports("selector(::details-content)")) {
    var wide = window.matchMedia("(min-width: 48rem)");
    var follow = function () {
      menu.open = wide.matches;
    };
    follow();
    wide.addEventListener("change", follow);
  }

  // "Copy link" next to the share links: only offered where the clipboard can be written.
  document.querySelectorAll("[data-copy-link]").forEach(function (button) {
    if (!navigator.clipboard || !window.isSecureContext) {
      return;
    }
    var status = button.parentNode.querySelector("[data-copy-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-copy-link")).then(
        function () {
          if (status) status.textContent = "Link copied.";
        },
        function () {
          if (status) status.textContent = "Could not copy the link; copy it from the address bar.";
        }
      );
    });
  });
})();
