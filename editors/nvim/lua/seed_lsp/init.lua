--- seed-lsp for Neovim: starts the server, ghost text, :SeedExplain / :SeedRefactor / :SeedFix / :SeedHover,
--- a statusline component and `:checkhealth seed_lsp`.
---
---   require('seed_lsp').setup({ settings = { model = '...' } })
---
--- See `:help seed_lsp`.
local util = require('seed_lsp.util')
local usage = require('seed_lsp.usage')

local M = {}

--- Every option, with its default. `setup()` deep-merges the user's options over these.
M.defaults = {
  --- How to start the server. nil: `seed-lsp` on $PATH, else the one :SeedInstall installed.
  cmd = nil,
  --- Python for :SeedInstall (a command or a list to try); nil: python3, then python.
  python = nil,
  --- Filetypes the server attaches to: programming languages. Prose and configuration
  --- (markdown, tex, json, yaml, toml, ...) are not in it, so that writing them costs nothing:
  --- add the ones you want with `extra_filetypes`.
  filetypes = {
    'bash', 'c', 'clojure', 'cmake', 'cpp', 'cs', 'css', 'cuda', 'd', 'dart', 'dockerfile',
    'elixir', 'elm', 'erlang', 'fish', 'fortran', 'fsharp', 'gdscript', 'go', 'graphql',
    'groovy', 'haskell', 'hcl', 'html', 'java', 'javascript', 'javascriptreact', 'julia',
    'kotlin', 'less', 'lua', 'make', 'matlab', 'nim', 'nix', 'objc', 'objcpp', 'ocaml', 'perl',
    'php', 'proto', 'ps1', 'python', 'r', 'ruby', 'rust', 'scala', 'scss', 'sh', 'solidity',
    'sql', 'svelte', 'swift', 'terraform', 'typescript', 'typescriptreact', 'verilog', 'vhdl',
    'vim', 'vue', 'zig', 'zsh',
  },
  --- Added to `filetypes`, e.g. { 'markdown', 'yaml' }: the opt-in for prose and config.
  extra_filetypes = {},
  --- Files that mark a workspace root (without one, the server runs on the single file).
  root_markers = { '.git' },
  --- The `seedLsp` section: answered to `workspace/configuration` (see the README's table).
  --- The plugin shows explanations in a float, so it turns the server's extra document off.
  settings = { explain = { openDocument = false } },
  --- Passed as `initializationOptions` (rarely needed: `settings` is re-read on change).
  init_options = nil,
  --- Extra client capabilities, merged over Neovim's.
  capabilities = nil,
  --- Called as on_attach(client, bufnr) after the plugin's own setup of the buffer.
  on_attach = nil,
  inline = {
    --- Ghost text on or off.
    enabled = true,
    --- 'auto': Neovim's own `vim.lsp.inline_completion` on 0.12+, the plugin's renderer
    --- before; 'native' or 'fallback' force one.
    mode = 'auto',
    --- Fallback renderer only: wait this long after typing before asking.
    debounce_ms = 150,
    --- Fallback renderer only: highlight group of the ghost text.
    hl_group = 'SeedGhostText',
  },
  next_edit = {
    --- Next edit suggestions (`textDocument/copilotInlineEdit`) on or off.
    enabled = true,
    --- Ask this long after a change in normal mode (the server waits out its own debounce too).
    debounce_ms = 150,
  },
  --- Buffer-local keymaps; set one to false to leave it out. Insert mode: accept, next, prev,
  --- dismiss (each types its key as usual when no ghost text is shown; accept also jumps to
  --- and applies a shown next edit). Normal mode: next_edit_accept (jump to the shown next
  --- edit, then apply it) and next_edit_dismiss, each its usual self when none is shown;
  --- explain, fix (normal/visual; off by default).
  keymaps = {
    accept = '<Tab>',
    next = '<M-]>',
    prev = '<M-[>',
    dismiss = '<C-]>',
    next_edit_accept = '<Tab>',
    next_edit_dismiss = '<Esc>',
    explain = false,
    fix = false,
  },
}

--- The resolved options (after `setup()`).
M.config = nil

--- The server command in use and where it came from: `{ cmd = {...}, origin = 'PATH' }`
--- ('cmd in setup()', 'PATH', ':SeedInstall'), or nil when there is none (after `setup()`).
M.server = nil

--- True when ghost text comes from Neovim's own module (0.12+), false for our renderer.
function M.native_inline()
  if (M.config or M.defaults).inline.mode == 'fallback' then
    return false
  end
  -- 'auto' and 'native': Neovim's module where it exists.
  return vim.lsp.inline_completion ~= nil and vim.lsp.inline_completion.get ~= nil
end

-- Insert-mode actions on the ghost text, each true when there was ghost text to act on.
local actions = {}

function actions.accept()
  if M.native_inline() then
    return vim.lsp.inline_completion.get()
  end
  return require('seed_lsp.inline').accept()
end

function actions.next()
  if M.native_inline() then
    vim.lsp.inline_completion.select({ count = 1 })
    return true
  end
  return require('seed_lsp.inline').select(1)
end

function actions.prev()
  if M.native_inline() then
    vim.lsp.inline_completion.select({ count = -1 })
    return true
  end
  return require('seed_lsp.inline').select(-1)
end

function actions.dismiss()
  if M.native_inline() then
    -- Accepting with a handler that does nothing hides the item and forgets it.
    return vim.lsp.inline_completion.get({ on_accept = function() end })
  end
  return require('seed_lsp.inline').dismiss()
end

--- Accept the ghost text; false when none is shown.
M.accept = actions.accept
--- Show the next suggestion.
M.next = actions.next
--- Show the previous suggestion.
M.prev = actions.prev
--- Hide the ghost text; false when none is shown.
M.dismiss = actions.dismiss

local function set_keymaps(bufnr)
  local km = M.config.keymaps
  local next_edit = require('seed_lsp.next_edit')
  for _, name in ipairs({ 'accept', 'next', 'prev', 'dismiss' }) do
    local lhs = km[name]
    if lhs then
      vim.keymap.set('i', lhs, function()
        if actions[name]() then
          if name == 'accept' and M.config.next_edit.enabled then
            -- An accepted suggestion is an edit: the next one may follow it.
            next_edit.schedule(bufnr, 300)
          end
          return ''
        end
        if name == 'accept' and next_edit.jump_or_apply(bufnr) then
          return ''
        end
        if name == 'dismiss' and next_edit.dismiss(bufnr) then
          return ''
        end
        return lhs
      end, { buffer = bufnr, expr = true, replace_keycodes = true, desc = 'Seed: ' .. name .. ' ghost text' })
    end
  end
  if M.config.next_edit.enabled then
    if km.next_edit_accept then
      vim.keymap.set('n', km.next_edit_accept, function()
        return next_edit.jump_or_apply(bufnr) and '' or km.next_edit_accept
      end, { buffer = bufnr, expr = true, replace_keycodes = true, desc = 'Seed: jump to the next edit, then apply it' })
    end
    if km.next_edit_dismiss then
      vim.keymap.set('n', km.next_edit_dismiss, function()
        return next_edit.dismiss(bufnr) and '' or km.next_edit_dismiss
      end, { buffer = bufnr, expr = true, replace_keycodes = true, desc = 'Seed: dismiss the next edit' })
    end
  end
  if km.explain then
    vim.keymap.set({ 'n', 'x' }, km.explain, ':SeedExplain<CR>', { buffer = bufnr, silent = true, desc = 'Seed: explain' })
  end
  if km.fix then
    vim.keymap.set('n', km.fix, '<Cmd>SeedFix<CR>', { buffer = bufnr, desc = 'Seed: fix the diagnostic' })
  end
end

local function on_attach(client, bufnr)
  local inline = M.config.inline
  if inline.enabled and client.server_capabilities.inlineCompletionProvider then
    if M.native_inline() then
      vim.lsp.inline_completion.enable(true, { bufnr = bufnr })
    else
      require('seed_lsp.inline').attach(bufnr, client.id, {
        debounce_ms = inline.debounce_ms,
        hl_group = inline.hl_group,
      })
    end
  end
  if M.config.next_edit.enabled then
    require('seed_lsp.next_edit').attach(bufnr, client.id, { debounce_ms = M.config.next_edit.debounce_ms })
  end
  set_keymaps(bufnr)
  if M.config.on_attach then
    M.config.on_attach(client, bufnr)
  end
end

-- Neovim sends each server only its own diagnostics in a code-action request; Seed offers a
-- fix for any diagnostic, so its requests also carry the other sources' diagnostics on the
-- requested lines (another server's, a linter's), converted to LSP.
local function with_all_diagnostics(client, bufnr, params)
  local context = params.context
  if type(context) ~= 'table' or not params.range then
    return params
  end
  local first, last = params.range.start.line, params.range['end'].line
  local have = {}
  for _, d in ipairs(context.diagnostics or {}) do
    have[vim.inspect({ d.range, d.message })] = true
  end
  local extra = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local end_lnum = d.end_lnum or d.lnum
    if d.lnum <= last and end_lnum >= first then
      local lsp = d.user_data and d.user_data.lsp
      if type(lsp) ~= 'table' or not lsp.range then
        local encoding = client.offset_encoding or 'utf-16'
        lsp = {
          range = {
            start = util.position(bufnr, d.lnum, d.col, encoding),
            ['end'] = util.position(bufnr, end_lnum, d.end_col or d.col, encoding),
          },
          message = d.message,
          severity = d.severity,
          source = d.source,
          code = d.code,
        }
      end
      local key = vim.inspect({ lsp.range, lsp.message })
      if not have[key] then
        have[key] = true
        extra[#extra + 1] = lsp
      end
    end
  end
  if #extra > 0 then
    params = vim.deepcopy(params)
    params.context.diagnostics = vim.list_extend(vim.deepcopy(context.diagnostics or {}), extra)
  end
  return params
end

local function wrap_requests(client)
  local request = client.request
  if util.has(11) then
    client.request = function(self, method, params, handler, bufnr)
      if method == 'textDocument/codeAction' and type(params) == 'table' then
        params = with_all_diagnostics(self, bufnr or vim.api.nvim_get_current_buf(), params)
      end
      return request(self, method, params, handler, bufnr)
    end
  else
    client.request = function(method, params, handler, bufnr)
      if method == 'textDocument/codeAction' and type(params) == 'table' then
        params = with_all_diagnostics(client, bufnr or vim.api.nvim_get_current_buf(), params)
      end
      return request(method, params, handler, bufnr)
    end
  end
end

M._with_all_diagnostics = with_all_diagnostics

local function capabilities()
  local caps = vim.lsp.protocol.make_client_capabilities()
  if not M.native_inline() then
    -- Tell the server we render ghost text (so it need not offer completion items instead).
    caps = vim.tbl_deep_extend('force', caps, {
      textDocument = { inlineCompletion = { dynamicRegistration = false } },
    })
  end
  return vim.tbl_deep_extend('force', caps, M.config.capabilities or {})
end

--- The client configuration handed to `vim.lsp.config` (or `vim.lsp.start` on 0.10).
function M.client_config()
  local settings = M.config.settings
  return {
    cmd = M.server and M.server.cmd,
    filetypes = M.config.filetypes,
    root_markers = M.config.root_markers,
    settings = { seedLsp = next(settings) and settings or vim.empty_dict() },
    init_options = M.config.init_options,
    capabilities = capabilities(),
    handlers = {
      ['seed/usage'] = usage.on_usage,
      -- Every log line also arrives on stderr, which lsp.log keeps at its own level (see
      -- seed_lsp.log): logging window/logMessage as well would write each line twice.
      ['window/logMessage'] = function() end,
    },
    on_init = function(client)
      wrap_requests(client)
    end,
    on_attach = on_attach,
  }
end

--- Which server to start: `cmd` from setup(), else `seed-lsp` on $PATH, else :SeedInstall's.
function M.resolve_server()
  if M.config.cmd then
    return { cmd = M.config.cmd, origin = 'cmd in setup()' }
  end
  if vim.fn.executable('seed-lsp') == 1 then
    return { cmd = { vim.fn.exepath('seed-lsp'), '--stdio' }, origin = 'PATH' }
  end
  local installed = require('seed_lsp.install').server()
  if installed then
    return { cmd = { installed, '--stdio' }, origin = ':SeedInstall' }
  end
  return nil
end

local warned = false

-- Said once, when a buffer the server would attach to is opened: without this the only trace
-- of a missing server is a line in lsp.log.
local function warn_missing()
  if warned then
    return
  end
  warned = true
  local cmd = M.config.cmd
  if cmd then
    util.notify(('the server command `%s` (cmd in setup()) is not executable'):format(tostring(cmd[1])), vim.log.levels.ERROR)
  else
    util.notify(
      ('no server: `seed-lsp` is not on $PATH and :SeedInstall has not run. Run :SeedInstall '
        .. '(installs it into %s; needs Python 3.11+), or set `cmd` in setup()'):format(require('seed_lsp.install').venv()),
      vim.log.levels.WARN
    )
  end
end

local function create_commands()
  local cmds = require('seed_lsp.commands')
  vim.api.nvim_create_user_command('SeedExplain', cmds.explain, {
    range = true,
    desc = 'Explain the selected lines (or the function at the cursor) in a float',
  })
  vim.api.nvim_create_user_command('SeedRefactor', cmds.refactor, {
    range = true,
    nargs = '*',
    desc = 'Rewrite the selected lines (or the function at the cursor) as instructed',
  })
  vim.api.nvim_create_user_command('SeedFix', cmds.fix, {
    desc = 'Fix the diagnostic under the cursor',
  })
  vim.api.nvim_create_user_command('SeedHover', cmds.hover, {
    desc = 'Explain the symbol under the cursor (hover.mode = "explicit" asks only this way)',
  })
  vim.api.nvim_create_user_command('SeedInstall', function(opts)
    M.install({ fresh = opts.bang })
  end, {
    bang = true,
    desc = 'Install the seed-lsp server into the plugin\'s own virtual environment (! starts afresh)',
  })
  vim.lsp.commands['seed.explain'] = cmds.explain_command
end

-- Neovim 0.10 has no vim.lsp.config / vim.lsp.enable: start the client on FileType.
local function start_legacy(client_config)
  local group = vim.api.nvim_create_augroup('seed_lsp.start', { clear = true })
  local function start(bufnr)
    if vim.bo[bufnr].buftype ~= '' then
      return
    end
    local config = vim.tbl_extend('force', client_config, {
      name = util.name,
      root_dir = vim.fs.root(bufnr, M.config.root_markers) or vim.fn.getcwd(),
    })
    config.filetypes, config.root_markers = nil, nil
    vim.lsp.start(config, { bufnr = bufnr })
  end
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = M.config.filetypes,
    callback = function(args)
      start(args.buf)
    end,
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.config.filetypes, vim.bo[bufnr].filetype) then
      start(bufnr)
    end
  end
end

-- Configure and enable the client with the resolved server; restart running clients.
local function enable()
  M.server = M.resolve_server()
  if M.server and type(M.server.cmd) == 'table' and vim.fn.executable(M.server.cmd[1] or '') == 0 then
    warn_missing()
  end
  if not M.server then
    -- Nothing to start: say so when a buffer it would serve opens (or now, if one is open).
    local group = vim.api.nvim_create_augroup('seed_lsp.missing', { clear = true })
    vim.api.nvim_create_autocmd('FileType', { group = group, pattern = M.config.filetypes, callback = warn_missing })
    for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.config.filetypes, vim.bo[bufnr].filetype) then
        warn_missing()
      end
    end
    return
  end
  pcall(vim.api.nvim_del_augroup_by_name, 'seed_lsp.missing')
  if type(M.server.cmd) == 'table' then
    require('seed_lsp.log').capture(M.server.cmd)
  end
  local client_config = M.client_config()
  if vim.lsp.config and vim.lsp.enable then
    vim.lsp.config(util.name, client_config)
    for _, client in ipairs(vim.lsp.get_clients({ name = util.name })) do
      client:stop()
    end
    vim.lsp.enable(util.name)
  else
    start_legacy(client_config)
  end
end

--- :SeedInstall: install the server, then start it for the open buffers. {opts}: see
--- `require('seed_lsp.install').run`.
function M.install(opts)
  opts = vim.tbl_extend('force', { python = M.config and M.config.python }, opts or {})
  local on_done = opts.on_done
  opts.on_done = function(ok, msg)
    if ok and M.config and not M.config.cmd then
      enable()
    end
    if on_done then
      on_done(ok, msg)
    end
  end
  require('seed_lsp.install').run(opts)
end

--- The ghost-text colours: a grey that also shows in a 256-colour terminal (where Comment and
--- NonText have only a GUI colour), re-derived when the colour scheme changes.
function M.highlights()
  local comment = vim.api.nvim_get_hl(0, { name = 'Comment', link = false })
  local cterm = tonumber(vim.fn.eval('&t_Co')) >= 256 and 244 or 8
  vim.api.nvim_set_hl(0, 'SeedGhostText', {
    fg = comment.fg,
    ctermfg = comment.ctermfg or cterm,
    italic = comment.italic,
    default = true,
  })
  -- Next edits: the replaced text struck through on DiffDelete's colours, the new on DiffAdd's.
  local delete = vim.api.nvim_get_hl(0, { name = 'DiffDelete', link = false })
  vim.api.nvim_set_hl(0, 'SeedNextEditDelete', vim.tbl_extend('force', delete, { strikethrough = true, default = true }))
  local add = vim.api.nvim_get_hl(0, { name = 'DiffAdd', link = false })
  vim.api.nvim_set_hl(0, 'SeedNextEditInsert', vim.tbl_extend('force', add, { default = true }))
  -- Neovim's own ghost text (0.12) is ComplHint; give it a terminal colour only if it has none.
  local hint = vim.api.nvim_get_hl(0, { name = 'ComplHint', link = false })
  if hint.ctermfg == nil and next(vim.api.nvim_get_hl(0, { name = 'ComplHint' })) ~= nil then
    vim.api.nvim_set_hl(0, 'ComplHint', vim.tbl_extend('force', hint, { ctermfg = cterm }))
  end
end

--- Configure and enable the server. Options: see `M.defaults` and `:help seed_lsp-options`.
function M.setup(opts)
  opts = opts or {}
  M.config = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts)
  -- Lists are replaced, not merged.
  for _, key in ipairs({ 'cmd', 'filetypes', 'root_markers', 'extra_filetypes' }) do
    if opts[key] then
      M.config[key] = opts[key]
    end
  end
  M.config.filetypes = vim.list_extend(vim.deepcopy(M.config.filetypes), M.config.extra_filetypes or {})
  M.highlights()
  vim.api.nvim_create_autocmd('ColorScheme', {
    group = vim.api.nvim_create_augroup('seed_lsp.highlights', { clear = true }),
    callback = M.highlights,
  })
  create_commands()
  enable()
end

--- A statusline component: "Seed 12.3k tok $0.0042" (usage of this server process).
function M.statusline()
  return usage.statusline()
end

--- The last `seed/usage` payload, or nil.
function M.usage()
  return usage.last
end

return M
