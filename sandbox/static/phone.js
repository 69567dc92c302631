/*
 * The softphone on /phone: dial, read the captions, press keys, speak, hang up.
 *
 * The call status (role="status", "Call status") reads Ready, Connecting…, Connected,
 * On hold (from the moment a hold is announced until it ends) and Call ended. The server
 * says which lines change it; everything else is captions, one line each.
 */
"use strict";

window.Brightline = window.Brightline || {};

(function (Brightline) {
  const READY = "Ready";
  const CONNECTING = "Connecting…";
  const CONNECTED = "Connected";
  const ENDED = "Call ended";

  function setUp(phone) {
    const dial = phone.querySelector("[data-dial]");
    const status = phone.querySelector("[data-call-status]");
    const log = phone.querySelector("[data-log]");
    const keys = phone.querySelectorAll("[data-key]");
    const say = phone.querySelector("[data-say]");
    const hangUp = phone.querySelector("[data-hang-up]");
    const error = phone.querySelector("[data-error]");
    let call = null;
    let stream = null;

    function inCall(active) {
      for (const key of keys) key.disabled = !active;
      for (const control of say.elements) control.disabled = !active;
      hangUp.disabled = !active;
      for (const control of dial.elements) control.disabled = active;
    }

    function ended() {
      if (stream) stream.close();
      stream = null;
      call = null;
      status.textContent = ENDED;
      inCall(false);
    }

    async function send(url, fields) {
      try {
        await Brightline.post(url, fields);
        Brightline.report(error, "");
      } catch (problem) {
        Brightline.report(error, problem.message);
      }
    }

    dial.addEventListener("submit", async function (event) {
      event.preventDefault();
      status.textContent = CONNECTING;
      log.replaceChildren();
      inCall(true);
      try {
        call = await Brightline.post("/phone/calls", { number: dial.elements.number.value });
      } catch (problem) {
        Brightline.report(error, problem.message);
        status.textContent = READY;
        inCall(false);
        return;
      }
      Brightline.report(error, "");
      stream = Brightline.follow(call.events, {
        log: log,
        onEntry: function (entry) {
          if (entry.call_status) status.textContent = entry.call_status;
          else if (status.textContent === CONNECTING) status.textContent = CONNECTED;
          if (entry.ended) ended();
        },
        onEnd: ended,
      });
    });

    for (const key of keys) {
      key.addEventListener("click", function () {
        if (call) send(call.keys, { key: key.dataset.key });
      });
    }

    say.addEventListener("submit", function (event) {
      event.preventDefault();
      const input = say.elements.text;
      const text = input.value.trim();
      if (!text || !call) return;
      input.value = "";
      send(call.messages, { text: text });
    });

    hangUp.addEventListener("click", async function () {
      const current = call;
      ended();
      if (current) await send(current.end, {});
    });
  }

  function start() {
    for (const phone of document.querySelectorAll("[data-softphone]")) setUp(phone);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(window.Brightline);
