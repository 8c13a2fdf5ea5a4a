-- wrk script: POST /v2/scan with one multipart file of BODY_BYTES bytes (clean content).
-- Every request's file is unique (its first bytes name the run, the wrk thread and the request), as in
-- bench/raw/raw-instream.c: clamd answers a repeat from its clean-result cache, so one body sent again and again would
-- measure that cache. The run's part matters: without it every wrk run (the warm-up, then each row) sent the same
-- sequence of files again, and clamd answered the rows from its cache (bench/RESULTS.md, 2026-12-07, "the anomaly").
-- The rest is the same pseudo-random bytes as the raw client's (xorshift, fixed seed).
-- Non-2xx answers are counted by wrk itself; done() prints them so the bench can fail on any.
local size = tonumber(os.getenv("BODY_BYTES") or "4096")
local boundary = "scanworkerbench"
local threads = {}
local counter = 0
local head = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.bin\"\r\n"
  .. "Content-Type: application/octet-stream\r\n\r\n"
local tail = "\r\n--" .. boundary .. "--\r\n"
local content

-- The run: seconds since the epoch, so two runs differ (the bench's runs are more than a second apart).
local run = os.time() % 0x1000000

function setup(thread)
  thread:set("id", run * 256 + #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  local x = 2463534242
  local bytes = {}
  for i = 1, size do
    x = bit.bxor(x, bit.lshift(x, 13)); x = bit.bxor(x, bit.rshift(x, 17)); x = bit.bxor(x, bit.lshift(x, 5))
    bytes[i] = string.char(bit.band(x, 255))
  end
  content = table.concat(bytes)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
end

function request()
  counter = counter + 1
  -- The same form as the raw client's and the queue's stamps: clamd's cost depends on the first bytes.
  local stamp = string.format("bench rest %08x %012d\n", id, counter)
  stamp = stamp:sub(1, size)
  return wrk.format(nil, nil, nil, head .. stamp .. content:sub(#stamp + 1) .. tail)
end

function done(summary, latency, requests)
  io.write(string.format("requests %d seconds %.3f non2xx %d errors %d\n", summary.requests, summary.duration / 1e6,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
