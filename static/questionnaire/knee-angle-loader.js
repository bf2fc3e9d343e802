// Shows the knee-angle tool's button on the pages that have the tool's box, and loads the tool
// (its script, styles and, only on request, the pose model) when the person opens it. Kept tiny:
// it is the only part every visit to the page downloads. Without JavaScript the box stays hidden
// and the page's own number field is all there is.
function openTool(box, button) {
  const say = (text) => {
    box.querySelector("[data-knee-angle-status]").textContent = text;
  };
  button.disabled = true;
  say("Opening the angle tool…");
  if (!document.querySelector(`link[href="${box.dataset.styles}"]`)) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = box.dataset.styles;
    document.head.append(link);
  }
  import(box.dataset.module).then(
    (tool) => {
      tool.mount(box);
      button.hidden = true;
      say("");
      box.querySelector(".ka-tool input").focus();
    },
    () => {
      button.disabled = false;
      say("The angle tool could not be loaded. Check your connection and try again, or type your angle below.");
    },
  );
}

function init() {
  for (const box of document.querySelectorAll("[data-knee-angle]:not([data-ready])")) {
    box.dataset.ready = "";
    box.hidden = false;
    const button = box.querySelector("[data-knee-angle-open]");
    button.addEventListener("click", () => openTool(box, button));
  }
}

init();
// Pages swapped in by htmx: a module runs once per page load, so watch for new boxes.
document.addEventListener("htmx:load", init);
