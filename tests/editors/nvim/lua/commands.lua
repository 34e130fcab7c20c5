-- :SeedRefactor, :SeedFix and :SeedExplain on sample.py.
local T = require('harness')
T.setup()

T.run(function()
  local client = T.open('sample.py')
  local bufnr = vim.api.nvim_get_current_buf()
  local command = T.params.command
  T.needs_command(
    client,
    ({ refactor = 'seed.refactor', fix = 'seed.fixDiagnostic', explain = 'seed.explain', hover = 'seed.hover' })[command]
  )
  if command == 'refactor' then
    vim.api.nvim_win_set_cursor(0, T.params.cursor)
    vim.cmd('SeedRefactor ' .. T.params.instruction)
  elseif command == 'fix' then
    -- A diagnostic from another source (a linter), not from seed-lsp.
    local d = T.params.diagnostic
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
    vim.cmd('SeedFix')
  elseif command == 'hover' then
    vim.api.nvim_win_set_cursor(0, T.params.cursor)
    vim.cmd('SeedHover')
    local shown = T.wait('the hover float', function()
      return require('seed_lsp.commands').last_hover
    end, 15000)
    T.results.float_text = T.text(shown.bufnr)
    return
  elseif command == 'explain' then
    vim.api.nvim_win_set_cursor(0, T.params.cursor)
    if T.params.range ~= nil and T.params.range ~= vim.NIL then
      vim.cmd(('%d,%dSeedExplain'):format(T.params.range[1], T.params.range[2]))
    else
      vim.cmd('SeedExplain')
    end
    local shown = T.wait('the explanation', function()
      return require('seed_lsp.commands').last_explain
    end, 15000)
    T.results.float = vim.api.nvim_win_is_valid(shown.winid)
      and vim.api.nvim_win_get_config(shown.winid).relative ~= ''
    T.results.float_text = T.text(shown.bufnr)
    T.results.float_filetype = vim.bo[shown.bufnr].filetype
    return
  end
  local ok = pcall(T.wait, 'the edit', function()
    return T.text(bufnr):find(T.params.expect, 1, true)
  end, 15000)
  T.results.text = T.text(bufnr)
  assert(ok, 'the edit was not applied')
end)
