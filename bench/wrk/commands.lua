-- The service's write path under wrk: each thread holds one connection and drives its own
-- cases through the realistic mix of commands, one step per request:
--   find an issue -> plan an item -> ask for approval -> approve (coordination office)
--   -> record the rectification with evidence -> verify (another coordinator; closes the issue)
-- Every request is an authenticated POST with a JSON body and the case's ETag in If-Match.
-- A refused step (any status but 2xx) is counted and the thread starts a new case.
--
-- Usage: wrk -t N -c N -s commands.lua URL -- CONFIG.lua
-- CONFIG.lua returns {clerks = {{token=, office=, sha256=}, ...}, approver=, verifier=,
-- deadline=}; thread n acts as clerk n (mod the number of clerks).

local STEPS = { "find", "plan", "ask", "approve", "rectify", "verify" }
local threads = {}

function setup(thread)
  thread:set("number", #threads)
  table.insert(threads, thread)
end

function init(args)
  local config = dofile(args[1])
  local clerk = config.clerks[number % #config.clerks + 1]
  office = clerk.office
  sha256 = clerk.sha256
  as_clerk = "Bearer " .. clerk.token
  as_approver = "Bearer " .. config.approver
  as_verifier = "Bearer " .. config.verifier
  deadline = config.deadline
  step, cases, completed, failures = 1, 0, 0, 0
  issue, item, etag = nil, nil, nil
  last_failure = ""
end

local function post(path, auth, body)
  local headers = { ["Authorization"] = auth, ["Content-Type"] = "application/json" }
  if etag then
    headers["If-Match"] = etag
  end
  return wrk.format("POST", path, headers, body)
end

function request()
  local name = STEPS[step]
  if name == "find" then
    cases = cases + 1
    etag = nil
    return post("/api/issues", as_clerk, string.format(
      '{"office":"%s","category":"basic_management","subtype":"ledger_incomplete",'
        .. '"source":"self_inspection","title":"资产台账不健全（%d-%d）",'
        .. '"description":"部分办公设备未入账，账实不符",'
        .. '"assets":[{"code":"ZC-%d-%d","name":"办公设备"}]}',
      office, number, cases, number, cases))
  elseif name == "plan" then
    return post("/api/issues/" .. issue .. "/items", as_clerk, string.format(
      '{"measure":"全面清查并补登资产台账","measure_type":"basic_management",'
        .. '"responsible":"张伟","deadline":"%s","involves":"none"}', deadline))
  elseif name == "ask" then
    return post("/api/items/" .. item .. "/approval-request", as_clerk, "{}")
  elseif name == "approve" then
    return post("/api/items/" .. item .. "/approvals", as_approver,
      '{"decision":"approve","comment":"同意整改方案"}')
  elseif name == "rectify" then
    return post("/api/items/" .. item .. "/rectification", as_clerk, string.format(
      '{"description":"已完成资产清查，补登台账23条",'
        .. '"evidence":[{"sha256":"%s","file_name":"盘点表.pdf"}]}', sha256))
  else
    return post("/api/items/" .. item .. "/verification", as_verifier,
      '{"result":"pass","comment":"经核查，整改到位"}')
  end
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    local id = string.match(body, '"id"%s*:%s*"([%x%-]+)"')
    if step == 1 then
      issue = id
    elseif step == 2 then
      item = id
    end
    etag = headers["ETag"] or headers["etag"] or headers["Etag"]
    completed = completed + 1
    step = step % #STEPS + 1
  else
    failures = failures + 1
    last_failure = status .. " on " .. STEPS[step] .. ": " .. string.sub(body or "", 1, 160)
    step = 1
  end
end

local function clean(text)
  return (string.gsub(text or "", '[^%w%s%.,:;/_%-]', "?"))
end

function done(summary, latency, requests)
  local completed_all, failures_all, last = 0, 0, ""
  for _, thread in ipairs(threads) do
    completed_all = completed_all + (thread:get("completed") or 0)
    failures_all = failures_all + (thread:get("failures") or 0)
    local seen = thread:get("last_failure")
    if seen and seen ~= "" then
      last = seen
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"completed":%d,"failures":%d,'
      .. '"socket_errors":%d,"timeouts":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,'
      .. '"max_us":%d,"last_failure":"%s"}\n',
    summary.requests, summary.duration, completed_all, failures_all,
    errors.connect + errors.read + errors.write, errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    clean(last)))
end
