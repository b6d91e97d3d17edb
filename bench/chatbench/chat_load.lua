-- wrk load for the chat benchmark: every request as another user, in turn.
--
--   wrk ... -s chat_load.lua http://127.0.0.1:PORT -- MODE TOKENS_FILE
--
-- TOKENS_FILE has one "<user id> <token>" line per user. MODE is one of
--   users, inbox, send            the chat API, with "Authorization: Bearer <token>"
--   inbox-query                   the inbox's first page asked with a cursor (not cached)
--   json-users, json-inbox, json-send   the same requests in json-server's terms
--   ceiling                       GET / (the bare ASGI app)
-- Each send carries a new Idempotency-Key, as the Python client does.
-- done() comes from httpbench's report script: one JSON line with wrk's figures.

local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "../httpbench/wrk_report.lua")

local mode
local ids, tokens, prepared = {}, {}, {}
local count, turn, sent = 0, 0, 0

local function body_for(number)
  return string.format("message %d from the benchmark: salut, tu as fini l'exercice ?", number)
end

function init(args)
  mode = args[1]
  for line in io.lines(args[2]) do
    local id, token = line:match("^(%d+) (%S+)$")
    if id then
      count = count + 1
      ids[count], tokens[count] = tonumber(id), token
    end
  end
  -- The GETs never change: format them once.
  for n = 1, count do
    local auth = { Authorization = "Bearer " .. tokens[n] }
    if mode == "users" then
      prepared[n] = wrk.format("GET", "/api/users", auth)
    elseif mode == "inbox" then
      prepared[n] = wrk.format("GET", "/api/messages", auth)
    elseif mode == "inbox-query" then  -- the same page, asked with a cursor: never cached
      prepared[n] = wrk.format("GET", "/api/messages?cursor=9007199254740991", auth)
    elseif mode == "json-users" then
      prepared[n] = wrk.format("GET", "/api/users?_limit=50", auth)
    elseif mode == "json-inbox" then
      prepared[n] = wrk.format(
        "GET", "/api/messages?to=" .. ids[n] .. "&_sort=id&_order=desc&_limit=50", auth)
    elseif mode == "ceiling" then
      prepared[n] = wrk.format("GET", "/")
    end
  end
  math.randomseed(tonumber(args[3] or "1"))
end

function request()
  turn = turn % count + 1
  local request = prepared[turn]
  if request then
    return request
  end
  sent = sent + 1
  local to = ids[(turn + math.random(count - 1) - 1) % count + 1]  -- anyone but oneself
  local headers = { ["Content-Type"] = "application/json" }
  local body
  if mode == "send" then
    headers["Authorization"] = "Bearer " .. tokens[turn]
    headers["Idempotency-Key"] = string.format("bench-%d-%d-%d", os.time(), math.random(1e9), sent)
    body = string.format('{"to": %d, "body": "%s"}', to, body_for(sent))
  else  -- json-send: json-server stores what it is given
    body = string.format(
      '{"from": %d, "to": %d, "body": "%s", "created_at": "%s", "read_at": null}',
      ids[turn], to, body_for(sent), os.date("!%Y-%m-%dT%H:%M:%S.000Z"))
  end
  return wrk.format("POST", "/api/messages", headers, body)
end
