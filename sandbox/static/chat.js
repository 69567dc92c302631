/*
 * The chat widget: a "Chat with us" button on every shop page that opens a dialog.
 *
 * The dialog is in the page only while it is open, and holds only the fields of the step the
 * customer is at, so they never clash with a page's own "Your name" or "Message" (the
 * contact form has both); on /chat it is built open in the page instead. The transcript is
 * there (hidden) from the moment the dialog opens, so a reader can watch it before the
 * chat starts and see even the first line arrive. Accessible names are a
 * contract with the harness's locators: dialog "Chat"; before the chat "Your name", "Your
 * email", "Start chat"; during it the log "Chat transcript", "Message", "Send", "End chat";
 * after it "New chat". A chat in progress survives moving between shop pages: its address
 * is kept for the tab (sessionStorage), and opening the widget again replays the transcript.
 */
"use strict";

window.Brightline = window.Brightline || {};

(function (Brightline) {
  const STORE = "brightline-chat";
  let ui = null;
  let stream = null;
  let urls = null;

  function make(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === true) node.setAttribute(name, "");
      else if (value !== false && value !== null) node.setAttribute(name, value);
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  function field(id, label, type, autocomplete) {
    return make("div", { class: "field" }, [
      make("label", { for: id }, [label]),
      make("input", { id: id, name: id, type: type, autocomplete: autocomplete }),
    ]);
  }

  /** The dialog's markup, inside `container`. */
  function build(container) {
    const startForm = make("form", { class: "chat-start", novalidate: true }, [
      make("p", { class: "hint" }, ["Tell us who you are and we will connect you."]),
      field("chat-name", "Your name", "text", "name"),
      field("chat-email", "Your email", "email", "email"),
      make("p", { class: "chat-error", role: "alert", hidden: true }),
      make("button", { type: "submit" }, ["Start chat"]),
    ]);
    const log = make("ol", {
      class: "transcript", role: "log", "aria-label": "Chat transcript", "aria-live": "polite",
    });
    const typing = make("p", { class: "typing", role: "status", hidden: true });
    const compose = make("form", { class: "compose", novalidate: true }, [
      make("label", { for: "chat-message" }, ["Message"]),
      make("div", { class: "compose-row" }, [
        make("input", { id: "chat-message", name: "text", type: "text", autocomplete: "off" }),
        make("button", { type: "submit" }, ["Send"]),
      ]),
    ]);
    const endButton = make("button", { type: "button", class: "danger" }, ["End chat"]);
    const newButton = make("button", { type: "button", class: "secondary", hidden: true }, [
      "New chat",
    ]);
    const controls = make("div", { class: "chat-controls" }, [
      compose,
      make("p", { class: "chat-error", role: "alert", hidden: true }),
      make("p", { class: "chat-actions" }, [endButton, " ", newButton]),
    ]);
    const session = make("div", { class: "chat-session", hidden: true }, [log, typing]);
    const dialog = make("section", {
      id: "chat-dialog", class: "chat-dialog", role: "dialog", "aria-label": "Chat",
    }, [make("p", { class: "chat-title" }, ["Brightline Appliances"]), startForm, session]);
    container.prepend(dialog);

    startForm.addEventListener("submit", async function (event) {
      event.preventDefault();
      const error = startForm.querySelector(".chat-error");
      try {
        const started = await Brightline.post("/chat/conversations", {
          name: startForm.elements["chat-name"].value,
          email: startForm.elements["chat-email"].value,
        });
        Brightline.report(error, "");
        begin(started);
      } catch (problem) {
        Brightline.report(error, problem.message);
      }
    });
    compose.addEventListener("submit", async function (event) {
      event.preventDefault();
      const input = compose.elements["chat-message"];
      const text = input.value.trim();
      if (!text || !urls) return;
      input.value = "";
      try {
        await Brightline.post(urls.messages, { text: text });
        Brightline.report(controls.querySelector(".chat-error"), "");
      } catch (problem) {
        Brightline.report(controls.querySelector(".chat-error"), problem.message);
      }
      input.focus();
    });
    endButton.addEventListener("click", async function () {
      if (urls) await Brightline.post(urls.end).catch(function () {});
      finish();
    });
    newButton.addEventListener("click", reset);
    return { dialog, startForm, session, controls, log, typing, compose, endButton, newButton };
  }

  /** Follow a started chat (or one resumed after moving to another page). */
  function begin(started) {
    urls = started;
    remember({ urls: urls, ended: false });
    ui.startForm.remove();
    ui.session.hidden = false;
    ui.session.append(ui.controls);
    ui.log.replaceChildren();
    setComposing(true);
    stream = Brightline.follow(urls.events, {
      log: ui.log,
      typing: ui.typing,
      onEntry: function (entry) {
        if (entry.ended) finish();
      },
      onEnd: finish,
    });
    ui.compose.elements["chat-message"].focus();
  }

  /** The chat is over: no more typing into it. */
  function finish() {
    if (stream) stream.close();
    stream = null;
    setComposing(false);
    ui.newButton.hidden = false;
    remember(null);
  }

  function reset() {
    finish();
    urls = null;
    ui.log.replaceChildren();
    ui.newButton.hidden = true;
    ui.controls.remove();
    ui.session.hidden = true;
    ui.session.before(ui.startForm);
    ui.startForm.elements["chat-name"].focus();
  }

  function setComposing(enabled) {
    for (const control of ui.compose.elements) control.disabled = !enabled;
    ui.endButton.disabled = !enabled;
  }

  function remember(value) {
    try {
      if (value) sessionStorage.setItem(STORE, JSON.stringify(value));
      else sessionStorage.removeItem(STORE);
    } catch (error) {
      /* storage refused: the chat simply does not follow the customer between pages */
    }
  }

  function remembered() {
    try {
      return JSON.parse(sessionStorage.getItem(STORE) || "null");
    } catch (error) {
      return null;
    }
  }

  function setUp() {
    const inline = document.querySelector("[data-chat-inline]");
    if (inline) {
      ui = build(inline);
    } else {
      const corner = make("div", { class: "chat-widget" });
      const toggle = make("button", {
        type: "button", class: "chat-toggle", "aria-expanded": "false",
      }, ["Chat with us"]);
      corner.append(toggle);
      document.body.append(corner);
      toggle.addEventListener("click", function () {
        const opening = !ui || !ui.dialog.isConnected;
        if (!ui) ui = build(corner);
        if (opening) corner.prepend(ui.dialog);
        else ui.dialog.remove(); // closed: out of the page, the chat goes on
        toggle.setAttribute("aria-expanded", String(opening));
        const resumed = opening && !urls ? remembered() : null;
        if (resumed && resumed.urls) begin(resumed.urls);
        else if (opening && !urls) ui.startForm.elements["chat-name"].focus();
      });
      return;
    }
    const saved = remembered();
    if (saved && saved.urls) begin(saved.urls);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})(window.Brightline);
