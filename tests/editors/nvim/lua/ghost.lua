-- Ghost text end to end: open a line in insert mode, wait for the suggestion, accept it with
-- <Tab>; then open another line and dismiss the next suggestion with <C-]>.
local T = require('harness')
local mode = T.params.mode -- 'native' (Neovim 0.12's module) or 'fallback' (the plugin's own)
local plugin = T.setup({ inline = { mode = mode, debounce_ms = 30 } })
local ns = mode == 'native' and 'nvim.lsp.inline_completion' or 'seed_lsp.inline'

local function ghost()
  local marks = T.extmarks(ns)
  return #marks > 0 and marks[1]
end

T.run(function()
  T.needs(T.open('ghost.py'), 'inlineCompletionProvider')
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  T.type('o')
  local mark = T.wait('ghost text', ghost, 12000)
  T.results.mode = vim.api.nvim_get_mode().mode
  T.results.ghost = mark[4].virt_text[1][1]
  T.results.ghost_at = { mark[2], mark[3] }
  T.results.before = T.lines()

  T.type('<Tab>')
  T.wait('the suggestion in the buffer', function()
    return (T.lines()[2] or ''):find(T.params.ghost, 1, true)
  end)
  T.results.after = T.lines()
  T.results.cursor = vim.api.nvim_win_get_cursor(0)

  T.results.usage = T.wait('a seed/usage notification', plugin.usage)
  T.results.statusline = plugin.statusline()

  T.type('<Esc>o')
  T.wait('ghost text again', ghost, 12000)
  local before_dismiss = T.lines()
  T.type('<C-]>')
  T.wait('the ghost text to go', function()
    return not ghost()
  end)
  T.sleep(100)
  T.results.dismissed_unchanged = vim.deep_equal(before_dismiss, T.lines())
  T.results.still_insert = vim.api.nvim_get_mode().mode

  T.results.fallback_loaded = package.loaded['seed_lsp.inline'] ~= nil
  if package.loaded['seed_lsp.inline'] then
    T.results.fallback_stats = require('seed_lsp.inline').stats
  end
  T.results.native_enabled = vim.lsp.inline_completion ~= nil
    and vim.lsp.inline_completion.is_enabled({ bufnr = 0 })
end)
