// The idle warning: SESSION_IDLE_WARNING seconds before the session's idle limit, show the
// notice in #session-timeout (registration/_session_timeout.html); "Stay signed in" asks the
// keep-alive URL, which counts as activity. htmx requests count too. At the limit, go to the
// login page (the server has ended the session by then). Without this script the session
// still ends on time; only the warning is missing.
(() => {
  const box = document.getElementById("session-timeout");
  if (!box) return;
  const idle = Number(box.dataset.idleSeconds) * 1000;
  const warn = Number(box.dataset.warnSeconds) * 1000;
  if (!idle || warn >= idle) return;
  let warnTimer;
  let endTimer;
  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    box.hidden = true;
    warnTimer = setTimeout(() => {
      box.hidden = false;
      box.querySelector("[data-session-keepalive]").focus();
    }, idle - warn);
    endTimer = setTimeout(() => {
      window.location.assign(box.dataset.loginUrl + "?next=" + encodeURIComponent(window.location.pathname));
    }, idle + 5000);
  };
  const csrf = () => {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return match ? decodeURIComponent(match[1]) : input ? input.value : "";
  };
  box.querySelector("[data-session-keepalive]").addEventListener("click", () => {
    fetch(box.dataset.keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf() },
    }).then((answer) => {
      if (answer.ok) schedule();
    });
  });
  document.body.addEventListener("htmx:afterRequest", schedule);
  schedule();
})();
