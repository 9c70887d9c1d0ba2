-- bench/grid-pages.lua -- a wrk script for bench/http's "gridmiss" target:
-- every request asks for another page of the same grid (a keyset cursor
-- "after=ID:NAME" drawn at random), as users paging and filtering do, so
-- the worker's page cache never holds it and each page is read from
-- MariaDB and rendered.
local names = {"Acme", "Baker", "Cole", "Delta", "Eagle", "Field", "Grand",
               "Harbor", "Iris", "Jade", "Kite", "Lake", "Metro", "North",
               "Oak", "Pine", "Quay", "River", "Stone", "Tower", "Union",
               "Vale", "West", "York"}
local n = 0

function setup(thread)
	n = n + 1
	thread:set("id", n)
end

function init(args)
	math.randomseed(os.time() * 100 + id)
end

function request()
	local cursor = math.random(1, 1000000) .. ":" .. names[math.random(#names)]
	return wrk.format(nil, wrk.path .. "&after=" .. cursor)
end
