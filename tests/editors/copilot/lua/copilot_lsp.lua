-- copilot-lsp (copilotlsp-nvim/copilot-lsp) driving seed-lsp: configured as its README says,
-- with only `cmd` changed. Make an edit (type the keys given), let the plugin ask for next
-- edits, record what it draws for each, accept each with the README's <Tab> mapping (jump,
-- then apply), and read the server's lifecycle stats.
local T = require('harness')
local P = T.params

vim.opt.rtp:prepend(P.client_dir)
vim.cmd('runtime! plugin/copilot-lsp.lua')

-- The README's setup, with `cmd` pointing at seed-lsp.
vim.g.copilot_nes_debounce = 500
vim.lsp.config('copilot_ls', vim.tbl_extend('force', { cmd = P.cmd }, P.config or {}))
vim.lsp.enable('copilot_ls')
vim.keymap.set('n', '<tab>', function()
  local bufnr = vim.api.nvim_get_current_buf()
  local state = vim.b[bufnr].nes_state
  if state then
    local _ = require('copilot-lsp.nes').walk_cursor_start_edit()
      or (require('copilot-lsp.nes').apply_pending_nes() and require('copilot-lsp.nes').walk_cursor_end_edit())
    return nil
  else
    return '<C-i>'
  end
end, { desc = 'Accept Copilot NES suggestion', expr = true })

local ns = vim.api.nvim_create_namespace('copilotlsp.nes')

local function client()
  return vim.lsp.get_clients({ name = 'copilot_ls', bufnr = 0 })[1]
end

local function status(c)
  local answer = assert(c:request_sync('seed/status', vim.empty_dict(), 5000, 0))
  assert(not answer.err, vim.inspect(answer.err))
  return answer.result
end

local function marks()
  return vim.api.nvim_buf_get_extmarks(0, ns, 0, -1, { details = true })
end

-- Wait for a suggestion, record it and what copilot-lsp drew for it.
local function suggestion(what)
  local state = T.wait(what, function()
    return vim.b.nes_state
  end, 15000)
  local drawn = {}
  for _, m in ipairs(marks()) do
    local d = m[4]
    local virt = {}
    for _, line in ipairs(d.virt_lines or {}) do
      table.insert(virt, table.concat(vim.tbl_map(function(chunk)
        return chunk[1]
      end, line)))
    end
    if d.virt_text then
      table.insert(virt, table.concat(vim.tbl_map(function(chunk)
        return chunk[1]
      end, d.virt_text)))
    end
    table.insert(drawn, {
      row = m[2],
      col = m[3],
      hl_group = d.hl_group,
      end_row = d.end_row,
      end_col = d.end_col,
      virt = table.concat(virt, '\n'),
    })
  end
  return {
    text = state.text,
    range = state.range,
    textDocument = state.textDocument,
    command = state.command,
    marks = drawn,
  }
end

-- <Tab> until the suggestion is applied (the first one moves the cursor to it).
local function accept()
  local before = T.text()
  for _ = 1, 3 do
    T.type('<Tab>')
    T.sleep(150)
    if T.text() ~= before then
      return
    end
  end
  error('<Tab> did not apply the suggestion')
end

T.run(function()
  vim.cmd.edit(vim.fs.joinpath(P.workspace, P.file))
  local c = T.wait('copilot_ls to attach', client, 10000)
  T.results.encoding = c.offset_encoding
  T.results.server_encoding = status(c).positionEncoding

  -- Rename the parameter: cursor on it, `ciw`, type the new name, back to normal mode.
  -- The user's edit, typed: from the cursor given, the keys given, back in normal mode.
  vim.api.nvim_win_set_cursor(0, P.cursor)
  T.type(P.keys)

  -- Each applied edit is a change: copilot-lsp asks again, and the rest of the rewrite comes.
  T.results.suggestions = {}
  for i = 1, P.edits do
    table.insert(T.results.suggestions, suggestion('next edit ' .. i))
    accept()
  end
  T.results.after = T.lines()

  T.sleep(1500) -- copilot-lsp asks once more after the last change: nothing is left
  T.results.left = vim.b.nes_state or false
  T.results.status = status(c)
end, 40000)
