-- A next edit end to end: rename `items` in the signature of shop.py (normal mode, as typed);
-- the plugin asks, shows the server's edit (the old text highlighted, the new beside it);
-- <Tab> jumps to it, <Tab> applies it; the chain offers the next use; <Esc> dismisses; undo
-- takes the applied edit back.
local T = require('harness')
T.setup()
local ne = require('seed_lsp.next_edit')

local function shown()
  return ne.current()
end

local function marks()
  return T.extmarks('seed_lsp.next_edit')
end

T.run(function()
  local client = T.open('shop.py')
  T.wait('the client to be ready', function()
    return client.initialized ~= false
  end)
  vim.api.nvim_win_set_cursor(0, { 1, 10 }) -- on `items` in `def total(items, tax):`
  T.type('ciwproducts<Esc>')
  local edit = T.wait('a next edit', shown, 15000)
  T.results.first = { text = edit.item.text, range = edit.item.range }
  local m = marks()
  T.results.marks = vim.tbl_map(function(x)
    return { row = x[2], col = x[3], hl = x[4].hl_group, end_col = x[4].end_col, virt = x[4].virt_text }
  end, m)
  T.results.cursor_before = vim.api.nvim_win_get_cursor(0)
  T.type('<Tab>')
  T.wait('the jump', function()
    return vim.api.nvim_win_get_cursor(0)[1] == edit.srow + 1
  end)
  T.results.cursor_jumped = vim.api.nvim_win_get_cursor(0)
  T.results.still_shown = shown() ~= nil
  local before_apply = T.lines()
  T.type('<Tab>')
  T.wait('the edit applied', function()
    return not vim.deep_equal(before_apply, T.lines())
  end)
  T.results.applied = T.lines()
  -- The chain: the next use of `items` comes next.
  local second = T.wait('the next edit of the chain', shown, 15000)
  T.results.second = { text = second.item.text, range = second.item.range }
  T.type('<Esc>')
  T.wait('the dismissed edit to go', function()
    return not shown() and #marks() == 0
  end)
  T.results.after_dismiss = T.lines()
  vim.cmd.undo()
  T.results.undone = T.lines()
  T.results.stats = ne.stats
  local status = client:request_sync('seed/status', vim.empty_dict(), 5000)
  T.results.suggestions = status and status.result and status.result.suggestions or vim.NIL
  vim.cmd('checkhealth seed_lsp')
  T.results.health = T.text()
end, 60000)
