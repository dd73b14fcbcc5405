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
