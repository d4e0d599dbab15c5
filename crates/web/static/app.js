// antq: the little JavaScript the pages use. Everything works without it;
// htmx only makes search live. Cookie-authenticated htmx writes send the
// session's CSRF token from the page's meta tag.
document.addEventListener("htmx:configRequest", function (evt) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) {
    evt.detail.headers["X-CSRF-Token"] = meta.content;
  }
});

// "In" (print) buttons: the CSP forbids inline handlers, so buttons say
// data-print and this one listener prints.
document.addEventListener("click", function (evt) {
  if (evt.target.closest && evt.target.closest("[data-print]")) {
    window.print();
  }
});

// Escape closes the open navigation menu (a <details> that works without
// JavaScript) and gives the focus back to its button.
document.addEventListener("keydown", function (evt) {
  if (evt.key !== "Escape") return;
  var menu = document.querySelector("details.menu[open]");
  if (menu) {
    menu.removeAttribute("open");
    var summary = menu.querySelector("summary");
    if (summary) summary.focus();
  }
});
