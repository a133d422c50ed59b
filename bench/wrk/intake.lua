-- Load for POST /external-api/ils-prospects: every request a prospect never sent before.
-- Arguments (after `--`): mode (new|mixed) salt api-key property-id floor-plan-id [delay-ms]
-- The salt (one digit 2-9) keeps runs on one database apart; each thread numbers its own.
-- Mixed mode, per 20 requests: 16 new, 2 duplicates of the last new, 1 invalid, 1 bad key.
-- done() prints one line `BENCH_JSON {...}` that the harness parses.

local threads = {}
local next_tid = 1

function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
  table.insert(threads, thread)
end

function init(args)
  mode, salt, key, property, plan = args[1], tonumber(args[2]), args[3], args[4], args[5]
  delay_ms = tonumber(args[6] or "0")
  counter, last_new = 0, 0
  counts = {}
  math.randomseed(tid * 7919 + salt)
end

local body_format = '{"propertyId":"%s","firstName":"Bench","lastName":"Lead",'
  .. '"phoneNumber":"+1%d%d%08d","emailAddress":"b%d.%d.%d@bench.example",'
  .. '"nBeds":3,"nBaths":2,"moveInDate":"2027-04-15","preferredUnit":"2205D",'
  .. '"preferredFloorPlanId":"%s","message":"Introductory message"}'
local invalid_body = '{"propertyId":"%s","firstName":"Bench","lastName":"",'
  .. '"emailAddress":"not-an-address","nBeds":true}'

local function post(api_key, body)
  return wrk.format("POST", "/external-api/ils-prospects",
    {["Content-Type"] = "application/json", ["x-api-key"] = api_key}, body)
end

local function prospect(n)
  return string.format(body_format, property, salt, tid, n, salt, tid, n, plan)
end

function request()
  counter = counter + 1
  if mode == "mixed" then
    local slot = counter % 20
    if slot == 16 or slot == 17 then
      return post(key, prospect(last_new))
    elseif slot == 18 then
      return post(key, string.format(invalid_body, property))
    elseif slot == 19 then
      return post("ils_not-a-key-" .. counter, prospect(counter))
    end
  end
  last_new = counter
  return post(key, prospect(counter))
end

function delay()
  if delay_ms == 0 then
    return 0
  end
  return math.floor(delay_ms * (0.5 + math.random()))
end

function response(status)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, _)
  local statuses = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do
      statuses[status] = (statuses[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(statuses) do
    table.insert(parts, string.format('"%d":%d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,'
      .. '"socket_errors":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, table.concat(parts, ",")))
end
