-- Small behaviours of the plugin, one per T.params.case: which filetypes attach, the ghost-text
-- colours in a 256-colour terminal, lsp.log levels, Seed fixes for another source's diagnostics,
-- the message for a missing server.
local T = require('harness')
local case = T.params.case

if case == 'loglevels' then
  vim.lsp.log.set_level('info')
end
if case == 'highlight' then
  vim.o.termguicolors = false
end

local opts = {}
if case == 'filetypes' then
  opts.extra_filetypes = T.params.extra
end
local plugin
if case == 'missing' then
  -- No cmd: the plugin looks on $PATH (which has no seed-lsp here) and for :SeedInstall's.
  plugin = require('seed_lsp')
  plugin.setup({})
else
  plugin = T.setup(opts)
end

T.run(function()
  if case == 'filetypes' then
    vim.cmd.edit(vim.fs.joinpath(T.params.workspace, 'notes.md'))
    if #T.params.extra > 0 then
      pcall(T.wait, 'seed-lsp to attach to markdown', function()
        return require('seed_lsp.util').client()
      end, 10000)
    else
      T.sleep(1500) -- time enough for a client that would start
    end
    T.results.markdown_attached = require('seed_lsp.util').client() ~= nil
    T.results.filetype = vim.bo.filetype
    T.open('sample.py')
    T.results.python_attached = true
  elseif case == 'highlight' then
    local function resolved(name)
      return vim.api.nvim_get_hl(0, { name = name, link = false })
    end
    T.results.seed = resolved('SeedGhostText')
    T.results.hint = resolved('ComplHint')
    T.results.comment = resolved('Comment')
    vim.cmd.colorscheme('default') -- a colour scheme change re-derives them
    T.results.seed_after = resolved('SeedGhostText')
    T.results.hint_after = resolved('ComplHint')
  elseif case == 'loglevels' then
    T.open('sample.py')
    T.wait('the server to log its start', function()
      local f = io.open(vim.lsp.log.get_filename())
      local text = f and f:read('*a') or ''
      if f then
        f:close()
      end
      return text:find('position encoding', 1, true)
    end, 10000)
  elseif case == 'other_diagnostics' then
    local client = T.open('sample.py')
    local bufnr = vim.api.nvim_get_current_buf()
    local d = T.params.diagnostic
    -- A linter's diagnostic: not from any language server, so Neovim would not send it to Seed.
    local ns = vim.api.nvim_create_namespace('test.linter')
    vim.diagnostic.set(ns, bufnr, {
      {
        lnum = d.range.start.line,
        col = d.range.start.character,
        end_lnum = d.range['end'].line,
        end_col = d.range['end'].character,
        message = d.message,
        severity = vim.diagnostic.severity.ERROR,
        source = 'flake8',
      },
    })
    vim.api.nvim_win_set_cursor(0, { d.range.start.line + 1, d.range.start.character })
    local offered = {}
    vim.ui.select = function(items, _, on_choice)
      for _, item in ipairs(items) do
        offered[#offered + 1] = (item.action or item).title
      end
      on_choice(items[1], 1)
    end
    T.needs(client, 'codeActionProvider')
    vim.lsp.buf.code_action({ context = { only = { 'quickfix' } }, apply = true })
    local ok = pcall(T.wait, 'the fix', function()
      return T.text():find('return x * 2', 1, true)
    end, 15000)
    T.results.offered = offered
    T.results.text = T.text()
    assert(ok, 'the fix was not applied')
  elseif case == 'missing' then
    vim.cmd.edit(vim.fs.joinpath(T.params.workspace, 'sample.py'))
    T.sleep(500)
    T.results.server = plugin.server or vim.NIL
    T.results.clients = #vim.lsp.get_clients({ name = 'seed_lsp' })
  end
end)
