/*
 * Chirp's direct messages with @BrightlineHelp: "Messages" log, "Write a message", "Send".
 *
 * Sending goes to the open contact, or opens one; the page follows that contact's events
 * (replayed from the start when the page is opened again while it is still open). Once
 * the company ends the contact, the message box is disabled.
 */
"use strict";

window.Brightline = window.Brightline || {};

(function (Brightline) {
  function setUp(dm) {
    const log = dm.querySelector("[data-log]");
    const typing = dm.querySelector("[data-typing]");
    const compose = dm.querySelector("[data-compose]");
    const error = dm.querySelector("[data-error]");
    let following = null;
    let stream = null;

    function ended() {
      if (stream) stream.close();
      stream = null;
      for (const control of compose.elements) control.disabled = true;
    }

    function follow(eventsUrl) {
      if (!eventsUrl || eventsUrl === following) return;
      if (stream) stream.close();
      following = eventsUrl;
      stream = Brightline.follow(eventsUrl, {
        log: log,
        typing: typing,
        onEntry: function (entry) {
          if (entry.ended) ended();
        },
        onEnd: ended,
      });
    }

    compose.addEventListener("submit", async function (event) {
      event.preventDefault();
      const input = compose.elements.text;
      const text = input.value.trim();
      if (!text) return;
      input.value = "";
      try {
        const sent = await Brightline.post(window.location.pathname, { text: text });
        Brightline.report(error, "");
        follow(sent.events);
      } catch (problem) {
        Brightline.report(error, problem.message);
      }
      input.focus();
    });

    follow(dm.dataset.events);
  }

  function start() {
    for (const dm of document.querySelectorAll("[data-dm]")) setUp(dm);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(window.Brightline);
