--- The server's stderr in lsp.log at each line's own level. Neovim writes every stderr chunk of
--- a language server as an ERROR ("rpc ... stderr"), so each INFO line of seed-lsp looked like a
--- failure. seed-lsp starts each line with its level ("2026-01-01 12:00:00,123 INFO name: ..."):
--- for our server's command, each line is written at that level instead; lines without one (a
--- traceback from a crash) stay errors. Other servers' stderr is left exactly as it was.
local M = {}

local LEVELS = { DEBUG = 'debug', INFO = 'info', WARNING = 'warn', ERROR = 'error', CRITICAL = 'error' }

--- The log level of one stderr line of seed-lsp, and its text; nil level for other lines.
function M.parse(line)
  local level = line:match('^%d%d%d%d%-%d%d%-%d%d %d%d:%d%d:%d%d,%d+ (%u+) ')
  return level and LEVELS[level], line
end

local commands = {} -- cmd[1] of our server -> true
local partial = {} -- cmd[1] -> the unfinished last line of its stderr
local installed = false

local function relog(log, original, name, chunk)
  local text = (partial[name] or '') .. chunk
  local lines = vim.split(text, '\n', { plain = true })
  partial[name] = table.remove(lines) -- '' when the chunk ended with a newline
  -- A line without a level continues the message before it (a multi-line log message) and
  -- keeps its level, except a crash: a traceback is an error whatever came before.
  local current
  for _, line in ipairs(lines) do
    if line ~= '' then
      local level = M.parse(line)
      if not level and (line:match('^Traceback') or line:match('^Fatal Python error')) then
        level = 'error'
      end
      current = level or current or 'error'
      if current == 'error' then
        original('rpc', name, 'stderr', line)
      else
        log[current]('rpc', name, 'stderr', line)
      end
    end
  end
end

--- Route the stderr of server command {cmd} (a list) through its own levels.
function M.capture(cmd)
  if type(cmd) ~= 'table' or type(cmd[1]) ~= 'string' then
    return
  end
  commands[cmd[1]] = true
  if installed then
    return
  end
  installed = true
  local log = require('vim.lsp.log')
  local original = log.error
  log.error = function(...)
    local scope, name, kind, chunk = ...
    if scope == 'rpc' and kind == 'stderr' and type(chunk) == 'string' and select('#', ...) == 4 then
      local key = type(name) == 'table' and name[1] or name
      if commands[key] then
        return relog(log, original, key, chunk)
      end
    end
    return original(...)
  end
end

return M
