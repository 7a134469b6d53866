// A little help on top of forms that work without it.
(function () {
  "use strict";

  // A form is sent once: the button is disabled while the page waits for the answer.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.method !== "post") { return; }
    if (form.dataset.sent === "1") { event.preventDefault(); return; }
    form.dataset.sent = "1";
    var buttons = form.querySelectorAll("button[type=submit]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-disabled", "true");
      buttons[i].textContent = buttons[i].textContent + "…";
    }
  });

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
