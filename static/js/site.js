// Behaviour beyond htmx attributes lives here: the CSP forbids inline scripts and eval.
"use strict";

function announce(text) {
  // Say an inline update through the page's aria-live region (emptied first, so a repeat is heard).
  const region = document.getElementById("announcer");
  if (!region) return;
  region.textContent = "";
  window.setTimeout(function () { region.textContent = text; }, 50);
}

document.addEventListener("htmx:afterSettle", function () {
  // Move focus to an element a swap asks for (data-focus), so keyboard users follow the update.
  // Searched in the whole document: an outerHTML swap replaces the element the event names.
  const target = document.querySelector("[data-focus]");
  if (target) {
    if (!target.matches("a, button, input, textarea, select")) target.setAttribute("tabindex", "-1");
    target.removeAttribute("data-focus");
    target.focus();
  }
  const message = document.querySelector("[data-announce]");
  if (message) {
    announce(message.getAttribute("data-announce"));
    message.removeAttribute("data-announce");
  }
});

document.addEventListener("htmx:beforeSwap", function (event) {
  // htmx 2 swaps no 4xx answer but 422. An error answer that names its own target (HX-Retarget:
  // a flood limit, an expired form, a refusal) is a message for the member: show it there.
  const xhr = event.detail.xhr;
  if (xhr.status >= 400 && xhr.status < 500 && xhr.getResponseHeader("HX-Retarget")) {
    event.detail.shouldSwap = true;
    event.detail.isError = true;
  }
});

document.addEventListener("htmx:afterRequest", function (event) {
  // After an error answer was shown: read out a message, or take the member to the first invalid box.
  const xhr = event.detail.xhr;
  if (!xhr || xhr.status < 400) return;
  const invalid = xhr.status === 422 && document.querySelector("form [aria-invalid='true']");
  if (invalid) {
    invalid.focus();
    return;
  }
  const id = (xhr.getResponseHeader("HX-Retarget") || "").replace(/^#/, "");
  const shown = id && document.getElementById(id);
  if (shown && shown.classList.contains("form-message")) announce(shown.textContent.trim());
});

document.addEventListener("click", function (event) {
  // "Cancel" on a reply form opened in place: remove the form (without JavaScript it is a link back).
  const link = event.target.closest && event.target.closest("[data-dismiss]");
  if (!link) return;
  const form = document.querySelector(link.getAttribute("data-dismiss"));
  if (form) {
    event.preventDefault();
    const slot = form.parentElement;
    form.remove();
    const thread = slot && slot.closest(".comment-thread");
    const reply = thread && thread.querySelector("a[href$='/reply']");
    if (reply) reply.focus();
  }
});

// Admin: moderation and members. Controls that only work with JavaScript ship `hidden` and are shown here.
function enhanceAdminControls(root) {
  root.querySelectorAll("[data-copy][hidden], .select-all[hidden]").forEach(function (el) {
    el.hidden = false;
  });
}
document.addEventListener("DOMContentLoaded", function () { enhanceAdminControls(document); });
document.addEventListener("htmx:load", function (event) { enhanceAdminControls(event.target); });

document.addEventListener("click", function (event) {
  // "Copy link": copy the readonly input's value; if the clipboard is refused, select it for Ctrl+C.
  const button = event.target.closest && event.target.closest("[data-copy]");
  if (!button) return;
  const input = document.querySelector(button.getAttribute("data-copy"));
  if (!input) return;
  input.select();
  const copied = navigator.clipboard ? navigator.clipboard.writeText(input.value) : Promise.reject();
  copied.then(function () { announce("Link copied."); button.textContent = "Copied"; },
              function () { announce("Press Control+C to copy the selected link."); });
});

document.addEventListener("change", function (event) {
  // "Select all" in the moderation queue ticks every comment's box in its form.
  const all = event.target.closest && event.target.closest("[data-select-all]");
  if (!all || !all.form) return;
  all.form.querySelectorAll("input[type=checkbox][name='" + all.getAttribute("data-select-all") + "']")
    .forEach(function (box) { box.checked = all.checked; });
});
