/*
 * Brightline's live conversations in the page: one transcript fed by server-sent events.
 *
 * Shared by the chat widget (chat.js), the softphone (phone.js) and Chirp's direct
 * messages (social.js). The server pushes each line the moment it is due; this script only
 * shows it: one <li data-speaker data-time> per line, the agent's name in <b class="who">, the words
 * in <span class="says">. "Someone is typing" is a passing status, never a line of the log.
 * Nothing here knows what an event means: a transfer or a hold is just words.
 */
"use strict";

window.Brightline = window.Brightline || {};

(function (Brightline) {
  /** Show one entry: a log line, or the transient typing status. */
  function show(entry, log, typing) {
    if (entry.transient) {
      if (typing) {
        typing.textContent = entry.text;
        typing.hidden = false;
      }
      return;
    }
    if (typing && entry.speaker !== "customer") {
      typing.hidden = true;
      typing.textContent = "";
    }
    const line = document.createElement("li");
    line.dataset.speaker = entry.speaker;
    // When the company wrote it, to the millisecond: a wait is then the company's own, not
    // when a busy browser got round to showing it (at 1000x, 50 ms late reads as 50 s).
    if (typeof entry.at === "number") line.dataset.time = new Date(entry.at * 1000).toISOString();
    if (entry.speaker === "agent" && entry.who) {
      const who = document.createElement("b");
      who.className = "who";
      who.textContent = entry.who;
      line.append(who, " ");
    }
    const says = document.createElement("span");
    says.className = "says";
    says.textContent = entry.text;
    line.append(says);
    log.append(line);
    log.scrollTop = log.scrollHeight;
  }

  /**
   * Follow a conversation's event stream into a log.
   *
   * options: log, typing (optional), onEntry(entry), onEnd() when the conversation is over.
   * The browser reconnects by itself after a network hiccup and sends Last-Event-ID, so
   * the server replays only what was missed. Returns a handle with close().
   */
  function follow(eventsUrl, options) {
    const source = new EventSource(eventsUrl);
    let over = false;
    source.onmessage = function (event) {
      const entry = JSON.parse(event.data);
      show(entry, options.log, options.typing);
      if (options.onEntry) options.onEntry(entry);
    };
    source.addEventListener("end", function () {
      source.close();
      if (options.typing) options.typing.hidden = true;
      if (!over && options.onEnd) options.onEnd();
      over = true;
    });
    return {
      close: function () {
        over = true;
        source.close();
      },
    };
  }

  /** POST fields as JSON; resolve to the JSON answer, or reject with the server's message. */
  async function post(url, fields) {
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(fields || {}),
        credentials: "same-origin",
      });
    } catch (error) {
      throw new Error("We could not reach Brightline Appliances. Please try again.");
    }
    const answer = await response.json().catch(function () {
      return {};
    });
    if (!response.ok) {
      throw new Error(answer.error || "Something went wrong. Please try again.");
    }
    return answer;
  }

  /** Show an error in an element (role="alert"), or hide it with an empty message. */
  function report(element, message) {
    if (!element) return;
    element.textContent = message || "";
    element.hidden = !message;
  }

  Brightline.show = show;
  Brightline.follow = follow;
  Brightline.post = post;
  Brightline.report = report;
})(window.Brightline);
