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
// Rows of a formset (the phases, the indicators) added and removed on the page. A new row is the formset's
// empty form with the next index; removing a new row renumbers the new rows after it, so the indexes stay
// 0..TOTAL_FORMS-1 as Django reads them. Rows already saved are deleted with their "Elimina" box instead.
(function () {
  document.querySelectorAll("[data-formset]").forEach(function (set) {
    var prefix = set.getAttribute("data-formset");
    var total = set.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var rows = set.querySelector("[data-formset-rows]");
    var template = set.querySelector("template[data-formset-empty]");
    var add = set.querySelector("[data-formset-add]");
    var status = set.querySelector("[data-formset-status]");
    if (!total || !rows || !template || !add) { return; }
    function inAll(n) { return n === 1 ? "1 riga in tutto." : n + " righe in tutto."; }
    function rowsOf() { return Array.prototype.slice.call(rows.querySelectorAll("[data-formset-row]")); }
    function renumber(row, from, to) {
      var old = prefix + "-" + from + "-";
      var now = prefix + "-" + to + "-";
      row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value && value.indexOf(old) !== -1) { el.setAttribute(attr, value.split(old).join(now)); }
        });
      });
      row.querySelectorAll("[data-formset-num]").forEach(function (n) { n.textContent = String(to + 1); });
    }
    add.hidden = false;
    set.querySelectorAll("[data-formset-remove]").forEach(function (b) { b.hidden = false; });
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      rows.insertAdjacentHTML("beforeend",
        template.innerHTML.split("__prefix__").join(String(index)).split("__num__").join(String(index + 1)));
      total.value = String(index + 1);
      var row = rowsOf()[index];
      row.querySelectorAll("[data-formset-remove]").forEach(function (b) { b.hidden = false; });
      var first = row.querySelector("input:not([type=hidden]), textarea, select");
      if (first) { first.focus(); }
      status.textContent = "Riga " + (index + 1) + " aggiunta: " + inAll(index + 1);
    });
    set.addEventListener("click", function (event) {
      var button = event.target.closest("[data-formset-remove]");
      if (!button) { return; }
      var all = rowsOf();
      var index = all.indexOf(button.closest("[data-formset-row]"));
      if (index === -1) { return; }
      var row = all[index];
      while (row.nextElementSibling && row.nextElementSibling.hasAttribute("data-formset-errors")) {
        row.nextElementSibling.remove();
      }
      row.remove();
      for (var i = index + 1; i < all.length; i++) { renumber(all[i], i, i - 1); }
      total.value = String(all.length - 1);
      add.focus();
      status.textContent = "Riga " + (index + 1) + " rimossa: " + inAll(all.length - 1);
    });
  });
})();
