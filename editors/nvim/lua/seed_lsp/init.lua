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
  --- How to start the server.
  cmd = { 'seed-lsp', '--stdio' },
  --- Filetypes the server attaches to.
  filetypes = {
    'bash', 'c', 'clojure', 'cmake', 'cpp', 'cs', 'css', 'cuda', 'd', 'dart', 'dockerfile',
    'elixir', 'elm', 'erlang', 'fish', 'fortran', 'fsharp', 'gdscript', 'go', 'gomod',
    'graphql', 'groovy', 'haskell', 'hcl', 'html', 'java', 'javascript', 'javascriptreact',
    'json', 'jsonc', 'julia', 'kotlin', 'less', 'lua', 'make', 'markdown', 'matlab', 'nim',
    'nix', 'objc', 'objcpp', 'ocaml', 'perl', 'php', 'proto', 'ps1', 'python', 'r', 'ruby',
    'rust', 'scala', 'scss', 'sh', 'solidity', 'sql', 'svelte', 'swift', 'terraform', 'tex',
    'toml', 'typescript', 'typescriptreact', 'verilog', 'vhdl', 'vim', 'vue', 'yaml', 'zig',
    'zsh',
  },
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
  --- Buffer-local keymaps; set one to false to leave it out. Insert mode: accept, next, prev,
  --- dismiss (each types its key as usual when no ghost text is shown). Normal/visual mode:
  --- explain, fix (off by default).
  keymaps = {
    accept = '<Tab>',
    next = '<M-]>',
    prev = '<M-[>',
    dismiss = '<C-]>',
    explain = false,
    fix = false,
  },
}

--- The resolved options (after `setup()`).
M.config = nil

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
  for _, name in ipairs({ 'accept', 'next', 'prev', 'dismiss' }) do
    local lhs = km[name]
    if lhs then
      vim.keymap.set('i', lhs, function()
        if actions[name]() then
          return ''
        end
        return lhs
      end, { buffer = bufnr, expr = true, replace_keycodes = true, desc = 'Seed: ' .. name .. ' ghost text' })
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
  set_keymaps(bufnr)
  if M.config.on_attach then
    M.config.on_attach(client, bufnr)
  end
end

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
    cmd = M.config.cmd,
    filetypes = M.config.filetypes,
    root_markers = M.config.root_markers,
    settings = { seedLsp = next(settings) and settings or vim.empty_dict() },
    init_options = M.config.init_options,
    capabilities = capabilities(),
    handlers = { ['seed/usage'] = usage.on_usage },
    on_attach = on_attach,
  }
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

--- Configure and enable the server. Options: see `M.defaults` and `:help seed_lsp-options`.
function M.setup(opts)
  opts = opts or {}
  M.config = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts)
  -- Lists are replaced, not merged.
  for _, key in ipairs({ 'cmd', 'filetypes', 'root_markers' }) do
    if opts[key] then
      M.config[key] = opts[key]
    end
  end
  vim.api.nvim_set_hl(0, 'SeedGhostText', { link = 'Comment', default = true })
  create_commands()
  local client_config = M.client_config()
  if vim.lsp.config and vim.lsp.enable then
    vim.lsp.config(util.name, client_config)
    vim.lsp.enable(util.name)
  else
    start_legacy(client_config)
  end
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
