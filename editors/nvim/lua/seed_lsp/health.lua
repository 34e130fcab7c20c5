--- :checkhealth seed_lsp: the binary, its version, the API key, `seed-lsp check`, and the
--- running client.
local M = {}

local health = vim.health
local start = health.start or health.report_start
local ok = health.ok or health.report_ok
local warn = health.warn or health.report_warn
local error = health.error or health.report_error
local info = health.info or health.report_info

local KEY_ENV = { 'AIMLAPI_KEY', 'SEED_LSP_API_KEY' }
local TIMEOUT_MS = 20000

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

local function run(cmd, env)
  local okay, obj = pcall(function()
    return vim.system(cmd, { text = true, env = env }):wait(TIMEOUT_MS)
  end)
  if not okay then
    return { code = -1, stdout = '', stderr = tostring(obj) }
  end
  return obj
end

local function last_line(text)
  local lines = vim.split(vim.trim(text or ''), '\n', { plain = true })
  return lines[#lines] or ''
end

function M.check()
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

  start('seed_lsp: server')
  local cmd = config.cmd
  if type(cmd) ~= 'table' or not cmd[1] then
    info('cmd is a function: skipping the binary checks')
    return
  end
  if vim.fn.executable(cmd[1]) == 0 then
    error(('binary not found: %s'):format(cmd[1]), {
      'pip install seed-lsp (or pipx install seed-lsp), or set cmd in setup()',
    })
    return
  end
  ok('binary: ' .. vim.fn.exepath(cmd[1]))
  local base = base_cmd(cmd)
  local version = run(vim.list_extend(vim.deepcopy(base), { '--version' }))
  if version.code == 0 then
    ok('version: ' .. vim.trim(version.stdout ~= '' and version.stdout or version.stderr))
  else
    error('`--version` failed: ' .. last_line(version.stderr))
  end

  start('seed_lsp: API key')
  local settings = vim.deepcopy(config.settings or {})
  local key_from
  if type(settings.apiKey) == 'string' and settings.apiKey ~= '' then
    key_from = 'settings.apiKey'
  else
    for _, name in ipairs(KEY_ENV) do
      if (vim.env[name] or '') ~= '' then
        key_from = '$' .. name
        break
      end
    end
  end
  if key_from then
    ok('API key: set (from ' .. key_from .. ')')
  else
    error('API key: not set', {
      'export AIMLAPI_KEY=... before starting Neovim, or pass settings = { apiKey = ... } to setup()',
    })
  end

  start('seed_lsp: seed-lsp check')
  -- The key goes through the environment, the rest of the settings through a file.
  local env = nil
  if key_from == 'settings.apiKey' then
    env = { SEED_LSP_API_KEY = settings.apiKey }
  end
  settings.apiKey = nil
  local check_cmd = vim.list_extend(vim.deepcopy(base), { 'check' })
  local file
  if next(settings) then
    file = vim.fn.tempname() .. '.json'
    vim.fn.writefile({ vim.json.encode({ seedLsp = settings }) }, file)
    vim.list_extend(check_cmd, { '--settings', file })
  end
  local result = run(check_cmd, env)
  if file then
    vim.fn.delete(file)
  end
  local out = vim.trim((result.stdout or '') .. '\n' .. (result.stderr or ''))
  if result.code == 0 then
    ok('seed-lsp check: OK')
    for _, line in ipairs(vim.split(vim.trim(result.stdout or ''), '\n', { plain = true })) do
      if line ~= 'OK' and line ~= '' then
        info(line)
      end
    end
  else
    error('seed-lsp check failed: ' .. last_line(out), { 'Run `seed-lsp check` in a shell for details' })
  end

  start('seed_lsp: client')
  local clients = (vim.lsp.get_clients or vim.lsp.get_active_clients)({ name = 'seed_lsp' })
  if #clients == 0 then
    info('no seed_lsp client running (open a file of one of the configured filetypes)')
    return
  end
  for _, client in ipairs(clients) do
    local response
    if vim.fn.has('nvim-0.11') == 1 then
      response = client:request_sync('seed/status', vim.empty_dict(), 3000)
    else
      response = client.request_sync('seed/status', vim.empty_dict(), 3000)
    end
    local status = response and response.result
    if type(status) == 'table' then
      ok(('client %d: seed-lsp %s, model %s at %s, key %s, %d open documents'):format(
        client.id,
        tostring(status.version),
        tostring(status.model),
        tostring(status.baseUrl),
        status.hasKey and 'set' or 'missing',
        tonumber(status.openDocuments) or 0
      ))
    else
      warn(('client %d: no answer to seed/status'):format(client.id))
    end
  end
  info('usage: ' .. plugin.statusline())
end

return M
