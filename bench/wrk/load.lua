-- bench_load's wrk script: one client per wrk thread (run with -t N -c N), status classes
-- counted per thread (409 apart from the other 4xx), and one JSON line at the end.
--
-- GET mode (default): wrk's own request, headers given with -H.
-- Save mode (MGI_WRK_SAVE names a Lua file returning {run, targets, versions,
-- sessions, log}):
-- client n keeps saving one answer, targets[(n - 1) % #targets + 1] (with 16 clients and
-- 8 answers, two clients share each answer), as a person typing does: the autosave form
-- with the version it last saw and a justification no other request writes
-- ("load-<run>-t<client>-n<count>"). It learns the current version from the answer block the
-- portal sends back (200 and 409 alike). It logs each request as it is sent
-- ("S pk justification") and each answer ("R pk status justification version") to
-- <log>-<client>.txt, so that every 200 can be checked against the answer's history, and
-- a save still in flight when wrk stops (sent, never answered) is known as such.

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("id", thread_count)
  table.insert(threads, thread)
end

s2, s3, s4, s409, s5 = 0, 0, 0, 0, 0

local function count(status)
  if status >= 500 then s5 = s5 + 1
  elseif status == 409 then s409 = s409 + 1
  elseif status >= 400 then s4 = s4 + 1
  elseif status >= 300 then s3 = s3 + 1
  else s2 = s2 + 1 end
end

local save_config = os.getenv("MGI_WRK_SAVE")

if save_config then
  local cfg, log, step, pending_pk, pending_text
  local versions = {}

  function init(args)
    cfg = dofile(save_config)
    for pk, version in pairs(cfg.versions) do versions[pk] = version end
    log = io.open(string.format("%s-%02d.txt", cfg.log, id), "w")
    step = 0
  end

  function request()
    local session = cfg.sessions[(id - 1) % #cfg.sessions + 1]
    step = step + 1
    pending_pk = cfg.targets[(id - 1) % #cfg.targets + 1]
    pending_text = string.format("load-%s-t%02d-n%06d", cfg.run, id, step)
    log:write(string.format("S %d %s\n", pending_pk, pending_text))
    log:flush()
    local body = string.format(
      "version=%d&evidence_present=1&answer=partial&justification=%s",
      versions[pending_pk], pending_text)
    return wrk.format("POST", string.format("/responses/%d/save/", pending_pk), {
      ["Cookie"] = session.cookie,
      ["X-CSRFToken"] = session.csrf,
      ["HX-Request"] = "true",
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, body)
  end

  function response(status, headers, body)
    count(status)
    local version = body and body:match('name="version" value="(%d+)"')
    if version then versions[pending_pk] = tonumber(version) end
    log:write(string.format("R %d %d %s %s\n", pending_pk, status, pending_text, version or "-"))
    log:flush()
  end
else
  function response(status, headers, body)
    count(status)
  end
end

function done(summary, latency, requests)
  local c = {s2 = 0, s3 = 0, s4 = 0, s409 = 0, s5 = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(c) do c[name] = c[name] + (thread:get(name) or 0) end
  end
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
      .. '"max_us": %d, "status_2xx": %d, "status_3xx": %d, "status_409": %d, '
      .. '"status_4xx_other": %d, "status_5xx": %d, "errors_connect": %d, "errors_read": %d, '
      .. '"errors_write": %d, "errors_timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, c.s2, c.s3, c.s409, c.s4, c.s5,
    e.connect, e.read, e.write, e.timeout))
end
