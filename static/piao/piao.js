// Keeps a double click from sending a form twice (the server refuses a stale second send anyway) and,
// when a step takes a while (a PDF of the whole plan is rendered in seconds), says that it is under way.
// GET forms (filters, downloads) may be sent again freely.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if ((form.getAttribute("method") || "get").toLowerCase() !== "post") { return; }
  if (form.dataset.sent === "1") { event.preventDefault(); return; }
  form.dataset.sent = "1";
  var buttons = form.querySelectorAll("button[type=submit]");
  buttons.forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
  window.setTimeout(function () {
    if (form.dataset.sent !== "1" || !buttons.length || form.querySelector(".piao-in-corso")) { return; }
    var note = document.createElement("p");
    note.className = "piao-in-corso small mt-2 mb-0";
    note.setAttribute("role", "status");
    note.textContent = "Operazione in corso, attendere: non ricaricare la pagina.";
    buttons[buttons.length - 1].insertAdjacentElement("afterend", note);
  }, 800);
});
// A page restored from the browser's cache (the back button) can be sent again.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) { return; }
  document.querySelectorAll("form[data-sent]").forEach(function (form) {
    delete form.dataset.sent;
    form.querySelectorAll("button[aria-disabled]").forEach(function (b) { b.removeAttribute("aria-disabled"); });
    form.querySelectorAll(".piao-in-corso").forEach(function (n) { n.remove(); });
  });
});
// A "print" button, without an inline handler (the content security policy allows no inline script).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-stampa]")) { window.print(); }
});
// A page sent back with errors opens on their summary: it takes the focus, so it is read first, and each
// of its links moves to the field (opening the panel that holds it) instead of only scrolling there.
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
})();
document.addEventListener("click", function (event) {
  var link = event.target.closest("[data-error-summary] a[href^='#']");
  if (!link) { return; }
  var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
  if (!target) { return; }
  event.preventDefault();
  var panel = target.closest("details");
  if (panel) { panel.open = true; }
  target.focus();
  target.scrollIntoView({ block: "center" });
});
