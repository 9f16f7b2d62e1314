-- SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors.
-- wrk script of bench/run.sh: POSTs Twilio-like voice webhook forms, each
-- with the X-Twilio-Signature computed for it beforehand (synthflow-twiml
-- --sign), rotating through the bodies of a file given after "--":
--
--   wrk -c 32 -d 10s -s bench/post.lua http://127.0.0.1:PORT/ -- FILE
--
-- FILE has one request a line: path, Host header, signature and the
-- urlencoded body, separated by tabs. The requests are formatted once in
-- init(), so request() costs wrk next to nothing. done() prints one line
-- of key=value figures for run.sh to parse.

local requests = {}
local n = 0
local i = 0

function init(args)
	local file = assert(io.open(args[1], "r"))
	for line in file:lines() do
		local path, host, sig, body =
		    line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
		if path then
			n = n + 1
			requests[n] = wrk.format("POST", path, {
				["Host"] = host,
				["Content-Type"] =
				    "application/x-www-form-urlencoded",
				["X-Twilio-Signature"] = sig,
				["User-Agent"] = "TwilioProxy/1.1",
				["Accept"] = "*/*",
			}, body)
		end
	end
	file:close()
	assert(n > 0, "no request in " .. args[1])
	-- Threads start at different bodies.
	i = math.random(n) - 1
end

function request()
	i = i % n + 1
	return requests[i]
end

function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format("BENCH requests=%d duration_us=%d " ..
	    "p50_us=%d p90_us=%d p99_us=%d max_us=%d err_connect=%d " ..
	    "err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
	    summary.requests, summary.duration,
	    latency:percentile(50), latency:percentile(90),
	    latency:percentile(99), latency.max, e.connect, e.read, e.write,
	    e.status, e.timeout))
end
