// A little help on top of forms that work without it.
(function () {
  "use strict";

  // A form is sent once: the button is disabled while the page waits for the answer.
  // A step that cannot be taken back (data-confirm) is asked about first, once the form is
  // filled in (an empty required field goes to the server, which says what is missing).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.method !== "post") { return; }
    if (form.dataset.sent === "1") { event.preventDefault(); return; }
    var asks = form.dataset.confirm && filledIn(form);
    if (asks && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    var buttons = form.querySelectorAll("button[type=submit]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-disabled", "true");
      buttons[i].textContent = buttons[i].textContent + "…";
    }
  });

  // Every field marked required holds something (the server still checks what).
  function filledIn(form) {
    var fields = form.querySelectorAll("[aria-required=true]");
    for (var i = 0; i < fields.length; i++) {
      var kind = fields[i].type;
      if (kind !== "radio" && kind !== "checkbox" && !fields[i].value.trim()) { return false; }
    }
    return true;
  }

  // After a refused form, put the keyboard on its first field at fault.
  window.addEventListener("DOMContentLoaded", function () {
    var bad = document.querySelector("[aria-invalid=true]");
    if (bad) { bad.focus(); return; }
    var alert = document.querySelector("form .alert.error");
    if (alert) {
      alert.setAttribute("tabindex", "-1");
      alert.focus();
    }
  });

  // Escape closes the account menu.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.querySelector("details.account[open]");
    if (open) { open.removeAttribute("open"); open.querySelector("summary").focus(); }
  });
})();
