-- wrk script: POST /v2/scan with one multipart file of BODY_BYTES bytes (clean content).
-- Non-2xx answers are counted by wrk itself; done() prints them so the bench can fail on any.
local size = tonumber(os.getenv("BODY_BYTES") or "4096")
local boundary = "scanworkerbench"
wrk.method = "POST"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
wrk.body = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.bin\"\r\n"
  .. "Content-Type: application/octet-stream\r\n\r\n" .. string.rep("a", size) .. "\r\n--" .. boundary .. "--\r\n"

function done(summary, latency, requests)
  io.write(string.format("requests %d seconds %.3f non2xx %d errors %d\n", summary.requests, summary.duration / 1e6,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
