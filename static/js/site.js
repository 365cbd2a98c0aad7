// Behaviour every signed-in page shares. Loaded in <head> without defer so the "js" class is
// set before the header is drawn: the phone menu collapses only when this script can open it
// again, and without JavaScript every link simply stays in view.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function setUpMenu() {
    const header = document.querySelector(".site-header");
    const button = header && header.querySelector(".menu-toggle");
    if (!button) return;
    const setOpen = (open) => {
      header.classList.toggle("menu-open", open);
      button.setAttribute("aria-expanded", String(open));
    };
    button.addEventListener("click", () => setOpen(!header.classList.contains("menu-open")));
    header.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && header.classList.contains("menu-open")) {
        setOpen(false);
        button.focus();
      }
    });
  }

  // A form that htmx opens in place (an Edit or Add link) takes the focus, so a keyboard or
  // screen-reader user lands in it rather than on the page's body; a form sent back with
  // errors puts the focus on the first field to correct. Polled swaps (no click, no submit)
  // never move the focus.
  const FIELDS =
    "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";

  function focusSwappedForm(event) {
    const root = event.target;
    const config = event.detail && event.detail.requestConfig;
    const trigger = config && config.triggeringEvent && config.triggeringEvent.type;
    if (!root.isConnected || !["click", "submit"].includes(trigger)) return;
    const invalid = root.querySelector('[aria-invalid="true"]');
    if (invalid) {
      invalid.focus();
      return;
    }
    if (config.verb !== "get") return;
    const form = root.matches("form") ? root : root.querySelector("form");
    const field = form && (form.querySelector("[autofocus]") || form.querySelector(FIELDS));
    if (field) field.focus();
  }

  // A table wider than the screen scrolls inside its wrapper; a keyboard user can scroll it
  // only once the wrapper takes the focus, and a screen reader then names it after the table.
  function makeScrollersReachable(root) {
    root.querySelectorAll(".table-wrap:not([tabindex])").forEach((wrap) => {
      if (wrap.scrollWidth <= wrap.clientWidth) return;
      const caption = wrap.querySelector("caption");
      const heading = wrap.closest("section, .panel, main").querySelector("h1, h2, h3");
      const name = (caption || heading || {}).textContent;
      wrap.tabIndex = 0;
      if (!wrap.hasAttribute("role")) wrap.setAttribute("role", "region");
      if (name && !wrap.hasAttribute("aria-label")) wrap.setAttribute("aria-label", name.trim());
    });
  }

  // A folded group (core/folds.py) loads its content when opened. It carries the ids of what
  // it holds as empty anchors, so a link to one (#theory-12 from the plan page) opens the
  // group, and once the content has arrived the page scrolls to the thing itself.
  function openFoldHolding() {
    const target = location.hash && document.getElementById(location.hash.slice(1));
    const fold = target && target.closest("details.fold");
    if (fold && !fold.open) fold.open = true;
  }

  function landInOpenedFold(event) {
    if (!event.target.matches(".fold-body")) return;
    const target = location.hash && document.getElementById(location.hash.slice(1));
    if (!target || !event.target.contains(target)) return;
    // Once the fonts the new cards ask for have arrived: they reflow the cards above it.
    document.fonts.ready.then(() => target.scrollIntoView());
  }

  document.addEventListener("htmx:afterSettle", focusSwappedForm);
  document.addEventListener("htmx:afterSettle", landInOpenedFold);
  window.addEventListener("hashchange", openFoldHolding);
  document.addEventListener("htmx:afterSettle", (event) => makeScrollersReachable(event.target));
  document.addEventListener("DOMContentLoaded", () => {
    setUpMenu();
    makeScrollersReachable(document);
    openFoldHolding();
  });
})();
