// Live notifications. A socket to /ws/notifications/ tells this page, by id only, that a notification is
// waiting or that the objective shown has changed; the texts and the page itself come over the normal
// permission-checked pages. The socket reconnects with exponential backoff and, once back, catches up from
// the inbox (GET /notifiche/nuove/?dopo=<last id>), so nothing is lost while it was down.
(function () {
  "use strict";
  var body = document.body;
  var feedUrl = body.dataset.liveFeed;
  if (!feedUrl || !("WebSocket" in window) || !window.fetch) { return; }

  var me = Number(body.dataset.liveUser);
  var lastId = Number(body.dataset.liveLast || 0);
  var inboxUrl = body.dataset.liveInbox;
  var region = document.getElementById("avvisi-live");
  var live = document.querySelector("[data-live-objective]");
  var objectiveId = live ? Number(live.dataset.liveObjective) : null;
  var operation = document.querySelector("[data-live-operation]");
  var MAX_TOASTS = 3;
  var TOAST_SECONDS = 15;

  var socket = null;
  var attempts = 0;
  var timer = null;
  var everOpened = false;
  var leaving = false;
  var fetching = false;
  var fetchAgain = false;

  window.addEventListener("pagehide", function () { leaving = true; });

  // -- the socket ---------------------------------------------------------------------------------------
  function socketUrl() {
    var scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + location.host + body.dataset.liveSocket;
  }

  function connect() {
    timer = null;
    try {
      socket = new WebSocket(socketUrl());
    } catch (err) {
      schedule();
      return;
    }
    socket.onopen = function () {
      var reconnected = everOpened;
      everOpened = true;
      attempts = 0;
      body.dataset.liveStatus = "connected";
      if (objectiveId) { socket.send(JSON.stringify({ type: "subscribe", objective: objectiveId })); }
      catchUp();
      if (reconnected && live) { refreshObjective(null); }  // what happened to it while we were away
      if (operation) { refreshOperation(); }  // how far it got while the page was loading or away
    };
    socket.onmessage = function (event) {
      var msg;
      try { msg = JSON.parse(event.data); } catch (err) { return; }
      if (msg.type === "notification") {
        catchUp();
      } else if (msg.type === "objective" && msg.objective === objectiveId) {
        refreshObjective(msg);
      } else if (msg.type === "operation" && operation && msg.operation === operation.dataset.liveOperation) {
        refreshOperation();
      } else if (msg.type === "subscribed" && live && msg.objective === objectiveId) {
        live.dataset.liveStatus = "subscribed";
      }
    };
    socket.onclose = function () {
      socket = null;
      body.dataset.liveStatus = "disconnected";
      if (live) { delete live.dataset.liveStatus; }
      if (!leaving) { schedule(); }
    };
  }

  function schedule() {
    if (timer) { return; }
    var delay = Math.min(30000, 1000 * Math.pow(2, attempts));  // 1 s, 2 s, 4 s ... at most 30 s
    attempts += 1;
    delay = delay / 2 + Math.random() * delay / 2;  // spread the reconnections of many pages
    timer = window.setTimeout(connect, delay);
  }

  // -- notifications: counter and toasts ----------------------------------------------------------------
  function setCounter(unread) {
    document.querySelectorAll("[data-notifiche-contatore]").forEach(function (el) {
      el.textContent = String(unread);
    });
  }

  function catchUp() {
    if (fetching) { fetchAgain = true; return; }
    fetching = true;
    fetch(feedUrl + "?dopo=" + encodeURIComponent(lastId), {
      credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      var items = data.notifications || [];
      if (data.last > lastId) { lastId = data.last; }
      setCounter(data.unread);
      showToasts(items);
    }).catch(function () {
      // the next push or reconnection asks again from the same id
    }).then(function () {
      fetching = false;
      if (fetchAgain) { fetchAgain = false; catchUp(); }
    });
  }

  function showToasts(items) {
    if (!region || !items.length) { return; }
    var shown = items.slice(-MAX_TOASTS);
    var others = items.length - shown.length;
    shown.forEach(function (n) { toast(n.text, n.url, n.url ? "Apri l'obiettivo" : ""); });
    if (others > 0) {
      toast("Altre " + others + " notifiche.", inboxUrl, "Vai alle notifiche");
    }
  }

  function toast(text, url, linkText) {
    var box = document.createElement("div");
    box.className = "avviso-live";
    box.setAttribute("data-testid", "avviso-live");
    var p = document.createElement("p");
    p.textContent = text;
    box.appendChild(p);
    var actions = document.createElement("div");
    actions.className = "avviso-live-azioni";
    if (url && linkText) {
      var link = document.createElement("a");
      link.href = url;
      link.textContent = linkText;
      actions.appendChild(link);
    }
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn btn-sm btn-outline-primary";
    close.textContent = "Chiudi";
    close.setAttribute("aria-label", "Chiudi la notifica");
    close.addEventListener("click", function () { box.remove(); });
    actions.appendChild(close);
    box.appendChild(actions);
    region.appendChild(box);
    var hide = function () {
      if (box.contains(document.activeElement) || box.matches(":hover")) {
        window.setTimeout(hide, 3000);
      } else {
        box.remove();
      }
    };
    window.setTimeout(hide, TOAST_SECONDS * 1000);
  }

  // -- the objective shown on this page -----------------------------------------------------------------
  function announce(text) {
    var el = document.getElementById("annuncio-live");
    if (!el) {
      el = document.createElement("p");
      el.id = "annuncio-live";
      el.className = "visually-hidden";
      el.setAttribute("aria-live", "polite");
      body.appendChild(el);
    }
    el.textContent = text;
  }

  function submitting() {
    return leaving || document.querySelector("form[data-sent='1']") !== null;
  }

  function hasUnsavedInput(root) {
    return Array.prototype.some.call(root.querySelectorAll("input, textarea, select"), function (el) {
      if (el.type === "hidden") { return false; }
      if (el.type === "checkbox" || el.type === "radio") { return el.checked !== el.defaultChecked; }
      if (el.tagName === "SELECT") {
        return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
      }
      return el.value !== el.defaultValue;
    });
  }

  function notice(text) {
    var box = live.querySelector("[data-live-notice]") || document.createElement("div");
    if (!box.parentNode) {
      box.setAttribute("data-live-notice", "");
      box.className = "alert alert-warning d-flex flex-wrap align-items-center gap-2";
      box.setAttribute("role", "alert");
      live.insertBefore(box, live.firstChild);
    }
    box.textContent = "";
    var span = document.createElement("span");
    span.textContent = text;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-primary";
    button.textContent = "Ricarica";
    button.addEventListener("click", function () { location.reload(); });
    box.appendChild(span);
    box.appendChild(button);
  }

  function changedBy(msg) {
    // a page about something of the objective (its progress report) names it: data-live-changed(-self)
    var own = msg && msg.actor === me;
    var named = own ? live.dataset.liveChangedSelf : live.dataset.liveChanged;
    if (named) { return named; }
    return own
      ? "Hai modificato questo obiettivo da un'altra pagina: ricarica"
      : "L'obiettivo è stato modificato da un altro utente: ricarica";
  }

  function refreshObjective(msg) {
    if (submitting()) { return; }  // this page is leaving: the next one shows the change
    var mode = live.dataset.liveMode;
    var url = mode === "edit" ? live.dataset.liveSource : location.pathname + location.search;
    fetch(url, {
      credentials: "same-origin", cache: "no-store", headers: { "X-Piao-Live": "1" }
    }).then(function (response) {
      if (response.status === 404 || response.status === 403) { return null; }
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.text();
    }).then(function (html) {
      if (submitting()) { return; }
      var fresh = html && new DOMParser().parseFromString(html, "text/html").querySelector("[data-live-objective]");
      if (!fresh) {
        notice("Non hai più accesso a questo obiettivo nel suo stato attuale: ricarica la pagina.");
        return;
      }
      if (fresh.dataset.lockVersion === live.dataset.lockVersion && mode === "edit") { return; }
      if (mode === "edit" || hasUnsavedInput(live)) {
        notice(changedBy(msg) + " la pagina (le modifiche non salvate andranno perse).");
        return;
      }
      replace(fresh);
    }).catch(function () {
      // a failed fetch leaves the page as it was; the next event or reconnection tries again
    });
  }

  function replace(fresh) {
    var open = {};
    live.querySelectorAll("details[data-testid][open]").forEach(function (d) { open[d.dataset.testid] = true; });
    var focused = document.activeElement && live.contains(document.activeElement) ? document.activeElement.id : "";
    live.innerHTML = fresh.innerHTML;
    live.dataset.lockVersion = fresh.dataset.lockVersion;
    live.querySelectorAll("details[data-testid]").forEach(function (d) {
      if (open[d.dataset.testid]) { d.open = true; }
    });
    if (focused && document.getElementById(focused)) { document.getElementById(focused).focus(); }
    var state = live.querySelector("[data-state]");
    announce("Pagina aggiornata" + (state ? ": stato «" + state.textContent.trim() + "»." : "."));
  }

  // -- an operation running in the task queue (its page) -------------------------------------------------
  var operationBusy = false;
  var operationAgain = false;

  function refreshOperation() {
    if (leaving) { return; }  // the outcome is on its way: one reload is enough
    if (operationBusy) { operationAgain = true; return; }
    operationBusy = true;
    fetch(operation.dataset.operationStatus, {
      credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      if (data.over) {  // the page itself shows the outcome where the work goes on
        leaving = true;
        location.reload();
        return;
      }
      var bar = operation.querySelector("[data-operation-progress]");
      bar.value = data.progress;
      bar.textContent = data.progress + "%";
      operation.querySelector("[data-operation-stage]").textContent =
        data.label + ": " + data.stage + " (" + data.progress + "%)";
    }).catch(function () {
      // the next push or reconnection asks again
    }).then(function () {
      operationBusy = false;
      if (operationAgain && !leaving) { operationAgain = false; refreshOperation(); }
    });
  }

  connect();
})();
