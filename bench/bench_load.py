"""The portal under load: gunicorn (4 sync workers, as in production) against PostgreSQL,
16 concurrent clients driven by wrk, about 12 seconds per page.

gunicorn serves `config.wsgi` with bench/settings_load.py (the test settings with DEBUG
off, the harness's throwaway database with persistent connections as in production, the
cache on Redis, and bench/urls.py for the bare view). The clients sign in through the
login page like a browser (session and CSRF cookies); the API client uses a token.

Measured, one after the other, each with 16 clients (one wrk thread and one connection
each, bench/wrk/load.lua), requests per second and latency percentiles:

- bare: `/__bench__/bare/` (the middleware stack, no work), before and after each page;
- entry_page: focal-kemnaker's entry page of the national demo assessment;
- autosave: the htmx autosave of one answer (POST `response_save`, the whole form as htmx
  sends it): each client keeps saving one of 8 answers of BP2MI, two clients to an answer,
  each with the version it last saw, so that some saves are refused as stale (409, counted
  apart from errors);
- review_queue: the facilitator's review queue on Central Java's answers (all states, the
  first page of 50; the default queue, on the national round, is empty in the demo);
- api_list: `/api/v1/assessments/<national>/responses/` (first page of 100) with a token;
- public_profile: the published Central Java profile's page, anonymous.

Each page's throughput is given as a ratio to the bare view's, measured (6 s) just before
and just after it, and checked against the targets. Then: no 5xx anywhere, and no lost
save (`check_saves`): every save answered 200 has its history row with its text and
version, no save answered 409 was written, an answer's versions follow each other without
a gap or a double, and each answer ends as its last save answered 200 or as a save still
in flight when wrk stopped (sent, never answered: wrk abandons those at its end).

The machine may be shared (and wrk, gunicorn and PostgreSQL share its cores): the load
average is reported with the figures.
"""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "wrk" / "load.lua"
CLIENTS = 16
WORKERS = 4
SECONDS = int(os.environ.get("MGI_BENCH_LOAD_SECONDS", "12"))
BARE_SECONDS = max(2, SECONDS // 2)
ALL_PAGES = ["entry_page", "autosave", "review_queue", "api_list", "public_profile"]
# MGI_BENCH_LOAD_PAGES=autosave,entry_page: only those (and the bare view), for a quick look.
PAGES = [
    name
    for name in os.environ.get("MGI_BENCH_LOAD_PAGES", ",".join(ALL_PAGES)).split(",")
    if name in ALL_PAGES
] or ALL_PAGES
SAVE_ANSWERS = 8
SAVE_INSTITUTION = "BP2MI"
TARGETS = {"public_profile": 0.5, "entry_page": 0.15, "api_list": 0.15, "autosave": 0.25}


def _open(request: str | urllib.request.Request, opener: Any = None, **kwargs: Any) -> Any:
    """urlopen for the local portal only (http://127.0.0.1:<port>)."""
    url = request if isinstance(request, str) else request.full_url
    assert url.startswith("http://127.0.0.1:"), url
    return (opener or urllib.request.build_opener()).open(request, **kwargs)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(database: str, log: Path) -> Iterator[str]:
    """The portal on a free local port; gives its base URL, stops it on leaving."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings_load",
        "MGI_BENCH_DATABASE_NAME": database,
        "PYTHONPATH": str(ROOT),
    }
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
        "--timeout", "60", "--graceful-timeout", "5", "--log-level", "warning",
        # No control socket: its default path is one per user, shared with any other
        # gunicorn running on the machine.
        "--no-control-socket",
    ]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline, problem = time.monotonic() + 120, ""
        while True:
            try:
                with _open(f"{base}/__bench__/bare/", timeout=10) as answer:
                    if answer.status == 200:
                        break
                    problem = f"status {answer.status}"
            except OSError as exc:  # not listening yet, or an HTTP error
                problem = repr(exc)
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start ({problem}): {log.read_text()[-2000:]}")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def login(base: str, username: str) -> dict[str, str]:
    """Sign in through the login page as a browser does; gives the cookies."""
    from ministries.demo import DEMO_PASSWORD

    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with _open(f"{base}/accounts/login/", opener) as page:
        html = page.read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token on the login page"
    form = {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": match[1]}
    request = urllib.request.Request(  # noqa: S310 - checked by _open
        f"{base}/accounts/login/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": f"{base}/accounts/login/"},
    )
    with _open(request, opener) as answer:
        answer.read()
    cookies = {c.name: c.value or "" for c in jar}
    assert "sessionid" in cookies, f"{username} could not sign in"
    return cookies


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def api_token(base: str, username: str) -> str:
    import json

    from ministries.demo import DEMO_PASSWORD

    data = urllib.parse.urlencode({"username": username, "password": DEMO_PASSWORD}).encode()
    with _open(f"{base}/api/v1/auth/token/", data=data) as answer:
        return str(json.loads(answer.read())["token"])


def warm(base: str, path: str, headers: dict[str, str], times: int = 12) -> None:
    """A few requests first, so that every worker has loaded its templates and code."""
    for _ in range(times):
        request = urllib.request.Request(base + path, headers=headers)  # noqa: S310 - _open
        with _open(request) as r:
            assert r.status == 200, (path, r.status)
            r.read()


def wrk(
    url: str, headers: dict[str, str], *, seconds: int = SECONDS, save_config: Path | None = None
) -> dict[str, Any]:
    """One wrk run of CLIENTS clients; its throughput, latency percentiles and statuses."""
    import json

    command = [
        "wrk", "-t", str(CLIENTS), "-c", str(CLIENTS), "-d", f"{seconds}s",
        "--timeout", "30s", "-s", str(LUA),
    ]  # fmt: skip
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    env = dict(os.environ)
    if save_config is not None:
        env["MGI_WRK_SAVE"] = str(save_config)
    out = subprocess.run([*command, url], env=env, capture_output=True, text=True, check=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith("JSON "))
    raw = json.loads(line[5:])
    seconds = raw["duration_us"] / 1e6
    return {
        "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "requests": raw["requests"],
        "status_2xx": raw["status_2xx"],
        "status_409": raw["status_409"],
        "status_4xx_other": raw["status_4xx_other"] + raw["status_3xx"],
        "status_5xx": raw["status_5xx"],
        "socket_errors": sum(raw[f"errors_{k}"] for k in ("connect", "read", "write", "timeout")),
    }


def save_targets() -> dict[int, int]:
    """The answers the autosave clients share: {pk: version}, BP2MI's first ones."""
    from assessments.models import Assessment, Response

    national = Assessment.objects.get(scope=Assessment.Scope.NATIONAL, year=2023, round=1)
    rows = (
        Response.objects.filter(assessment=national, institution__acronym=SAVE_INSTITUTION)
        .order_by("indicator__order")
        .values_list("pk", "version")[:SAVE_ANSWERS]
    )
    return dict(rows)


def save_config(
    path: Path, run: str, targets: dict[int, int], sessions: list[dict[str, str]]
) -> None:
    """The Lua table that bench/wrk/load.lua reads in save mode."""

    def lua(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    path.write_text(
        "return {\n"
        f"  run = {lua(run)},\n"
        f"  targets = {{{', '.join(str(pk) for pk in targets)}}},\n"
        f"  versions = {{{', '.join(f'[{pk}] = {v}' for pk, v in targets.items())}}},\n"
        "  sessions = {\n"
        + "".join(
            f"    {{cookie = {lua(cookie_header(s))}, csrf = {lua(s['csrftoken'])}}},\n"
            for s in sessions
        )
        + "  },\n"
        f"  log = {lua(str(path.parent / 'saves'))},\n"
        "}\n"
    )


def check_saves(folder: Path, run: str, targets: dict[int, int]) -> dict[str, Any]:
    """No lost save. Every save answered 200 has its history row, with its text and version;
    no save refused (409) was written; the run's history rows of an answer carry versions
    that follow each other without a gap or a double; each answer ends with its last
    history row, which is its last save answered 200 or a save still in flight when the
    clients stopped (sent, never answered: wrk abandons them at the end of its run)."""
    from assessments.models import Response

    sent: set[str] = set()
    answers: dict[str, tuple[int, int, int | None]] = {}  # text -> (pk, status, version)
    for log in sorted(folder.glob("saves-*.txt")):
        for line in log.read_text().splitlines():
            kind, pk, *rest = line.split()
            if kind == "S":
                sent.add(rest[0])
            else:
                status_text, text, version = rest
                answers[text] = (
                    int(pk),
                    int(status_text),
                    None if version == "-" else int(version),
                )
    rows: dict[int, list[tuple[int, str]]] = {pk: [] for pk in targets}
    for pk, text, version in Response.history.filter(
        id__in=list(targets), justification__startswith=f"load-{run}-"
    ).values_list("id", "justification", "version"):
        rows[pk].append((version, text))
    written = {text: (pk, version) for pk, items in rows.items() for version, text in items}
    ok = {
        text: (pk, version)
        for text, (pk, code, version) in answers.items()
        if code == 200 and version is not None
    }
    lost = [text for text, key in ok.items() if written.get(text) != key]
    refused_but_written = [t for t in written if t in answers and answers[t][1] != 200]
    in_flight = [t for t in written if t not in answers and t in sent]
    unknown = [t for t in written if t not in answers and t not in sent]
    bad_answers, final_is_last_200 = [], 0
    for response in Response.objects.filter(pk__in=list(targets)):
        versions = sorted(rows[response.pk])
        start = targets[response.pk]
        if [v for v, _ in versions] != list(range(start + 1, start + 1 + len(versions))):
            bad_answers.append(response.pk)  # a gap or two saves of the same version
            continue
        if versions and (response.version, response.justification) != versions[-1]:
            bad_answers.append(response.pk)  # the answer is not its last history row
            continue
        last_200 = max((v for t, (pk, v) in ok.items() if pk == response.pk), default=start)
        if response.version == last_200:
            final_is_last_200 += 1
        elif any(t not in in_flight for v, t in versions if v > last_200):
            bad_answers.append(response.pk)  # overwritten by something no client sent
    statuses: dict[int, int] = {}
    for _pk, code, _version in answers.values():
        statuses[code] = statuses.get(code, 0) + 1
    return {
        "answers": len(targets),
        "statuses": statuses,
        "saved_200": len(ok),
        "lost_saves": len(lost) + len(refused_but_written) + len(unknown) + len(bad_answers),
        "answered_200_without_history": lost[:5],
        "refused_but_written": refused_but_written[:5],
        "written_but_never_sent": unknown[:5],
        "answers_with_bad_history": bad_answers,
        "in_flight_at_stop_saved": len(in_flight),
        "final_is_last_200": final_is_last_200,
        "final_is_in_flight_save": len(targets) - final_is_last_200 - len(bad_answers),
    }


def _scenarios(base: str) -> dict[str, tuple[str, dict[str, str]]]:
    """{name: (path, headers)} of the GET pages, each client signed in as its role."""
    from assessments.models import Assessment
    from reports.models import Profile

    national = Assessment.objects.get(scope=Assessment.Scope.NATIONAL, year=2023, round=1)
    central_java = Assessment.objects.get(province__code="33", year=2023, round=1)
    profile = Profile.objects.filter(
        assessment=central_java, status=Profile.Status.PUBLISHED
    ).latest("version")
    focal = cookie_header(login(base, "focal-kemnaker"))
    facilitator = cookie_header(login(base, "facilitator"))
    token = api_token(base, "coordinator")
    return {
        "bare": ("/__bench__/bare/", {"Cookie": focal}),
        "entry_page": (f"/assessments/{national.pk}/entry/", {"Cookie": focal}),
        "review_queue": (
            f"/review/?assessment={central_java.pk}&review_state=all",
            {"Cookie": facilitator},
        ),
        "api_list": (
            f"/api/v1/assessments/{national.pk}/responses/",
            {"Authorization": f"Token {token}"},
        ),
        "public_profile": (f"/profiles/{profile.pk}/", {}),
    }


def run() -> dict[str, Any]:
    from django.db import connection

    if shutil.which("wrk") is None:
        return {"skipped": "wrk is not installed (apt-get install wrk; make bench installs it)"}
    folder = Path(tempfile.mkdtemp(prefix="mgi-bench-load-"))
    load_before = os.getloadavg()[0]
    try:
        with gunicorn(connection.settings_dict["NAME"], folder / "gunicorn.log") as base:
            pages = _scenarios(base)
            for path, headers in pages.values():
                warm(base, path, headers)
            targets = save_targets()
            sessions = [login(base, "focal-bp2mi") for _ in range(CLIENTS)]
            run_id = secrets.token_hex(4)
            save_config(folder / "save.lua", run_id, targets, sessions)
            bare = base + pages["bare"][0], pages["bare"][1]
            bare_runs = [wrk(*bare, seconds=BARE_SECONDS)]
            results: dict[str, dict[str, Any]] = {}
            for name in PAGES:
                if name == "autosave":
                    url = f"{base}/responses/{next(iter(targets))}/save/"
                    results[name] = wrk(url, {}, save_config=folder / "save.lua")
                else:
                    results[name] = wrk(base + pages[name][0], pages[name][1])
                bare_runs.append(wrk(*bare, seconds=BARE_SECONDS))
                # Against the bare view just before and just after: the same stretch of
                # a machine whose other load comes and goes.
                results[name]["bare_rps"] = round(
                    (bare_runs[-2]["rps"] + bare_runs[-1]["rps"]) / 2, 1
                )
            saves = check_saves(folder, run_id, targets)
    except Exception:
        log = folder / "gunicorn.log"
        if log.exists():  # what the portal said, before the folder goes
            sys.stderr.write(f"gunicorn's log:\n{log.read_text()[-4000:]}\n")
        raise
    else:
        server_log = (folder / "gunicorn.log").read_text()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for name, result in results.items():
        result["ratio"] = round(result["rps"] / result["bare_rps"], 3)
        if name in TARGETS:
            result["target_ratio"] = TARGETS[name]
            result["within_target"] = result["ratio"] >= TARGETS[name]
    errors_5xx = sum(r["status_5xx"] for r in [*results.values(), *bare_runs])
    throughput_met = all(results[name]["within_target"] for name in TARGETS if name in results)
    return {
        "name": f"under load: gunicorn {WORKERS} workers, {CLIENTS} clients, {SECONDS} s a page",
        "clients": CLIENTS,
        "workers": WORKERS,
        "seconds": SECONDS,
        "cpus": os.cpu_count(),
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
        "bare": bare_runs,
        "pages": results,
        "autosave_check": saves,
        "errors_5xx": errors_5xx,
        "server_errors_logged": server_log.count("Traceback"),
        "throughput_within_targets": throughput_met,
        "within_target": throughput_met and errors_5xx == 0 and saves["lost_saves"] == 0,
    }
