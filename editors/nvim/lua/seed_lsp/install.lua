--- :SeedInstall: the server in a virtual environment of the plugin's own, so that nothing has
--- to be put on $PATH. The environment lives under `stdpath('data')/seed_lsp/venv`; seed-lsp is
--- installed into it with pip from the checkout this plugin is part of (the repository two
--- folders above `editors/nvim`), its dependencies from the package index (or whatever pip is
--- configured to use). The plugin starts that server when `seed-lsp` is not on $PATH.
local util = require('seed_lsp.util')

local M = {}

local is_win = vim.fn.has('win32') == 1

--- Where the plugin keeps its server.
function M.dir()
  return vim.fs.joinpath(vim.fn.stdpath('data'), 'seed_lsp')
end

function M.venv()
  return vim.fs.joinpath(M.dir(), 'venv')
end

local function bin(name)
  local folder = is_win and 'Scripts' or 'bin'
  return vim.fs.joinpath(M.venv(), folder, name .. (is_win and '.exe' or ''))
end

--- The installed server's executable, or nil when :SeedInstall has not run.
function M.server()
  local exe = bin('seed-lsp')
  return vim.fn.executable(exe) == 1 and exe or nil
end

local RECORD = 'seed-lsp-install.json'

--- What :SeedInstall installed: `{ version, source, python, python_version, installed_at }`.
function M.record()
  local ok, data = pcall(function()
    return vim.json.decode(table.concat(vim.fn.readfile(vim.fs.joinpath(M.dir(), RECORD)), '\n'))
  end)
  return ok and type(data) == 'table' and data or nil
end

--- The repository this plugin is in (it holds pyproject.toml), or nil.
function M.source()
  local here = debug.getinfo(1, 'S').source:sub(2) -- .../editors/nvim/lua/seed_lsp/install.lua
  local root = vim.fs.normalize(vim.fn.fnamemodify(here, ':p:h:h:h:h:h'))
  if vim.fn.filereadable(vim.fs.joinpath(root, 'pyproject.toml')) == 1 then
    return root
  end
  return nil
end

--- The version of the checkout (from seed_lsp/__init__.py), or nil.
function M.source_version(source)
  source = source or M.source()
  local ok, lines = pcall(vim.fn.readfile, vim.fs.joinpath(source or '', 'seed_lsp', '__init__.py'))
  if not ok then
    return nil
  end
  for _, line in ipairs(lines) do
    local v = line:match('^__version__%s*=%s*"([^"]+)"')
    if v then
      return v
    end
  end
  return nil
end

local PROBE = 'import json, sys, importlib.util as u; print(json.dumps({"version": list(sys.version_info[:3]), '
  .. '"executable": sys.executable, "ensurepip": u.find_spec("ensurepip") is not None}))'

--- Probe {python}: `{ version = {3, 11, 2}, executable, ensurepip }`, or nil, reason.
function M.probe(python)
  if vim.fn.executable(python) == 0 then
    return nil, 'not found'
  end
  local ok, result = pcall(function()
    return vim.system({ python, '-c', PROBE }, { text = true }):wait(10000)
  end)
  if not ok or result.code ~= 0 then
    return nil, 'did not run'
  end
  local decoded_ok, info = pcall(vim.json.decode, vim.trim(result.stdout or ''))
  if not decoded_ok or type(info) ~= 'table' or type(info.version) ~= 'table' then
    return nil, 'did not run'
  end
  return info
end

--- Why {info} (a probe) cannot build the environment, or nil.
function M.unusable(info)
  local major, minor = info.version[1], info.version[2]
  local text = table.concat(info.version, '.')
  if major < 3 or (major == 3 and minor < 11) then
    return ('is Python %s, older than 3.11'):format(text)
  end
  if not info.ensurepip then
    return ('is Python %s without ensurepip (Debian/Ubuntu: sudo apt install python%d.%d-venv)'):format(text, major, minor)
  end
  return nil
end

--- The first usable Python of {candidates} (default: python3, python), or nil and the message
--- that says what was tried and what to install.
function M.find_python(candidates)
  candidates = candidates or (is_win and { 'python', 'py' } or { 'python3', 'python' })
  local tried = {}
  for _, python in ipairs(candidates) do
    local info, reason = M.probe(python)
    reason = reason or M.unusable(info)
    if not reason then
      return python, info
    end
    tried[#tried + 1] = ('%s %s'):format(python, reason)
  end
  return nil,
    ('no Python 3.11 or newer found (tried: %s). Install Python 3.11+ with its venv module '
      .. '(Debian/Ubuntu: sudo apt install python3 python3-venv; macOS: brew install python@3.12; '
      .. 'Windows: python.org), then run :SeedInstall, or set `python` in setup()'):format(table.concat(tried, '; '))
end

local function last_line(text)
  local lines = vim.split(vim.trim(text or ''), '\n', { plain = true })
  for i = #lines, 1, -1 do
    local line = vim.trim(lines[i])
    if line:match('^ERROR:') then
      return (line:gsub('^ERROR:%s*', ''))
    end
  end
  return lines[#lines] or ''
end

--- A clean copy of the package's sources (pyproject.toml, README.md, seed_lsp/) under the
--- plugin's folder, for pip to build from: pip builds in the tree it is given, and a build/
--- folder kept in the checkout can carry deleted modules into the next install.
function M.snapshot(source)
  local dest = vim.fs.joinpath(M.dir(), 'src')
  vim.fn.delete(dest, 'rf')
  vim.fn.mkdir(vim.fs.joinpath(dest, 'seed_lsp'), 'p')
  for _, file in ipairs({ 'pyproject.toml', 'README.md' }) do
    assert(vim.uv.fs_copyfile(vim.fs.joinpath(source, file), vim.fs.joinpath(dest, file)))
  end
  local package = vim.fs.joinpath(source, 'seed_lsp')
  for name, kind in vim.fs.dir(package, { depth = 20 }) do
    local from, to = vim.fs.joinpath(package, name), vim.fs.joinpath(dest, 'seed_lsp', name)
    if not name:find('__pycache__', 1, true) then
      if kind == 'directory' then
        vim.fn.mkdir(to, 'p')
      elseif kind == 'file' and not name:match('%.py[co]$') then
        assert(vim.uv.fs_copyfile(from, to))
      end
    end
  end
  return dest
end

--- True while an install runs.
M.running = false

--- Install (or update) the server. {opts}: `python` (a command or a list to try), `fresh`
--- (start from a new environment), `on_done(ok, message)`, `quiet` (no progress messages).
--- Returns at once; the steps run in the background.
function M.run(opts)
  opts = opts or {}
  local say = function(msg, level)
    if not opts.quiet or level then
      util.notify(msg, level)
    end
  end
  local function finish(ok, msg)
    M.running = false
    say(msg, ok and vim.log.levels.INFO or vim.log.levels.ERROR)
    vim.api.nvim_exec_autocmds('User', { pattern = 'SeedInstall', modeline = false, data = { ok = ok, message = msg } })
    if opts.on_done then
      opts.on_done(ok, msg)
    end
  end
  if M.running then
    finish(false, ':SeedInstall is already running')
    return
  end
  local source = M.source()
  if not source then
    finish(false, 'cannot install: this plugin is not inside a seed-lsp checkout (no pyproject.toml two folders up)')
    return
  end
  M.running = true
  local started = vim.uv.now()
  vim.fn.mkdir(M.dir(), 'p')
  local copied, build_from = pcall(M.snapshot, source)
  if not copied then
    finish(false, 'cannot copy the sources to build from: ' .. tostring(build_from))
    return
  end
  local venv_python = bin('python')
  local fresh = opts.fresh or vim.fn.executable(venv_python) == 0
  local steps = {}
  local python, info
  if fresh then
    local candidates = opts.python and (type(opts.python) == 'table' and opts.python or { opts.python }) or nil
    python, info = M.find_python(candidates)
    if not python then
      finish(false, info)
      return
    end
    vim.fn.delete(M.venv(), 'rf')
    vim.fn.mkdir(M.dir(), 'p')
    steps[#steps + 1] = {
      say = ('creating a virtual environment with Python %s…'):format(table.concat(info.version, '.')),
      cmd = { python, '-m', 'venv', M.venv() },
      fail = 'creating the virtual environment failed',
    }
  else
    steps[#steps + 1] = {
      say = 'replacing the installed seed-lsp…',
      cmd = { venv_python, '-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--force-reinstall', '--no-deps', build_from },
      fail = 'updating seed-lsp failed',
    }
  end
  steps[#steps + 1] = {
    say = ('installing seed-lsp %s from %s and its dependencies…'):format(M.source_version(source) or '?', source),
    cmd = { venv_python, '-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--progress-bar', 'off', build_from },
    fail = 'installing seed-lsp failed (its dependencies come from the Python package index: check the network or proxy)',
  }
  steps[#steps + 1] = { cmd = { bin('seed-lsp'), '--version' }, fail = 'the installed server does not run' }

  local function step(i)
    local s = steps[i]
    if not s then
      local record = {
        version = M.source_version(source),
        source = source,
        python = python or (M.record() or {}).python,
        python_version = info and table.concat(info.version, '.') or (M.record() or {}).python_version,
        installed_at = os.date('!%Y-%m-%dT%H:%M:%SZ'),
      }
      vim.fn.writefile({ vim.json.encode(record) }, vim.fs.joinpath(M.dir(), RECORD))
      finish(true, ('server installed: %s in %s (%.0f s)'):format(M.server() or '?', M.venv(), (vim.uv.now() - started) / 1000))
      return
    end
    if s.say then
      say(s.say)
    end
    local ok, err = pcall(vim.system, s.cmd, { text = true, env = { PYTHONUTF8 = '1' } }, vim.schedule_wrap(function(result)
      if result.code ~= 0 then
        finish(false, ('%s: %s'):format(s.fail, last_line((result.stderr or '') .. '\n' .. (result.stdout or ''))))
        return
      end
      step(i + 1)
    end))
    if not ok then
      finish(false, ('%s: %s'):format(s.fail, tostring(err)))
    end
  end
  step(1)
end

return M
