--- :checkhealth seed_lsp: which server binary is used and its version, the API key, `seed-lsp
--- check`, and the running client's `seed/status` (with usage). Never blocks Neovim for more
--- than `M.budget_ms` in all: the slow parts run at once, in the background, and whatever has
--- not answered by then is reported as "timed out"; a `seed-lsp check` that finishes later says
--- its result with vim.notify, and the next :checkhealth shows it.
local M = {}

local health = vim.health
local start = health.start or health.report_start
local ok = health.ok or health.report_ok
local warn = health.warn or health.report_warn
local error = health.error or health.report_error
local info = health.info or health.report_info

local KEY_ENV = { 'AIMLAPI_KEY', 'SEED_LSP_API_KEY' }

--- The most :checkhealth waits, in all (ms).
M.budget_ms = 1800

--- The last `seed-lsp check` that finished after its :checkhealth had moved on:
--- `{ ok = bool, lines = {...}, reason = string, at = os.time() }`.
M.late_check = nil

-- The server command without its transport flag, to run `--version` and `check` with.
local function base_cmd(cmd)
  local out = {}
  for _, arg in ipairs(cmd) do
    if arg ~= '--stdio' then
      out[#out + 1] = arg
    end
  end
  return out
end

--- Start {cmd} in the background: returns a handle whose `.result` is set when it exits.
local function spawn(cmd, env, on_exit)
  local handle = {}
  local started, obj = pcall(vim.system, cmd, { text = true, env = env }, function(result)
    handle.result = result
    if on_exit then
      vim.schedule(function()
        on_exit(result)
      end)
    end
  end)
  if not started then
    handle.result = { code = -1, stdout = '', stderr = tostring(obj) }
  else
    handle.obj = obj
  end
  return handle
end

local function trimmed_lines(text)
  local out = {}
  for _, line in ipairs(vim.split(vim.trim(text or ''), '\n', { plain = true })) do
    if vim.trim(line) ~= '' then
      out[#out + 1] = line
    end
  end
  return out
end

--- Why `seed-lsp check` failed: its "FAILED (...)" line, else stderr's last line, else stdout's.
function M.check_reason(result)
  for _, line in ipairs(trimmed_lines(result.stdout)) do
    if line:match('^FAILED') then
      return line
    end
  end
  local err = trimmed_lines(result.stderr)
  if #err > 0 then
    return err[#err]
  end
  local out = trimmed_lines(result.stdout)
  return out[#out] or ('exit ' .. tostring(result.code))
end

local function report_check(result)
  if result.code == 0 then
    ok('seed-lsp check: OK')
    for _, line in ipairs(trimmed_lines(result.stdout)) do
      if line ~= 'OK' then
        info(line)
      end
    end
  else
    error('seed-lsp check failed: ' .. M.check_reason(result), { 'Run `seed-lsp check` in a shell for details' })
  end
end

local function key_source(settings)
  if type(settings.apiKey) == 'string' and settings.apiKey ~= '' then
    return 'settings.apiKey'
  end
  for _, name in ipairs(KEY_ENV) do
    if (vim.env[name] or '') ~= '' then
      return '$' .. name
    end
  end
  return nil
end

-- `seed-lsp check` with the plugin's settings: the key through the environment, the rest
-- through a file (deleted when it ends).
local function start_check(base, settings, key_from, on_exit)
  local env = nil
  if key_from == 'settings.apiKey' then
    env = { SEED_LSP_API_KEY = settings.apiKey }
  end
  local rest = vim.deepcopy(settings)
  rest.apiKey = nil
  local cmd = vim.list_extend(vim.deepcopy(base), { 'check' })
  local file
  if next(rest) then
    file = vim.fn.tempname() .. '.json'
    vim.fn.writefile({ vim.json.encode({ seedLsp = rest }) }, file)
    vim.list_extend(cmd, { '--settings', file })
  end
  return spawn(cmd, env, function(result)
    if file then
      vim.fn.delete(file)
    end
    on_exit(result)
  end)
end

local function status_requests(clients)
  local pending = {}
  for _, client in ipairs(clients) do
    local entry = { client = client }
    local handler = function(err, result)
      entry.done, entry.err, entry.result = true, err, result
    end
    local sent
    if vim.fn.has('nvim-0.11') == 1 then
      sent = client:request('seed/status', vim.empty_dict(), handler)
    else
      sent = client.request('seed/status', vim.empty_dict(), handler)
    end
    entry.done = entry.done or not sent
    pending[#pending + 1] = entry
  end
  return pending
end

--- "inline: 12 shown, 7 accepted (1 in part), 4 dismissed, 93% kept after 30 s; nextEdit: ..."
--- from `seed/status`'s `suggestions` (counted by the server, kept on this machine).
function M.stats_line(suggestions)
  if type(suggestions) ~= 'table' then
    return nil
  end
  local parts = {}
  for _, feature in ipairs({ 'inline', 'nextEdit' }) do
    local s = suggestions[feature]
    if type(s) == 'table' then
      local text = ('%s: %d shown, %d accepted'):format(feature, tonumber(s.shown) or 0, tonumber(s.accepted) or 0)
      if (tonumber(s.partiallyAccepted) or 0) > 0 then
        text = text .. (' (%d in part)'):format(s.partiallyAccepted)
      end
      text = text .. (', %d dismissed'):format(tonumber(s.dismissed) or 0)
      local ratio = type(s.retention) == 'table' and tonumber(s.retention.ratio)
      if ratio then
        text = text .. (', %d%% kept after 30 s'):format(math.floor(ratio * 100 + 0.5))
      end
      parts[#parts + 1] = text
    end
  end
  return #parts > 0 and table.concat(parts, '; ') or nil
end

function M.check()
  local started = vim.uv.now()
  local deadline = started + M.budget_ms
  local plugin = require('seed_lsp')
  local config = plugin.config
  start('seed_lsp: Neovim')
  if vim.fn.has('nvim-0.10') == 0 then
    error('Neovim 0.10 or newer is required')
    return
  end
  if not config then
    warn("setup() was not called: showing the defaults", { "Call require('seed_lsp').setup({})" })
    config = vim.deepcopy(plugin.defaults)
  end
  local v = vim.version()
  if plugin.native_inline() then
    ok(('Neovim %d.%d.%d: ghost text from vim.lsp.inline_completion'):format(v.major, v.minor, v.patch))
  else
    ok(('Neovim %d.%d.%d: ghost text from the plugin\'s renderer'):format(v.major, v.minor, v.patch))
  end

  -- Start everything slow at once, then wait for all of it within the budget.
  local server = plugin.config and plugin.server or nil
  if not plugin.config then
    plugin.config = config
    server = plugin.resolve_server()
    plugin.config = nil
  end
  local settings = vim.deepcopy(config.settings or {})
  local key_from = key_source(settings)
  local base = server and type(server.cmd) == 'table' and vim.fn.executable(server.cmd[1] or '') == 1 and base_cmd(server.cmd)
  local version, check
  if base then
    version = spawn(vim.list_extend(vim.deepcopy(base), { '--version' }))
    check = start_check(base, settings, key_from, function(result)
      if check.reported then
        return
      end
      -- Finished after :checkhealth stopped waiting: say so, and keep it for the next one.
      M.late_check = { result = result, at = os.time() }
      if result.code == 0 then
        require('seed_lsp.util').notify('seed-lsp check (from :checkhealth): OK')
      else
        require('seed_lsp.util').notify('seed-lsp check (from :checkhealth) failed: ' .. M.check_reason(result), vim.log.levels.WARN)
      end
    end)
  end
  local clients = (vim.lsp.get_clients or vim.lsp.get_active_clients)({ name = 'seed_lsp' })
  local statuses = status_requests(clients)
  vim.wait(math.max(0, deadline - vim.uv.now()), function()
    local done = (not version or version.result) and (not check or check.result)
    for _, s in ipairs(statuses) do
      done = done and s.done
    end
    return done
  end, 20)
  local waited = (vim.uv.now() - started) / 1000
  local budget = M.budget_ms / 1000

  start('seed_lsp: server')
  if not server then
    error('no server: `seed-lsp` is not on $PATH and :SeedInstall has not run', {
      ('Run :SeedInstall (installs seed-lsp from this checkout into %s)'):format(require('seed_lsp.install').venv()),
      'or set `cmd` in setup() to a seed-lsp you installed',
    })
  elseif type(server.cmd) ~= 'table' then
    info('cmd is a function: skipping the binary checks')
  elseif not base then
    error(('binary not found: %s (%s)'):format(tostring(server.cmd[1]), server.origin), {
      'Run :SeedInstall, or set `cmd` in setup() to an executable',
    })
  else
    ok(('server binary: %s (from %s)'):format(vim.fn.exepath(server.cmd[1]), server.origin))
    local record = server.origin == ':SeedInstall' and require('seed_lsp.install').record()
    if record then
      local source_version = require('seed_lsp.install').source_version()
      if source_version and record.version and source_version ~= record.version then
        warn(('installed seed-lsp %s, this checkout is %s'):format(record.version, source_version), { 'Run :SeedInstall to update it' })
      end
    end
    if not version.result then
      version.obj:kill(15)
      warn(('`seed-lsp --version` timed out after %.1f s'):format(budget))
    elseif version.result.code == 0 then
      ok('version: ' .. vim.trim(version.result.stdout ~= '' and version.result.stdout or version.result.stderr))
    else
      error('`--version` failed: ' .. M.check_reason(version.result))
    end
  end

  start('seed_lsp: API key')
  if key_from then
    ok('API key: set (from ' .. key_from .. ')')
  else
    error('API key: not set', {
      'export AIMLAPI_KEY=... before starting Neovim, or pass settings = { apiKey = ... } to setup()',
    })
  end

  start('seed_lsp: seed-lsp check')
  if not check then
    info('skipped: no server binary')
  elseif check.result then
    check.reported = true
    report_check(check.result)
  else
    warn(('seed-lsp check: timed out after %.1f s (the endpoint is slow or silent); it goes on in the background and says its result when it ends'):format(budget), {
      'Run `seed-lsp check` in a shell to watch it',
    })
    if M.late_check then
      info(('the last check that finished late (%s):'):format(os.date('%H:%M:%S', M.late_check.at)))
      report_check(M.late_check.result)
    end
  end

  start('seed_lsp: client')
  if #clients == 0 then
    info('no seed_lsp client running (open a file of one of the configured filetypes)')
  end
  for _, s in ipairs(statuses) do
    local status = s.result
    if not s.done then
      warn(('client %d: seed/status timed out after %.1f s'):format(s.client.id, budget))
    elseif type(status) == 'table' then
      ok(('client %d: seed-lsp %s, model %s at %s, key %s, %d open documents'):format(
        s.client.id,
        tostring(status.version),
        tostring(status.model),
        tostring(status.baseUrl),
        status.hasKey and 'set' or 'missing',
        tonumber(status.openDocuments) or 0
      ))
      local stats = M.stats_line(status.suggestions)
      if stats then
        info('suggestions: ' .. stats)
      end
    else
      warn(('client %d: no answer to seed/status'):format(s.client.id))
    end
  end
  info('usage: ' .. require('seed_lsp.usage').summary())
  info(('checked in %.1f s'):format(waited))
end

return M
