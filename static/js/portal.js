// Progressive enhancement only: every page works without JavaScript.

// htmx "settles" a swapped element by copying the old element's class, style, width and
// height onto the new one with setAttribute. A `style` attribute the browser put there (a
// textarea resized by its handle, Bootstrap's collapse) is then an inline style, which the
// strict CSP (style-src 'self') refuses with a console error on every save. Do not settle
// `style`: the CSP stays as it is. (Runs before htmx reads its <meta> config, which merges.)
if (window.htmx) {
  window.htmx.config.attributesToSettle = ["class", "width", "height"];
}
document.addEventListener("DOMContentLoaded", () => {
  // htmx sends the CSRF token with every request it makes.
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) {
    document.body.addEventListener("htmx:configRequest", (event) => {
      event.detail.headers["X-CSRFToken"] = token.value;
    });
  }
});

// The evidence form shows only the fields of the chosen kind (legal citation, file, link).
// Without this script every field shows, with a note saying which kind uses which.
(() => {
  const show = (select) => {
    const form = select.closest("form") || document;
    form.querySelectorAll("[data-evidence-kinds]").forEach((field) => {
      field.hidden = !field.dataset.evidenceKinds.split(" ").includes(select.value);
    });
    form.querySelectorAll("[data-evidence-kind-note]").forEach((note) => {
      note.hidden = true;
    });
  };
  const init = (root) => {
    root.querySelectorAll("[data-evidence-kind-select]").forEach(show);
  };
  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-evidence-kind-select]")) show(event.target);
  });
  document.addEventListener("DOMContentLoaded", () => init(document));
  // Forms htmx swaps in (the entry page's "Add evidence", a form returned with errors).
  document.addEventListener("htmx:load", (event) => init(event.detail.elt));
})();

// The validation session's decision counts, after a decision made in its row (htmx): the
// server sends the new wording in the HX-Trigger header's "decisions-counted" event.
document.addEventListener("decisions-counted", (event) => {
  const summary = document.getElementById("decision-summary");
  if (summary) summary.textContent = event.detail.summary;
  const rest = document.querySelector(".confirm-rest");
  if (rest) {
    rest.hidden = event.detail.undecided === 0;
    const button = rest.querySelector("button");
    if (button) button.textContent = event.detail.confirm_rest;
  }
});


// A save the server could not make (503: the database connection was lost; 507: no room
// left for files; config/unavailable.py): htmx swaps no error, so the server's sentence (in
// the reader's language) is shown above the form that was being saved.
document.addEventListener("htmx:responseError", (event) => {
  const xhr = event.detail.xhr;
  if (xhr.status !== 503 && xhr.status !== 507) return;
  const page = new DOMParser().parseFromString(xhr.responseText, "text/html");
  const sentence = page.querySelector("[role=alert]");
  const where = event.detail.elt.closest("form") || event.detail.elt;
  let box = where.querySelector(":scope > .save-failed");
  if (!box) {
    box = document.createElement("div");
    box.className = "alert alert-warning save-failed";
    box.setAttribute("role", "alert");
    where.prepend(box);
  }
  box.textContent = sentence ? sentence.textContent : xhr.statusText;
});

// A change made to an answer while its autosave is on its way (a radio clicked, a box
// ticked, a few words typed): the block the server sends back replaces the form, and htmx
// drops the save that change asked for (its form is gone). The change is put back into the
// new form and saved, after a save the server made (200); after a refusal (a newer save by
// someone else, an error) it is put back and left for the person to save, beside the
// server's words.
(() => {
  const ANSWER_FORM = "form[hx-post$='/save/']";
  const SERVER_FIELDS = new Set(["version", "csrfmiddlewaretoken"]);
  const fields = (form) => [...new FormData(form)].filter(([name]) => !SERVER_FIELDS.has(name));
  const sent = new WeakMap();
  let carried = null;

  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt;
    if (form instanceof HTMLFormElement && form.matches(ANSWER_FORM)) {
      sent.set(form, JSON.stringify(fields(form)));
    }
  });
  document.addEventListener("htmx:beforeSwap", (event) => {
    // Fired on the block about to be replaced, which holds the form that asked.
    const target = event.detail.target;
    const form = target && target.querySelector(ANSWER_FORM);
    if (!form || !sent.has(form)) return;
    carried = null;
    // Nothing is swapped in (a 503 or 507: its sentence shows above the form): the form,
    // with the change in it, stays.
    const values = fields(form);
    if (event.detail.shouldSwap && JSON.stringify(values) !== sent.get(form)) {
      const active = document.activeElement;
      carried = {
        block: target.id,
        values,
        save: event.detail.xhr.status === 200,
        // Where the person was typing, to go on there.
        focus: form.contains(active) && active.id
          ? { id: active.id, start: active.selectionStart, end: active.selectionEnd }
          : null,
      };
    }
    sent.delete(form);
  });
  document.addEventListener("htmx:load", (event) => {
    if (!carried || event.detail.elt.id !== carried.block) return;
    const { values, save, focus } = carried;
    carried = null;
    const form = event.detail.elt.querySelector(ANSWER_FORM);
    if (!form) return;
    const names = new Set(values.map(([name]) => name));
    for (const input of form.elements) {
      if (!names.has(input.name)) continue;
      const wanted = values.filter(([name]) => name === input.name).map(([, value]) => value);
      if (input.type === "radio" || input.type === "checkbox") {
        input.checked = wanted.includes(input.value);
      } else if (input.type !== "hidden") {
        input.value = wanted[0];
      }
    }
    // Boxes unticked meanwhile send no value: untick those the person no longer wants.
    for (const box of form.querySelectorAll("input[type=checkbox]")) {
      if (!names.has(box.name)) box.checked = false;
    }
    const typing = focus && document.getElementById(focus.id);
    if (typing) {
      typing.focus();
      if (typeof focus.start === "number") typing.setSelectionRange(focus.start, focus.end);
    }
    if (save) {
      setTimeout(() => form.dispatchEvent(new Event("change", { bubbles: true })), 0);
    }
  });
})();
