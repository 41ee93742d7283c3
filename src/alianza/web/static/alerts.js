// Counterpart alerts (ports): server push with Server-Sent Events, acknowledgement without reload.
// The page works without this file (forms post and redirect); with it, a new alert appears at
// once and "Acknowledge" posts in the background (CSRF token in the X-CSRF-Token header).
(function () {
  "use strict";
  var root = document.getElementById("alerts-live");
  if (!root) { return; }
  var side = root.dataset.side;
  var lang = root.dataset.lang;
  var status = document.getElementById("live-status");
  var lastId = root.dataset.after || "0";
  var roles = JSON.parse(root.dataset.roles || "{}");
  function roleName(role) { return roles[role] || role || ""; }
  var months = (root.dataset.months || "").split(" ");
  // a UTC time in the pages' date style: "28 nov 2026 20:02 UTC" (as the server writes it)
  function when(iso) {
    var day = new Date(iso);
    if (isNaN(day.getTime()) || months.length !== 12) { return iso.slice(0, 16).replace("T", " ") + " UTC"; }
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return day.getUTCDate() + " " + months[day.getUTCMonth()] + " " + day.getUTCFullYear() + " " +
      pad(day.getUTCHours()) + ":" + pad(day.getUTCMinutes()) + " UTC";
  }

  // the port's local time the server sent ("2026-11-28 10:05 PST") in the page's date style;
  // UTC in that style when the server sent none
  function portWhen(local, iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}:\d{2}) (.+)$/.exec(local || "");
    if (!parts || months.length !== 12) { return when(iso); }
    return Number(parts[3]) + " " + months[Number(parts[2]) - 1] + " " + parts[1] + " " +
      parts[4] + " " + parts[5];
  }

  function text(tag, className, value) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (value !== undefined) { node.textContent = value; }
    return node;
  }

  function ackState(card, alert) {
    var state = card.querySelector(".ack-state");
    if (!state) { return; }
    state.textContent = "";
    if (alert.acknowledged_at) {
      state.appendChild(text("span", "badge ack", root.dataset.tAcked));
      state.appendChild(document.createTextNode(" " + (alert.acknowledged_by || "") + " " +
        portWhen(alert.acknowledged_local, alert.acknowledged_at)));
      card.classList.remove("open");
      var carried = card.querySelector(".carried");
      if (carried) { carried.textContent = root.dataset.tCarried; }  // an ack came back
      var form = card.querySelector("form.ack-form");
      if (form) { form.remove(); }
    } else {
      state.appendChild(text("span", "badge unack", root.dataset.tUnacked));
    }
  }

  // Whom the alert is addressed to now; "escalated to you" when an escalation reached this user.
  function addressed(card, alert, incoming) {
    var line = card.querySelector(".addressed");
    if (!line) {
      line = text("p", "addressed");
      card.insertBefore(line, card.querySelector(".alert-state"));
    }
    var to = alert.addressed_to || {};
    line.textContent = "";
    if (incoming && to.name) {
      line.appendChild(document.createTextNode(root.dataset.tAddressed + " "));
      line.appendChild(text("span", "addressee", to.name + " (" + roleName(to.role) + ")"));
      if (alert.escalation_level && to.username && to.username === root.dataset.user) {
        line.appendChild(document.createTextNode(" "));
        line.appendChild(text("span", "badge escalated-to-you", root.dataset.tToYou));
      }
    } else if (!incoming && alert.escalation_level) {
      line.textContent = root.dataset.tEscalatedOther.replace("{role}", roleName(to.role))
        .replace("{level}", String(alert.escalation_level));
    }
  }

  // A request past its due time is acknowledged with the reason for the delay (the server
  // refuses it without one): the field shows when the clock has run out.
  function ackForm(alert) {
    var form = text("form", "ack-form inline");
    form.method = "post";
    form.action = "/ports/alerts/" + encodeURIComponent(alert.id) + "/ack";
    var token = document.createElement("input");
    token.type = "hidden"; token.name = "csrf_token"; token.value = root.dataset.csrf;
    form.appendChild(token);
    var refused = text("p", "notice bad ack-refused");
    refused.setAttribute("role", "alert");
    refused.hidden = true;
    form.appendChild(refused);
    if (alert.due_at && !alert.delay_reason) {
      form.dataset.due = alert.due_at;
      var label = text("label", "delay-reason", root.dataset.tReason + " ");
      label.hidden = true;
      var input = document.createElement("input");
      input.type = "text"; input.name = "reason"; input.maxLength = 2000;
      input.autocomplete = "off";
      label.appendChild(input);
      form.appendChild(label);
    }
    var button = text("button", "primary", root.dataset.tAck);
    button.type = "submit";
    form.appendChild(button);
    return form;
  }

  function newCard(alert, incoming) {
    var card = text("li", "alert-card open fresh");
    card.id = "alert-" + alert.id;
    card.dataset.alertId = alert.id;
    var head = text("p", "alert-head");
    head.appendChild(text("strong", "alert-title", lang === "es" ? alert.title_es : alert.title_en));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(text("span", "muted", alert.port + " " + root.dataset.tPair + " " +
      alert.counterpart + " · " + alert.from + " → " + alert.to));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(text("span", "badge new", root.dataset.tNew));
    card.appendChild(head);
    card.appendChild(text("p", "alert-text", lang === "es" ? alert.text_es : alert.text_en));
    var keys = Object.keys(alert.nominal || {});
    if (keys.length) {
      var nominal = text("p", "nominal");
      nominal.appendChild(text("span", "badge nominal-mark", root.dataset.tNominal));
      nominal.appendChild(document.createTextNode(" " + keys.map(function (k) {
        return k + ": " + alert.nominal[k];
      }).join("; ")));
      card.appendChild(nominal);
    }
    var state = text("p", "alert-state muted");
    state.appendChild(text("span", "when", root.dataset.tCreated + " " +
      portWhen(alert.created_local, alert.created_at)));
    state.appendChild(document.createTextNode(" · "));
    state.appendChild(text("span", "ack-state"));
    card.appendChild(state);
    if (incoming && !alert.acknowledged_at && root.dataset.canAck === "yes") {
      card.appendChild(ackForm(alert));
    }
    return card;
  }

  // Someone at the page is told at once: a browser notification (once allowed) and a tone,
  // for an alert this side received that is new or escalated to this user.
  function beep() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) { return; }
    try {
      var audio = new Context();
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.value = 0.2;
      tone.connect(gain);
      gain.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.4);
    } catch (ignored) { /* no sound device */ }
  }
  function tell(event) {
    var alert = event.alert;
    if (alert.to !== side || alert.acknowledged_at) { return; }
    var mine = (alert.addressed_to || {}).username === root.dataset.user;
    if (event.kind !== "delivered" && !(event.kind === "escalated" && mine)) { return; }
    root.dataset.notified = String(Number(root.dataset.notified || "0") + 1);
    beep();
    if (window.Notification && Notification.permission === "granted") {
      var title = lang === "es" ? alert.title_es : alert.title_en;
      new Notification(root.dataset.tNotify + " – " + title, {
        body: (lang === "es" ? alert.text_es : alert.text_en) + " (" + alert.port + ")",
        tag: alert.id
      });
    }
  }
  var allow = document.getElementById("allow-notifications");
  if (allow && window.Notification && Notification.permission === "default") {
    allow.hidden = false;
    allow.addEventListener("click", function () {
      Notification.requestPermission().then(function () { allow.hidden = true; });
    });
  }

  function show(event) {
    var alert = event.alert;
    var card = document.getElementById("alert-" + alert.id);
    var incoming = alert.to === side;
    if (!card) {
      var list = document.getElementById(incoming ? "inbox" : "outbox");
      if (!list) { return; }
      card = newCard(alert, incoming);
      list.insertBefore(card, list.firstChild);
      var empty = list.parentNode.querySelector(".empty-note");
      if (empty) { empty.hidden = true; }
    }
    addressed(card, alert, incoming);
    ackState(card, alert);
  }

  function askReason(form, message) {
    var label = form.querySelector(".delay-reason");
    var input = form.querySelector("input[name=reason]");
    var notice = form.querySelector(".ack-refused");
    if (message && notice) { notice.textContent = message; notice.hidden = false; }
    if (!label || !input) { return false; }
    label.hidden = false;
    input.required = true;
    input.focus();
    return true;
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains("ack-form")) { return; }
    e.preventDefault();
    var reason = form.querySelector("input[name=reason]");
    if (reason && form.dataset.due && Date.now() > Date.parse(form.dataset.due) &&
        !reason.value.trim()) {
      askReason(form);
      form.reportValidity();
      return;
    }
    var button = form.querySelector("button");
    if (button) { button.disabled = true; }
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": root.dataset.csrf, "Accept": "application/json" },
      body: new URLSearchParams(new FormData(form))
    }).then(function (response) {
      if (response.status === 422) {  // late, without a reason: ask for it here
        return response.json().then(function (body) {
          if (button) { button.disabled = false; }
          askReason(form, root.dataset.tAckRefused + " " + ((body.error || {}).message || ""));
        });
      }
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      var card = form.closest(".alert-card");
      form.remove();
      if (card) { card.classList.remove("open"); }
    }).catch(function () {
      if (button) { button.disabled = false; }
      form.submit();  // fall back to the ordinary post
    });
  });

  var template = document.getElementById("alert-template");
  function fieldsFor() {
    if (!template) { return; }
    var wanted = template.options[template.selectedIndex].dataset.fields.split(" ");
    document.querySelectorAll(".template-field").forEach(function (label) {
      var used = wanted.indexOf(label.dataset.field) >= 0;
      label.hidden = !used;
      label.querySelector("input").required = used;
    });
  }
  if (template) { template.addEventListener("change", fieldsFor); fieldsFor(); }

  if (!window.EventSource) { return; }
  function say(key) { if (status) { status.textContent = status.dataset[key]; } }
  say("connecting");
  var source = new EventSource("/ports/alerts/stream?after=" + encodeURIComponent(lastId));
  source.addEventListener("open", function () { say("live"); root.dataset.live = "yes"; });
  source.addEventListener("error", function () { say("lost"); root.dataset.live = "no"; });
  source.addEventListener("alert", function (message) {
    lastId = message.lastEventId;
    var event = JSON.parse(message.data);
    show(event);
    tell(event);
  });
}());
