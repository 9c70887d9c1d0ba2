-- bench/faults.lua -- the load of bench/faults (and t/integration/34_faults.sh):
-- every response is one line "MS STATUS LABEL" in FAULTS_OUT/wrk.THREAD (MS:
-- when it arrived, in ms since the epoch; LABEL: the label a 2xx write
-- inserted, "-" otherwise), so the script can cut the run into phases and
-- compare the writes that got a 2xx with the rows in MariaDB.
--
--   FAULTS_MODE   write: every request inserts one fixture item (POST
--                 /api/v1/fixture/items, a label unique to the request);
--                 read: GET FAULTS_READ; mix: the two in turn
--   FAULTS_READ   the read's path (default /api/v1/fixture/items/1)
--   FAULTS_COOKIE a Cookie header for the reads (a signed-in read; the
--                 writes go without, as the fixture's public route wants)
--   FAULTS_HOST   a Host header for the reads (another brand's)
--   FAULTS_RUN    the labels' prefix (unique to the run)
--   FAULTS_OUT    the directory for the per-thread files
local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_usec; } faults_timeval;
int gettimeofday(faults_timeval *tv, void *tz);
]])
local tv = ffi.new("faults_timeval")

local function now_ms()
	ffi.C.gettimeofday(tv, nil)
	return tonumber(tv.tv_sec) * 1000 + math.floor(tonumber(tv.tv_usec) / 1000)
end

local next_id = 1
function setup(thread)
	thread:set("tid", next_id)
	next_id = next_id + 1
end

local mode = os.getenv("FAULTS_MODE") or "write"
local read_path = os.getenv("FAULTS_READ") or "/api/v1/fixture/items/1"
local run = os.getenv("FAULTS_RUN") or "faults"
local cookie = os.getenv("FAULTS_COOKIE")
local host = os.getenv("FAULTS_HOST")
local n = 0
local out

function init(args)
	out = assert(io.open((os.getenv("FAULTS_OUT") or ".") .. "/wrk." .. tid, "w"))
end

local function headers(extra)
	local h = { ["Accept"] = "application/json" }
	if extra == nil and cookie ~= nil and cookie ~= "" then
		h["Cookie"] = cookie
	end
	if extra == nil and host ~= nil and host ~= "" then
		h["Host"] = host
	end
	for k, v in pairs(extra or {}) do
		h[k] = v
	end
	return h
end

function request()
	n = n + 1
	if mode == "write" or (mode == "mix" and n % 2 == 0) then
		local label = run .. "-" .. tid .. "-" .. n
		return wrk.format("POST", "/api/v1/fixture/items",
			headers({ ["Content-Type"] = "application/json" }),
			'{"label":"' .. label .. '"}')
	end
	return wrk.format("GET", read_path, headers())
end

function response(status, hdrs, body)
	local label = "-"
	if status >= 200 and status < 300 and body ~= nil then
		label = string.match(body, '"label"%s*:%s*"(' .. run .. '%-[0-9]+%-[0-9]+)"') or "-"
	end
	-- buffered; stdio flushes it when wrk exits
	out:write(now_ms(), " ", status, " ", label, "\n")
end
