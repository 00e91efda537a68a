// Behaviour beyond htmx attributes lives here: the CSP forbids inline scripts and eval.
"use strict";
document.addEventListener("htmx:afterSwap", function (event) {
  // Move focus to an element a swap asks for (data-focus), so keyboard users follow the update.
  const target = event.detail.target && event.detail.target.querySelector("[data-focus]");
  if (target) {
    target.setAttribute("tabindex", "-1");
    target.focus();
    target.removeAttribute("data-focus");
  }
});
