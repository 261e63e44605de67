/* Live workshop pages (pilot, board, participant): a WebSocket tells the page that something changed and
   the page refreshes its server-rendered live region (debounced). If the WebSocket cannot open, closes, or
   the server says {"type":"degraded"}, the page polls the same region every 3 s with HTMX. Forms are plain
   HTML forms (enhanced by hx-post), so everything also works without JavaScript. */
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root) return;
  var region = document.getElementById("live-region");
  var statusEl = root.querySelector("[data-live-status]");
  var stateUrl = root.dataset.stateUrl;
  var kind = root.dataset.live;
  var pending = null, polling = null, socket = null, retry = 1000, dragging = false;

  function say(text) { if (statusEl) statusEl.textContent = text; }

  function typing() {
    var el = document.activeElement;
    return el && region.contains(el) && /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName);
  }

  function refresh() {
    if (dragging || typing() || region.querySelector("details[open]")) { schedule(1500); return; }
    if (window.htmx) {
      window.htmx.ajax("GET", stateUrl, { target: "#live-region", swap: "innerHTML" });
    }
  }

  function schedule(ms) {
    if (pending) return;
    pending = setTimeout(function () { pending = null; refresh(); }, ms || 200);
  }

  function degrade() {
    if (polling) return;
    root.dataset.mode = "polling";
    say("Mise à jour toutes les 3 secondes.");
    polling = setInterval(refresh, 3000);
  }

  function live() {
    if (polling) { clearInterval(polling); polling = null; }
    root.dataset.mode = "live";
    say("En direct.");
  }

  function connect() {
    if (!("WebSocket" in window)) { degrade(); return; }
    var params = new URLSearchParams();
    if (root.dataset.token) params.set("token", root.dataset.token);
    if (root.dataset.boardKey) params.set("board_key", root.dataset.boardKey);
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host +
      "/ws/ateliers/" + root.dataset.workshop + "/" + (params.toString() ? "?" + params : "");
    try { socket = new WebSocket(url); } catch (e) { degrade(); return; }
    socket.onopen = function () { retry = 1000; live(); };
    socket.onmessage = function (message) {
      var data;
      try { data = JSON.parse(message.data); } catch (e) { return; }
      if (data.type === "degraded") { degrade(); return; }
      if (data.type === "pong") { if (data.live && polling) { live(); schedule(); } return; }
      // Every (re)connection catches up: something may have changed between the page and the socket.
      if (data.type === "snapshot") { schedule(); return; }
      if (data.type !== "pong" && data.type !== "ack" && data.type !== "error") schedule();
    };
    socket.onclose = function () {
      degrade();
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }

  // A ping every 10 s: the server answers whether live events still flow (Redis up) or not.
  setInterval(function () {
    if (socket && socket.readyState === 1) socket.send(JSON.stringify({ type: "ping" }));
  }, 10000);

  // Countdown of the phase timer, from the server's end time.
  function tick() {
    var timer = region.querySelector("[data-ends-at]");
    if (!timer || timer.dataset.paused !== "" || !timer.dataset.endsAt) return;
    var left = Math.max(0, Math.round((Date.parse(timer.dataset.endsAt) - Date.now()) / 1000));
    var value = timer.querySelector(".timer__value");
    var text = String(Math.floor(left / 60)).padStart(2, "0") + ":" + String(left % 60).padStart(2, "0");
    if (value && value.textContent !== text) value.textContent = text;
  }
  setInterval(tick, 1000);

  document.body.addEventListener("workshop-changed", function () { schedule(50); });

  // A new phase (or the end) changes what the page offers outside the live region: reload it, unless
  // the person is typing something.
  function phaseKey() {
    var el = region.querySelector("[data-phase-key]");
    return el ? el.dataset.phaseKey : "";
  }
  var shownPhase = phaseKey();
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.target !== region) return;
    var now = phaseKey();
    if (now === shownPhase) return;
    var drafts = Array.prototype.some.call(document.querySelectorAll("textarea, input[type=text]"), function (f) {
      return f.value.trim() !== "" && !region.contains(f);
    });
    if (!drafts) { location.reload(); } else { shownPhase = now; say("La phase a changé : actualisez la page après avoir envoyé votre texte."); }
  });

  // Rejecting a suggestion only removes it from the page.
  document.addEventListener("click", function (event) {
    var dismiss = event.target.closest("[data-dismiss]");
    if (dismiss) { dismiss.closest(".suggestion").remove(); return; }
  });
  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest && event.target.closest("form");
    if (!form || !event.detail.successful) return;
    // The write is done: the next submission of this form is a new one (a second dot on the same post-it).
    var id = form.querySelector("input[name=client_id]");
    if (id) id.value = uuid4();
    if (form.classList.contains("suggestion__form")) form.closest(".suggestion").remove();
  });
  // A second, different write sent while the first is still on its way (a slow network, a stalled
  // server) must not reuse the first one's client_id, or the server would take it for a replay and keep
  // only the first. The same body keeps its id, so a retry stays a retry.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form");
    var id = form && form.querySelector("input[name=client_id]");
    if (!id) return;
    var data = new FormData(form);
    data.delete("client_id");
    var body = new URLSearchParams(data).toString();
    if (form.dataset.sentId === id.value && form.dataset.sentBody !== body) {
      id.value = uuid4();
      event.detail.parameters.client_id = id.value;
    }
    form.dataset.sentId = id.value;
    form.dataset.sentBody = body;
  });
  // A server error (overloaded database, restarting process): send the same write again, with the same
  // client_id, so it is written once whatever happened to the first attempt.
  document.body.addEventListener("htmx:responseError", function (event) {
    var form = event.target.closest && event.target.closest("form");
    var tries = form ? Number(form.dataset.tries || 0) : 9;
    if (!form || event.detail.xhr.status < 500 || tries >= 3 || !form.querySelector("input[name=client_id]")) return;
    form.dataset.tries = tries + 1;
    say("Nouvel essai d'envoi…");
    setTimeout(function () { window.htmx.trigger(form, "submit"); }, 500 * (tries + 1));
  });

  // Drag and drop of post-its into clusters (pilot); the "Déplacer vers…" select does the same by keyboard.
  if (kind === "pilot") {
    var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
    region.addEventListener("dragstart", function (event) {
      var postit = event.target.closest(".postit");
      if (postit) { dragging = true; event.dataTransfer.setData("text/plain", postit.dataset.id); }
    });
    region.addEventListener("dragend", function () { dragging = false; });
    region.addEventListener("dragover", function (event) {
      var zone = event.target.closest("[data-cluster]");
      if (zone) { event.preventDefault(); zone.classList.add("cluster--drop"); }
    });
    region.addEventListener("dragleave", function (event) {
      var zone = event.target.closest("[data-cluster]");
      if (zone) zone.classList.remove("cluster--drop");
    });
    region.addEventListener("drop", function (event) {
      var zone = event.target.closest("[data-cluster]");
      var id = event.dataTransfer.getData("text/plain");
      if (!zone || !id) return;
      event.preventDefault();
      zone.classList.remove("cluster--drop");
      dragging = false;
      var body = JSON.stringify({ cluster_id: zone.dataset.cluster ? Number(zone.dataset.cluster) : null });
      function move(tries) {  // moving is idempotent: retry on a server error
        fetch(root.dataset.moveUrl + id + "/cluster", {
          method: "PUT",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
          body: body
        }).then(function (response) {
          if (response.status >= 500 && tries < 3) { setTimeout(function () { move(tries + 1); }, 500); return; }
          if (!response.ok) say("Le déplacement n'a pas pu être enregistré.");
          schedule(50);
        }, function () { if (tries < 3) setTimeout(function () { move(tries + 1); }, 500); });
      }
      move(0);
    });
  }

  connect();
})();
