// Small helpers on top of plain HTML: the site works without this file.
(function () {
  "use strict";

  // After htmx swaps a step in, move focus to the error summary or the new heading, so that a
  // screen reader announces the new page and keyboard users start from the top.
  function focusPage(root) {
    var target = root.querySelector("[data-focus]") || root.querySelector("[data-heading]");
    if (target) {
      target.focus({ preventScroll: false });
    }
  }

  function enableCopyButtons(root) {
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) {
        return;
      }
      button.hidden = false;
      if (button.dataset.ready) {
        return;
      }
      button.dataset.ready = "1";
      button.addEventListener("click", function () {
        var field = document.getElementById(button.dataset.copy);
        var status = button.parentNode.querySelector(".copy-status");
        // A read-only field holds the link as its value; a plain link as its address.
        var text = field.value !== undefined ? field.value : field.href;
        navigator.clipboard.writeText(text).then(
          function () { if (status) { status.textContent = "Link copied."; } },
          function () {
            if (field.select) { field.select(); }
            if (status) { status.textContent = "Select the link and copy it."; }
          }
        );
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enableCopyButtons(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var main = document.getElementById("main");
    if (main && event.detail.target === main) {
      enableCopyButtons(main);
      focusPage(main);
    }
  });
})();
