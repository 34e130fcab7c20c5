--- Next edit suggestions: after you change a buffer, seed-lsp may suggest the edit that most
--- likely follows (the other uses of a renamed name, the argument a new parameter needs), anywhere
--- near the cursor. The plugin asks with `textDocument/copilotInlineEdit` once you pause, after
--- an accepted ghost text and after an applied next edit (so edits chain), and shows the edit in
--- place: the text it replaces highlighted (`SeedNextEditDelete`), the new text beside it or in
--- lines below (`SeedNextEditInsert`). <Tab> in normal mode jumps to it, <Tab> again applies it
--- (one undo step); <Esc> or moving away clears it.
local util = require('seed_lsp.util')
local api = vim.api

local M = {}

M.ns = api.nvim_create_namespace('seed_lsp.next_edit')
M.opts = { debounce_ms = 150 }
--- Counters, for tests: requests sent, edits shown, jumps, applied, dismissed.
M.stats = { requests = 0, shown = 0, jumps = 0, applied = 0, dismissed = 0 }

---@class seed_lsp.NextEdit
---@field item table the server's edit: { text, range, textDocument = { uri, version }, command }
---@field srow integer 0-based start row of the range (bytes below)
---@field scol integer
---@field erow integer
---@field ecol integer
---@field lines string[] the new text, split
---@field tick integer the buffer's changedtick it was computed for
---@field from integer 0-based row of the cursor when it was shown

---@type table<integer, { client_id: integer, timer?: uv.uv_timer_t, request_id?: integer, edit?: seed_lsp.NextEdit }>
local buffers = {}

--- The edit shown in {bufnr} (default: current), or nil.
function M.current(bufnr)
  local state = buffers[bufnr or api.nvim_get_current_buf()]
  return state and state.edit
end

local function client_of(bufnr)
  local state = buffers[bufnr]
  return state and vim.lsp.get_client_by_id(state.client_id)
end

local function cancel(bufnr)
  local state = buffers[bufnr]
  if state and state.request_id then
    local client = client_of(bufnr)
    if client then
      pcall(function()
        if util.has(11) then
          client:cancel_request(state.request_id)
        else
          client.cancel_request(state.request_id)
        end
      end)
    end
    state.request_id = nil
  end
end

--- Hide the edit shown in {bufnr} (and forget it); `dismissed` counts it as such.
function M.clear(bufnr, dismissed)
  bufnr = bufnr or api.nvim_get_current_buf()
  local state = buffers[bufnr]
  if api.nvim_buf_is_valid(bufnr) then
    api.nvim_buf_clear_namespace(bufnr, M.ns, 0, -1)
  end
  if state and state.edit then
    state.edit = nil
    if dismissed then
      M.stats.dismissed = M.stats.dismissed + 1
    end
  end
end

--- Where {item} goes in {bufnr}, in bytes: the edit to show, or nil when it does not fit.
--- Pure apart from reading the buffer's lines, so tests call it on a scratch buffer.
function M.locate(bufnr, item, encoding)
  local range = item.range
  if type(range) ~= 'table' or type(item.text) ~= 'string' then
    return nil
  end
  local last = api.nvim_buf_line_count(bufnr) - 1
  if range.start.line > last or range['end'].line > last then
    return nil
  end
  local srow, scol = util.from_position(bufnr, range.start, encoding)
  local erow, ecol = util.from_position(bufnr, range['end'], encoding)
  return {
    item = item,
    srow = srow,
    scol = scol,
    erow = erow,
    ecol = ecol,
    lines = vim.split(item.text, '\n', { plain = true }),
  }
end

--- Draw {edit} in {bufnr}: the replaced text highlighted, the new text after it (its first line
--- inline, the rest as virtual lines below the range).
function M.render(bufnr, edit)
  api.nvim_buf_clear_namespace(bufnr, M.ns, 0, -1)
  local replaces = edit.srow ~= edit.erow or edit.scol ~= edit.ecol
  if replaces then
    api.nvim_buf_set_extmark(bufnr, M.ns, edit.srow, edit.scol, {
      end_row = edit.erow,
      end_col = edit.ecol,
      hl_group = 'SeedNextEditDelete',
    })
  end
  local first = edit.lines[1]
  local rest = {}
  for i = 2, #edit.lines do
    rest[#rest + 1] = { { edit.lines[i] == '' and ' ' or edit.lines[i], 'SeedNextEditInsert' } }
  end
  api.nvim_buf_set_extmark(bufnr, M.ns, edit.erow, edit.ecol, {
    virt_text = first ~= '' and { { first, 'SeedNextEditInsert' } } or (replaces and { { '⌫', 'SeedNextEditInsert' } } or nil),
    virt_text_pos = 'inline',
    virt_lines = #rest > 0 and rest or nil,
    hl_mode = 'combine',
  })
end

local function show(bufnr, item, tick)
  local state = buffers[bufnr]
  local client = client_of(bufnr)
  if not (state and client) or api.nvim_buf_get_changedtick(bufnr) ~= tick then
    return
  end
  local edit = M.locate(bufnr, item, client.offset_encoding)
  if not edit then
    return
  end
  local win = vim.fn.bufwinid(bufnr)
  edit.tick = tick
  edit.from = win ~= -1 and api.nvim_win_get_cursor(win)[1] - 1 or edit.srow
  state.edit = edit
  M.render(bufnr, edit)
  M.stats.shown = M.stats.shown + 1
  util.notify_server(client, 'textDocument/didShowInlineEdit', { item = item })
  api.nvim_exec_autocmds('User', { pattern = 'SeedNextEdit', modeline = false, data = { bufnr = bufnr, item = item } })
end

--- The buffer's diagnostics from every source, as LSP diagnostics (seed's extension of the
--- request: the ones in the region go into the prompt).
local function diagnostics(bufnr, encoding)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp
    if type(lsp) ~= 'table' or not lsp.range then
      lsp = {
        range = {
          start = util.position(bufnr, d.lnum, d.col, encoding),
          ['end'] = util.position(bufnr, d.end_lnum or d.lnum, d.end_col or d.col, encoding),
        },
        message = d.message,
        severity = d.severity,
        source = d.source,
      }
    end
    out[#out + 1] = lsp
  end
  return out
end

--- Ask the server now for a next edit at the cursor of {bufnr}.
function M.request(bufnr)
  bufnr = bufnr or api.nvim_get_current_buf()
  local state = buffers[bufnr]
  local client = client_of(bufnr)
  local win = vim.fn.bufwinid(bufnr)
  if not (state and client) or win == -1 then
    return
  end
  cancel(bufnr)
  local pos = api.nvim_win_get_cursor(win)
  local tick = api.nvim_buf_get_changedtick(bufnr)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr), version = vim.lsp.util.buf_versions[bufnr] },
    position = util.position(bufnr, pos[1] - 1, pos[2], client.offset_encoding),
    diagnostics = diagnostics(bufnr, client.offset_encoding),
  }
  M.stats.requests = M.stats.requests + 1
  local ok, id = util.request(client, 'textDocument/copilotInlineEdit', params, function(err, result)
    state.request_id = nil
    local item = not err and type(result) == 'table' and type(result.edits) == 'table' and result.edits[1]
    if item and vim.lsp.util.buf_versions[bufnr] == item.textDocument.version then
      show(bufnr, item, tick)
    end
  end, bufnr)
  if ok then
    state.request_id = id
  end
end

--- Ask after the debounce (a newer call restarts it; a change clears what is shown).
function M.schedule(bufnr, delay)
  local state = buffers[bufnr]
  if not state then
    return
  end
  if state.timer then
    state.timer:stop()
  else
    state.timer = vim.uv.new_timer()
  end
  state.timer:start(
    delay or M.opts.debounce_ms,
    0,
    vim.schedule_wrap(function()
      if buffers[bufnr] and api.nvim_buf_is_valid(bufnr) then
        M.request(bufnr)
      end
    end)
  )
end

--- <Tab>: jump to the shown edit, or, when the cursor is on it already, apply it. False when
--- none is shown. Safe in an `<expr>` mapping: the work happens on the next tick (expression
--- mappings may not move the cursor or change text).
function M.jump_or_apply(bufnr)
  bufnr = bufnr or api.nvim_get_current_buf()
  if not M.current(bufnr) then
    return false
  end
  vim.schedule(function()
    M.jump_or_apply_now(bufnr)
  end)
  return true
end

function M.jump_or_apply_now(bufnr)
  local edit = M.current(bufnr)
  if not edit then
    return false
  end
  local win = api.nvim_get_current_win()
  local row = api.nvim_win_get_cursor(win)[1] - 1
  if row < edit.srow or row > edit.erow then
    edit.jumped = true
    M.stats.jumps = M.stats.jumps + 1
    api.nvim_win_set_cursor(win, { edit.srow + 1, edit.scol })
    return true
  end
  return M.apply(bufnr)
end

--- Apply the shown edit of {bufnr} (one undo step), tell the server, and ask for the next one.
function M.apply(bufnr)
  bufnr = bufnr or api.nvim_get_current_buf()
  local edit = M.current(bufnr)
  local client = client_of(bufnr)
  if not (edit and client) then
    return false
  end
  M.clear(bufnr)
  if api.nvim_buf_get_changedtick(bufnr) ~= edit.tick then
    return false -- the text moved on: the range would not fit
  end
  local item = edit.item
  vim.lsp.util.apply_text_edits({ { range = item.range, newText = item.text } }, bufnr, client.offset_encoding)
  local last = edit.lines[#edit.lines]
  local row = edit.srow + #edit.lines - 1
  local col = (#edit.lines == 1 and edit.scol or 0) + #last
  local win = vim.fn.bufwinid(bufnr)
  if win ~= -1 then
    pcall(api.nvim_win_set_cursor, win, { row + 1, math.max(0, col - 1) })
  end
  M.stats.applied = M.stats.applied + 1
  if item.command then
    util.request(client, 'workspace/executeCommand', {
      command = item.command.command,
      arguments = item.command.arguments,
    }, function() end, bufnr)
  end
  buffers[bufnr].applied_tick = api.nvim_buf_get_changedtick(bufnr)
  M.schedule(bufnr, 0) -- the next edit of a chain
  return true
end

--- <Esc>: hide the shown edit. False when none is shown.
function M.dismiss(bufnr)
  bufnr = bufnr or api.nvim_get_current_buf()
  if not M.current(bufnr) then
    return false
  end
  vim.schedule(function()
    M.clear(bufnr, true)
  end)
  return true
end

-- Moving away clears the edit: the cursor may go anywhere between where it was and the edit
-- (a jump lands on it), but not beyond.
local function cursor_moved(bufnr)
  local edit = M.current(bufnr)
  if not edit then
    return
  end
  local row = api.nvim_win_get_cursor(0)[1] - 1
  local top, bottom = math.min(edit.from, edit.srow), math.max(edit.from, edit.erow)
  if row < top or row > bottom then
    M.clear(bufnr, true)
  end
end

--- Start next edits in {bufnr} for client {client_id}.
function M.attach(bufnr, client_id, opts)
  M.opts = vim.tbl_extend('force', M.opts, opts or {})
  if buffers[bufnr] then
    buffers[bufnr].client_id = client_id
    return
  end
  buffers[bufnr] = { client_id = client_id }
  local group = api.nvim_create_augroup('seed_lsp.next_edit.' .. bufnr, { clear = true })
  local insert_tick
  api.nvim_create_autocmd('TextChanged', {
    group = group,
    buffer = bufnr,
    callback = function()
      local state = buffers[bufnr]
      if state and state.applied_tick == api.nvim_buf_get_changedtick(bufnr) then
        return -- our own edit: the chain's request is on its way
      end
      M.clear(bufnr)
      M.schedule(bufnr)
    end,
  })
  api.nvim_create_autocmd('TextChangedI', {
    group = group,
    buffer = bufnr,
    callback = function()
      M.clear(bufnr)
      cancel(bufnr)
    end,
  })
  api.nvim_create_autocmd('InsertEnter', {
    group = group,
    buffer = bufnr,
    callback = function()
      insert_tick = api.nvim_buf_get_changedtick(bufnr)
    end,
  })
  api.nvim_create_autocmd('InsertLeave', {
    group = group,
    buffer = bufnr,
    callback = function()
      -- What you typed is the edit that the next one follows.
      if insert_tick and insert_tick ~= api.nvim_buf_get_changedtick(bufnr) then
        M.schedule(bufnr)
      end
    end,
  })
  api.nvim_create_autocmd({ 'CursorMoved', 'CursorMovedI' }, {
    group = group,
    buffer = bufnr,
    callback = function()
      cursor_moved(bufnr)
    end,
  })
  api.nvim_create_autocmd('BufLeave', {
    group = group,
    buffer = bufnr,
    callback = function()
      M.clear(bufnr, true)
    end,
  })
  api.nvim_create_autocmd('BufUnload', {
    group = group,
    buffer = bufnr,
    callback = function()
      M.detach(bufnr)
    end,
  })
end

function M.detach(bufnr)
  local state = buffers[bufnr]
  if not state then
    return
  end
  cancel(bufnr)
  if state.timer then
    state.timer:stop()
    state.timer:close()
  end
  M.clear(bufnr)
  buffers[bufnr] = nil
  pcall(api.nvim_del_augroup_by_name, 'seed_lsp.next_edit.' .. bufnr)
end

return M
