/* Mounts the rasa-webchat widget and adapts it to this page.
 *
 * The bot's address comes from config.js, which web/serve.py generates from --bot-url.
 * Besides the widget's own settings, this script:
 *  - marks emergency replies (they start with "Call your local emergency number now") so that
 *    css/widget.css shows them unmistakably;
 *  - fills in what assistive technology needs and the widget leaves out (names for its icon
 *    buttons and text box, a live region for new messages, keyboard access to reply buttons);
 *  - wires the page's "Ask the assistant" and "Clear the conversation" buttons;
 *  - tells the visitor when the assistant cannot be reached.
 */
(function () {
  "use strict";

  var config = window.DYSTONIA_CHAT_CONFIG || {};
  var root = document.getElementById("chat-widget");
  var statusLine = document.getElementById("chat-status");
  var EMERGENCY = /^\s*call your local emergency number now/i;
  var STORAGE_KEY = "chat_session"; // where rasa-webchat keeps the conversation
  var OFFLINE =
    "The assistant can't be reached right now. Please try again later. " +
    "In an emergency, call your local emergency number (for example 911, 112 or 999).";

  function setStatus(text) {
    if (statusLine) statusLine.textContent = text;
  }

  if (!root || !window.WebChat || typeof window.WebChat.default !== "function" || !config.botUrl) {
    setStatus(OFFLINE);
    return;
  }

  // Show each bot message after a short "typing" pause, shorter than the widget's default.
  function messageDelay(message) {
    var length = (message && message.length) || 0;
    return Math.min(1200, Math.max(300, length * 6));
  }

  // New messages are read out politely (the conversation is a live region, see enhance()); an
  // emergency reply, as it arrives, is also announced at once. Only live replies: not the
  // ones the widget restores after a page reload.
  function announceEmergency(message) {
    var text = message && typeof message.text === "string" ? message.text : "";
    var announcer = document.getElementById("chat-announcer");
    if (!announcer || !EMERGENCY.test(text.replace(/\*/g, ""))) return;
    announcer.textContent = "";
    window.setTimeout(function () {
      announcer.textContent = text.replace(/\*/g, "");
    }, 100);
  }

  window.WebChat.default(
    {
      socketUrl: config.botUrl,
      socketPath: config.socketPath || "/socket.io/",
      initPayload: "/greet",
      title: "Dystonia information assistant",
      subtitle: "Automated assistant: general information, not medical advice",
      inputTextFieldHint: "Type your question…",
      connectingText: "Connecting to the assistant… In an emergency, call your local emergency number (for example 911, 112 or 999).",
      customData: { language: "en" },
      params: { storage: "local" },
      withRules: false, // Botfront-only feature
      hideWhenNotConnected: false,
      showCloseButton: true,
      showFullScreenButton: false,
      displayUnreadCount: false,
      customMessageDelay: messageDelay,
      onSocketEvent: {
        connect: function () { setStatus(""); },
        disconnect: function () { setStatus(OFFLINE); },
        connect_error: function () { setStatus(OFFLINE); },
        bot_uttered: announceEmergency
      }
    },
    root
  );

  // -- Accessibility and emergency styling ------------------------------------------------

  function label(selector, text) {
    var nodes = root.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) {
      if (!nodes[i].getAttribute("aria-label")) nodes[i].setAttribute("aria-label", text);
    }
  }

  function makeActivatable(node) {
    // Reply buttons that the widget renders as plain elements: reachable by Tab, and Enter or
    // Space activate them as a click does.
    if (node.tagName === "BUTTON" || node.getAttribute("data-dy-keys")) return;
    node.setAttribute("data-dy-keys", "1");
    node.setAttribute("role", "button");
    node.setAttribute("tabindex", "0");
    node.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        node.click();
      }
    });
  }

  function enhance() {
    var log = root.querySelector(".rw-messages-container");
    if (log && !log.getAttribute("role")) {
      log.setAttribute("role", "log");
      log.setAttribute("aria-live", "polite");
      log.setAttribute("aria-label", "Conversation with the dystonia assistant");
      log.setAttribute("tabindex", "0");
    }
    var launcher = root.querySelector(".rw-launcher");
    if (launcher) {
      var open = isOpen();
      var name = open ? "Close the dystonia assistant" : "Open the dystonia assistant";
      if (launcher.getAttribute("aria-label") !== name) launcher.setAttribute("aria-label", name);
      if (launcher.getAttribute("aria-expanded") !== String(open)) {
        launcher.setAttribute("aria-expanded", String(open));
      }
    }
    // The widget's title is an <h4>; on this page it is a second-level heading.
    var title = root.querySelector(".rw-title");
    if (title && !title.getAttribute("role")) {
      title.setAttribute("role", "heading");
      title.setAttribute("aria-level", "2");
    }
    label(".rw-close-button", "Close the chat");
    label(".rw-new-message", "Your question");
    label(".rw-send", "Send");
    label(".rw-toggle-fullscreen-button", "Full screen");

    var replies = root.querySelectorAll(".rw-reply");
    for (var i = 0; i < replies.length; i++) makeActivatable(replies[i]);

    var responses = root.querySelectorAll(".rw-response");
    for (var j = 0; j < responses.length; j++) {
      var message = responses[j].closest(".rw-message") || responses[j];
      if (EMERGENCY.test(responses[j].textContent || "")) message.classList.add("dy-emergency");
    }
  }

  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      enhance();
    });
  }).observe(root, { childList: true, subtree: true });

  // -- The page's own buttons --------------------------------------------------------------

  function isOpen() {
    return !!root.querySelector(".rw-widget-container.rw-chat-open, .rw-conversation-container");
  }

  function focusInput() {
    var tries = 0;
    (function attempt() {
      var input = root.querySelector(".rw-new-message");
      if (input && !input.disabled) {
        input.focus();
      } else if (tries++ < 40) {
        window.setTimeout(attempt, 50);
      }
    })();
  }

  function openChat() {
    if (!isOpen()) {
      var launcher = root.querySelector(".rw-launcher");
      if (launcher) launcher.click();
    }
    focusInput();
  }

  ["open-chat", "open-chat-2"].forEach(function (id) {
    var button = document.getElementById(id);
    if (button) button.addEventListener("click", openChat);
  });

  var clear = document.getElementById("clear-chat");
  if (clear) {
    clear.addEventListener("click", function () {
      try {
        window.localStorage.removeItem(STORAGE_KEY);
        window.sessionStorage.removeItem(STORAGE_KEY);
      } catch (e) {
        /* storage unavailable: nothing kept */
      }
      window.location.reload();
    });
  }
})();
