-- Test harness for headless Neovim: run a test body as a coroutine that can sleep and wait
-- while Neovim's event loop runs (LSP messages, timers, typed keys), then write the outcome
-- as JSON to $SEED_TEST_OUT and quit (`cquit 1` on failure). A watchdog bounds every run.
local T = { results = {} }

-- Record notifications instead of printing them: an error message arriving while a command
-- runs would otherwise abort the command in headless mode.
T.notifications = {}
vim.notify = function(msg, level)
  table.insert(T.notifications, { msg = msg, level = level })
end

local out = assert(os.getenv('SEED_TEST_OUT'), 'SEED_TEST_OUT not set')
local finished = false

function T.finish(ok, message)
  if finished then
    return
  end
  finished = true
  local payload = {
    ok = ok,
    message = message or '',
    results = T.results,
    notifications = T.notifications,
    messages = vim.fn.execute('messages'),
  }
  local f = assert(io.open(out, 'w'))
  f:write(vim.json.encode(payload))
  f:close()
  vim.cmd(ok and 'qall!' or 'cquit! 1')
end

--- Sleep {ms} milliseconds, letting Neovim run (only inside T.run).
function T.sleep(ms)
  local co = coroutine.running()
  vim.defer_fn(function()
    local ok, err = coroutine.resume(co)
    if not ok then
      T.finish(false, tostring(err))
    end
  end, ms)
  coroutine.yield()
end

--- Wait until {cond}() returns a truthy value (returned), or fail after {timeout} ms.
function T.wait(what, cond, timeout)
  local deadline = vim.uv.now() + (timeout or 10000)
  while true do
    local ok, value = pcall(cond)
    if ok and value then
      return value
    end
    if vim.uv.now() > deadline then
      error('timed out waiting for ' .. what .. (ok and '' or (': ' .. tostring(value))), 2)
    end
    T.sleep(25)
  end
end

function T.eq(expected, actual, what)
  if not vim.deep_equal(expected, actual) then
    error(('%s: expected %s, got %s'):format(what or 'value', vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

--- Type {keys} as if the user did (mappings apply); they run once the body yields.
function T.type(keys)
  vim.api.nvim_feedkeys(vim.keycode(keys), 'mt', false)
end

--- Run {body} as the test; its errors fail the run with a traceback.
function T.run(body, watchdog_ms)
  vim.defer_fn(function()
    T.finish(false, 'watchdog: the test did not finish in time')
  end, watchdog_ms or 20000)
  local co = coroutine.create(function()
    local ok, err = xpcall(body, debug.traceback)
    T.finish(ok, not ok and tostring(err) or nil)
  end)
  vim.schedule(function()
    local ok, err = coroutine.resume(co)
    if not ok then
      T.finish(false, tostring(err))
    end
  end)
end

--- Parameters from the Python side: plugin, cmd, workspace, and each test's own.
T.params = vim.json.decode(os.getenv('SEED_TEST_PARAMS') or '{}')

--- `require('seed_lsp').setup()` with the server command of this test run.
function T.setup(opts)
  local plugin = require('seed_lsp')
  plugin.setup(vim.tbl_deep_extend('force', { cmd = T.params.cmd }, opts or {}))
  return plugin
end

--- Edit {name} of the workspace and wait until seed-lsp is attached to it.
function T.open(name)
  vim.cmd.edit(vim.fs.joinpath(T.params.workspace, name))
  return T.wait('seed-lsp to attach', function()
    return require('seed_lsp.util').client()
  end)
end

--- Fail at once when the server does not offer {capability} (a feature not merged yet).
function T.needs(client, capability)
  local value = vim.tbl_get(client.server_capabilities, unpack(vim.split(capability, '.', { plain = true })))
  if not value then
    error('the server does not offer ' .. capability, 2)
  end
  return value
end

--- Fail at once when the server does not offer workspace/executeCommand {command}.
function T.needs_command(client, command)
  local commands = T.needs(client, 'executeCommandProvider.commands')
  if not vim.tbl_contains(commands, command) then
    error('the server does not offer the command ' .. command, 2)
  end
end

function T.lines(bufnr)
  return vim.api.nvim_buf_get_lines(bufnr or 0, 0, -1, false)
end

function T.text(bufnr)
  return table.concat(T.lines(bufnr), '\n')
end

--- Extmarks (with details) of namespace {name} in the current buffer.
function T.extmarks(name)
  local ns = vim.api.nvim_create_namespace(name)
  return vim.api.nvim_buf_get_extmarks(0, ns, 0, -1, { details = true })
end

return T
