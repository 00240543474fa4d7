/*
 * Mounts the rasa-webchat widget into #webchat and fills the accessibility gaps it leaves
 * (quick replies that are plain <div>s, an unlabelled input and send button, no live region).
 *
 * The Rasa address comes from the mount element's data-socket-url (for embedding elsewhere) or from
 * config.js, which web/serve.py writes from RASA_URL / RASA_PORT.
 */
(function () {
  "use strict";

  // Where rasa-webchat keeps the conversation when params.storage is "local".
  var WIDGET_STORAGE_KEY = "chat_session";
  var mount = document.getElementById("webchat");
  var config = window.COACH_CONFIG || {};

  function showNotice(text) {
    var notice = document.createElement("p");
    notice.className = "notice";
    notice.setAttribute("role", "alert");
    notice.textContent = text;
    mount.replaceChildren(notice);
  }

  // Short, readable pauses: the typing indicator shows while a reply waits its turn.
  function typingDelay(text) {
    var length = (text || "").length;
    return Math.min(1500, Math.max(500, length * 15));
  }

  function makeKeyboardButton(element) {
    element.setAttribute("role", "button");
    element.setAttribute("tabindex", "0");
    element.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        element.click();
      }
    });
  }

  // The widget re-renders often, so labels are (re)applied whenever its DOM changes.
  function improveAccessibility() {
    mount.querySelectorAll(".rw-messages-container:not([role])").forEach(function (log) {
      log.setAttribute("role", "log");
      log.setAttribute("aria-live", "polite");
      log.setAttribute("aria-label", "Conversation with the coach");
      log.setAttribute("tabindex", "0");
    });
    mount.querySelectorAll("textarea.rw-new-message:not([aria-label])").forEach(function (input) {
      input.setAttribute("aria-label", "Your message to the coach");
    });
    mount.querySelectorAll("button.rw-send:not([aria-label])").forEach(function (button) {
      button.setAttribute("aria-label", "Send");
    });
    mount.querySelectorAll(".rw-loading:not([role])").forEach(function (status) {
      status.setAttribute("role", "status");
    });
    mount.querySelectorAll("div.rw-reply:not([role])").forEach(makeKeyboardButton);
    // Our charts come with their description as text in the same reply, so the image says where it is.
    mount.querySelectorAll("img.rw-image-frame:not([alt])").forEach(function (image) {
      image.setAttribute("alt", "Chart of your check-ins; the message above describes it in words");
    });
  }

  function forgetThisDevice() {
    window.localStorage.removeItem(WIDGET_STORAGE_KEY);
    window.sessionStorage.removeItem(WIDGET_STORAGE_KEY);
    window.location.reload();
  }

  document.getElementById("forget-device").addEventListener("click", forgetThisDevice);

  var socketUrl = mount.dataset.socketUrl || config.socketUrl;
  if (!window.WebChat || !socketUrl) {
    showNotice("The chat could not start. Please reload the page in a moment.");
    return;
  }

  new MutationObserver(improveAccessibility).observe(mount, { childList: true, subtree: true });

  window.WebChat.default(
    {
      socketUrl: socketUrl,
      socketPath: mount.dataset.socketPath || config.socketPath || "/socket.io/",
      initPayload: "/greet",
      embedded: true,
      withRules: false,
      title: "Interdependence Coach",
      subtitle: "Automated coach, not a therapist",
      inputTextFieldHint: "Type your message…",
      connectingText: "Connecting to the coach…",
      hideWhenNotConnected: false,
      showCloseButton: false,
      showMessageDate: false,
      params: { storage: "local" },
      customMessageDelay: typingDelay
    },
    mount
  );
})();
