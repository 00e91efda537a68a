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
  const invalid = (xhr.status === 422 || xhr.status === 409) && document.querySelector("form [aria-invalid='true']");
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

// ---- Admin: editor (blog/admin/posts.py, pages.py, images.py) ----------------------------------
// Images dropped onto the Body upload through the editor's own upload form (htmx), and the Markdown
// the server answers with (HX-Trigger "image-uploaded") goes in at the cursor. The labels box offers
// existing labels after each comma, and the Publish button reads "Schedule" for a future date.
(function () {
  function insertAtCursor(textarea, text) {
    const start = textarea.selectionStart, end = textarea.selectionEnd, value = textarea.value;
    const before = value.slice(0, start), after = value.slice(end);
    const padBefore = before && !before.endsWith("\n") ? "\n\n" : "";
    const padAfter = after && !after.startsWith("\n") ? "\n\n" : "";
    textarea.value = before + padBefore + text + padAfter + after;
    const caret = (before + padBefore + text).length;
    textarea.setSelectionRange(caret, caret);
    // The live preview and autosave listen for input events.
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("image-uploaded", function (event) {
    const body = document.getElementById("body");
    if (body && event.detail && event.detail.markdown) insertAtCursor(body, event.detail.markdown);
  });

  function draggingFiles(event) {
    return event.target.id === "body" && event.dataTransfer && Array.from(event.dataTransfer.types).includes("Files");
  }
  document.addEventListener("dragover", function (event) {
    if (!draggingFiles(event) || !document.getElementById("image-upload")) return;
    event.preventDefault();
    event.target.classList.add("drop-target");
  });
  document.addEventListener("dragleave", function (event) {
    if (event.target.id === "body") event.target.classList.remove("drop-target");
  });
  document.addEventListener("drop", function (event) {
    const form = document.getElementById("image-upload");
    if (!draggingFiles(event) || !form || !event.dataTransfer.files.length) return;
    event.preventDefault();
    event.target.classList.remove("drop-target");
    event.target.focus();
    const one = new DataTransfer();
    one.items.add(event.dataTransfer.files[0]);  // one image per drop, as the form takes one
    form.querySelector("input[type=file]").files = one.files;
    form.requestSubmit();
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    // An upload far over the size limit answers 413, which htmx 2 would not show: show its message.
    const form = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (event.detail.xhr.status === 413 && form && form.id === "image-upload") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("input", function (event) {
    // A datalist matches the whole box: offer "earlier, labels, " + each known label after a comma.
    const box = event.target;
    if (!box.matches || !box.matches("input[list][data-multi]")) return;
    const list = document.getElementById(box.getAttribute("list"));
    const typed = box.value.match(/^(.*,\s*)/);
    const prefix = typed ? typed[1] : "";
    if (list) list.querySelectorAll("option[data-name]").forEach(function (option) {
      option.value = prefix + option.getAttribute("data-name");
    });
  });

  document.addEventListener("input", function (event) {
    // The server decides by the date; this only keeps the button's word in step while typing.
    const input = event.target;
    if (input.id !== "published_at") return;
    const button = document.querySelector("button[data-schedule-label]");
    if (!button) return;
    const offset = Number(input.getAttribute("data-utc-offset") || 0);
    // "YYYY-MM-DDTHH:MM[:SS]" strings in the blog's timezone compare in time order.
    const blogNow = new Date(Date.now() + offset * 60000).toISOString().slice(0, 19);
    button.textContent = input.value && input.value > blogNow
      ? button.getAttribute("data-schedule-label") : button.getAttribute("data-publish-label");
  });
})();

// "Copy link" on a post (templates/reading/_share.html): hidden in the HTML, shown here, so a page
// without JavaScript has no dead button. The Web Share API where the browser has one, else the clipboard.
function showShareButtons(root) {
  root.querySelectorAll("[data-share-url][hidden]").forEach(function (button) {
    if (navigator.share || (navigator.clipboard && window.isSecureContext)) button.hidden = false;
  });
}
document.addEventListener("DOMContentLoaded", function () { showShareButtons(document); });
document.addEventListener("htmx:load", function (event) { showShareButtons(event.detail.elt); });

document.addEventListener("click", function (event) {
  const button = event.target.closest && event.target.closest("[data-share-url]");
  if (!button) return;
  const url = button.getAttribute("data-share-url");
  if (navigator.share) {
    navigator.share({ title: button.getAttribute("data-share-title") || document.title, url: url })
      .catch(function () { /* the reader closed the share sheet */ });
    return;
  }
  navigator.clipboard.writeText(url).then(
    function () { announce("Link copied"); button.classList.add("copied"); },
    function () { announce("Could not copy the link"); }
  );
});
