-- A Seed code action (a refactor, or the quick fix of a diagnostic the server published),
-- chosen through vim.lsp.buf.code_action(), resolved and applied to the buffer.
local T = require('harness')
T.setup()

T.run(function()
  local client = T.open('sample.py')
  local bufnr = vim.api.nvim_get_current_buf()
  local kind = T.params.kind
  T.needs(client, 'codeActionProvider.resolveProvider')
  local offered = {}
  vim.ui.select = function(items, _, on_choice)
    local pick
    for i, item in ipairs(items) do
      local action = item.action or item
      offered[#offered + 1] = { title = action.title, kind = action.kind or vim.NIL }
      if not pick and (action.kind or ''):sub(1, #T.params.pick) == T.params.pick then
        pick = i
      end
    end
    on_choice(pick and items[pick] or nil, pick)
  end
  if kind == 'quickfix' then
    local d = T.params.diagnostic
    vim.lsp.diagnostic.on_publish_diagnostics(nil, {
      uri = vim.uri_from_bufnr(bufnr),
      diagnostics = { d },
    }, { client_id = client.id, method = 'textDocument/publishDiagnostics' })
    vim.api.nvim_win_set_cursor(0, { d.range.start.line + 1, d.range.start.character })
  else
    vim.api.nvim_win_set_cursor(0, T.params.cursor)
  end
  vim.lsp.buf.code_action({ context = { only = { kind } }, apply = true })
  if T.params.expect_float then
    local shown = T.wait('the explanation', function()
      return require('seed_lsp.commands').last_explain
    end, 15000)
    T.results.offered = offered
    T.results.float_text = T.text(shown.bufnr)
    return
  end
  local ok = pcall(T.wait, 'the edit', function()
    return T.text():find(T.params.expect, 1, true)
  end, 15000)
  T.results.offered = offered
  T.results.text = T.text()
  assert(ok, 'the edit was not applied')
end)
