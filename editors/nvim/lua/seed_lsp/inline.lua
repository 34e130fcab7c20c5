--- Ghost text for Neovim 0.10 and 0.11, which lack `vim.lsp.inline_completion`.
---
--- In insert mode, after a debounce, asks the server for `textDocument/inlineCompletion`,
--- renders the first item that continues what is typed as virtual text (an inline extmark for
--- the first line, virtual lines for the rest), and lets keymaps accept it, cycle through the
--- items or dismiss it. On Neovim 0.12 the plugin uses the built-in module instead and never
--- loads this one (unless `inline.mode = 'fallback'`).
local util = require('seed_lsp.util')
local api = vim.api

local M = {}

M.ns = api.nvim_create_namespace('seed_lsp.inline')

--- Counters, for tests and `:checkhealth`: how often this fallback asked and rendered.
M.stats = { requests = 0, responses = 0, renders = 0, accepts = 0 }

---@class seed_lsp.Ghost
---@field row integer 0-based row of the cursor, where the ghost text starts
---@field col integer byte column of the cursor
---@field lines string[] the text still to come: first line inline, the rest below
---@field replace integer[] {srow, scol, erow, ecol} (0-based, bytes) replaced on accept
---@field insert string[] the lines that replace it
---@field snippet? string the snippet to expand on accept, when the item is one

--- The text of an item's `insertText` (a string or a `StringValue` snippet), with snippet
--- placeholders reduced to their default text for display.
---@return string text, string? snippet
function M.item_text(item)
  local insert = item.insertText
  if type(insert) == 'table' then
    local value = insert.value or ''
    local shown = value
      :gsub('%${%d+:([^}]*)}', '%1')
      :gsub('%${%d+|([^,|}]*)[^}]*}', '%1')
      :gsub('%${%d+}', '')
      :gsub('%$%d+', '')
      :gsub('\\([$}\\])', '%1')
    return shown, value
  end
  return insert or '', nil
end

--- What to show for {item} with the cursor at byte position {cursor} = {row, col} (0-based);
--- nil when the item does not continue the text before the cursor (it cannot be ghost text).
--- Pure: {get_line}(row) gives the buffer's lines, so tests call it without a buffer.
---@param item table lsp.InlineCompletionItem
---@param cursor integer[]
---@param get_line fun(row: integer): string
---@param encoding string
---@return seed_lsp.Ghost?
function M.ghost(item, cursor, get_line, encoding)
  local row, col = cursor[1], cursor[2]
  local text, snippet = M.item_text(item)
  local srow, scol, erow, ecol = row, col, row, col
  if item.range then
    local s, e = item.range.start, item.range['end']
    srow, scol = s.line, util.byte_col(get_line(s.line), s.character, encoding)
    erow, ecol = e.line, util.byte_col(get_line(e.line), e.character, encoding)
  end
  -- The range must contain the cursor.
  if srow > row or (srow == row and scol > col) or erow < row or (erow == row and ecol < col) then
    return nil
  end
  -- What the user already typed inside the range must be where the item starts.
  local typed
  if srow == row then
    typed = get_line(row):sub(scol + 1, col)
  else
    local parts = { get_line(srow):sub(scol + 1) }
    for r = srow + 1, row - 1 do
      parts[#parts + 1] = get_line(r)
    end
    parts[#parts + 1] = get_line(row):sub(1, col)
    typed = table.concat(parts, '\n')
  end
  if text:sub(1, #typed) ~= typed then
    return nil
  end
  local rest = text:sub(#typed + 1)
  if rest == '' then
    return nil
  end
  return {
    row = row,
    col = col,
    lines = vim.split(rest, '\n', { plain = true }),
    replace = { srow, scol, erow, ecol },
    insert = vim.split(text, '\n', { plain = true }),
    snippet = snippet,
  }
end

---@class seed_lsp.InlineState
---@field client_id integer
---@field encoding string the client's position encoding
---@field timer? uv.uv_timer_t
---@field request_id? integer
---@field items table[]
---@field index integer
---@field ghost? seed_lsp.Ghost
---@field item? table

---@type table<integer, seed_lsp.InlineState>
local buffers = {}

M.opts = { debounce_ms = 150, hl_group = 'SeedGhostText' }

--- Draw {ghost} in {bufnr}, with an optional hint such as " (2/3)".
function M.render(bufnr, ghost, hint)
  api.nvim_buf_clear_namespace(bufnr, M.ns, 0, -1)
  local hl = M.opts.hl_group
  local first = { { ghost.lines[1], hl } }
  if hint and #ghost.lines == 1 then
    first[2] = { hint, 'Comment' }
  end
  local virt_lines = {}
  for i = 2, #ghost.lines do
    virt_lines[#virt_lines + 1] = { { ghost.lines[i], hl } }
  end
  if hint and #virt_lines > 0 then
    table.insert(virt_lines[#virt_lines], { hint, 'Comment' })
  end
  api.nvim_buf_set_extmark(bufnr, M.ns, ghost.row, ghost.col, {
    virt_text = first,
    virt_text_pos = 'inline',
    virt_lines = #virt_lines > 0 and virt_lines or nil,
    hl_mode = 'combine',
  })
  M.stats.renders = M.stats.renders + 1
end

--- The ghost text shown in {bufnr}, if any (for tests and statuslines).
function M.current(bufnr)
  local state = buffers[bufnr or api.nvim_get_current_buf()]
  return state and state.ghost
end

--- Hide the ghost text of {bufnr} and forget its items; cancel a pending request.
function M.clear(bufnr)
  local state = buffers[bufnr]
  api.nvim_buf_clear_namespace(bufnr, M.ns, 0, -1)
  if not state then
    return
  end
  state.ghost, state.item, state.items, state.index = nil, nil, {}, 1
  if state.request_id then
    local client = vim.lsp.get_client_by_id(state.client_id)
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

local function cursor(bufnr)
  local win = vim.fn.bufwinid(bufnr)
  if win == -1 then
    return nil
  end
  local pos = api.nvim_win_get_cursor(win)
  return { pos[1] - 1, pos[2] }
end

-- Show the {index}-th item that can be shown, trying the next ones when it cannot.
local function show(bufnr, index, hint)
  local state = buffers[bufnr]
  local pos = cursor(bufnr)
  if not (state and pos) or #state.items == 0 then
    return false
  end
  local n = #state.items
  local get_line = function(r)
    return util.line(bufnr, r)
  end
  for k = 0, n - 1 do
    local i = (index - 1 + k) % n + 1
    local ghost = M.ghost(state.items[i], pos, get_line, state.encoding)
    if ghost then
      state.index, state.ghost, state.item = i, ghost, state.items[i]
      M.render(bufnr, ghost, hint and (' (%d/%d)'):format(i, n) or nil)
      return true
    end
  end
  api.nvim_buf_clear_namespace(bufnr, M.ns, 0, -1)
  state.ghost, state.item = nil, nil
  return false
end

--- Show the first of {items} (lsp.InlineCompletionItem[]) that continues the text at the
--- cursor of {bufnr}; true when one is shown.
function M.show_items(bufnr, items)
  local state = buffers[bufnr]
  if not state then
    return false
  end
  state.items, state.index = items, 1
  return show(bufnr, 1)
end

--- Ask the server now for items at the cursor of {bufnr}.
function M.request(bufnr)
  local state = buffers[bufnr]
  local client = state and vim.lsp.get_client_by_id(state.client_id)
  local pos = cursor(bufnr)
  if not (client and pos) then
    return
  end
  M.clear(bufnr)
  local tick = api.nvim_buf_get_changedtick(bufnr)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = util.position(bufnr, pos[1], pos[2], client.offset_encoding),
    context = { triggerKind = 2 }, -- Automatic
  }
  M.stats.requests = M.stats.requests + 1
  local ok, id = util.request(client, 'textDocument/inlineCompletion', params, function(err, result)
    state.request_id = nil
    M.stats.responses = M.stats.responses + 1
    if err or not result then
      return
    end
    -- Stale: the user typed or moved (or left insert mode) since we asked.
    local now = cursor(bufnr)
    if
      api.nvim_buf_get_changedtick(bufnr) ~= tick
      or not now
      or now[1] ~= pos[1]
      or now[2] ~= pos[2]
      or not api.nvim_get_mode().mode:match('^i')
    then
      return
    end
    M.show_items(bufnr, result.items or result)
  end, bufnr)
  if ok then
    state.request_id = id
  end
end

-- Restart the debounce timer; hide ghost text the cursor has moved away from.
local function schedule(bufnr)
  local state = buffers[bufnr]
  if not state then
    return
  end
  local pos = cursor(bufnr)
  if state.ghost and not (pos and pos[1] == state.ghost.row and pos[2] == state.ghost.col) then
    M.clear(bufnr)
  end
  if state.timer then
    state.timer:stop()
  else
    state.timer = vim.uv.new_timer()
  end
  state.timer:start(
    M.opts.debounce_ms,
    0,
    vim.schedule_wrap(function()
      if buffers[bufnr] and api.nvim_get_mode().mode:match('^i') then
        M.request(bufnr)
      end
    end)
  )
end

--- Apply the ghost text of {bufnr} (default: current) to the buffer. Returns false when
--- there is none. Safe to call from an `<expr>` mapping: the edit happens on the next tick.
function M.accept(bufnr)
  bufnr = bufnr or api.nvim_get_current_buf()
  local state = buffers[bufnr]
  local ghost, item = state and state.ghost, state and state.item
  if not (ghost and item) then
    return false
  end
  local client_id = state.client_id
  vim.schedule(function()
    M.clear(bufnr)
    local r = ghost.replace
    local win = vim.fn.bufwinid(bufnr)
    if ghost.snippet and vim.snippet then
      api.nvim_buf_set_text(bufnr, r[1], r[2], r[3], r[4], { '' })
      api.nvim_win_set_cursor(win, { r[1] + 1, r[2] })
      vim.snippet.expand(ghost.snippet)
    else
      api.nvim_buf_set_text(bufnr, r[1], r[2], r[3], r[4], ghost.insert)
      local last = ghost.insert[#ghost.insert]
      local col = (#ghost.insert == 1 and r[2] or 0) + #last
      api.nvim_win_set_cursor(win, { r[1] + #ghost.insert, col })
    end
    M.stats.accepts = M.stats.accepts + 1
    local client = vim.lsp.get_client_by_id(client_id)
    if item.command and client then
      util.request(client, 'workspace/executeCommand', {
        command = item.command.command,
        arguments = item.command.arguments,
      }, function() end, bufnr)
    end
  end)
  return true
end

--- Show the next ({count} = 1) or previous ({count} = -1) item. False when none is shown.
function M.select(count, bufnr)
  bufnr = bufnr or api.nvim_get_current_buf()
  local state = buffers[bufnr]
  if not (state and state.ghost) then
    return false
  end
  local n = #state.items
  return show(bufnr, (state.index - 1 + count) % n + 1, true)
end

--- Hide the ghost text. False when none was shown.
function M.dismiss(bufnr)
  bufnr = bufnr or api.nvim_get_current_buf()
  local shown = M.current(bufnr) ~= nil
  M.clear(bufnr)
  return shown
end

--- Start ghost text in {bufnr} for client {client_id} (whose position encoding it uses).
function M.attach(bufnr, client_id, opts)
  M.opts = vim.tbl_extend('force', M.opts, opts or {})
  local client = vim.lsp.get_client_by_id(client_id)
  local encoding = client and client.offset_encoding or 'utf-16'
  if buffers[bufnr] then
    buffers[bufnr].client_id, buffers[bufnr].encoding = client_id, encoding
    return
  end
  buffers[bufnr] = { client_id = client_id, encoding = encoding, items = {}, index = 1 }
  local group = api.nvim_create_augroup('seed_lsp.inline.' .. bufnr, { clear = true })
  api.nvim_create_autocmd({ 'InsertEnter', 'TextChangedI', 'CursorMovedI' }, {
    group = group,
    buffer = bufnr,
    callback = function()
      schedule(bufnr)
    end,
  })
  api.nvim_create_autocmd({ 'InsertLeave', 'BufLeave' }, {
    group = group,
    buffer = bufnr,
    callback = function()
      M.clear(bufnr)
      local state = buffers[bufnr]
      if state and state.timer then
        state.timer:stop()
      end
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

--- Stop ghost text in {bufnr}.
function M.detach(bufnr)
  local state = buffers[bufnr]
  if not state then
    return
  end
  if state.timer then
    state.timer:stop()
    state.timer:close()
  end
  M.clear(bufnr)
  buffers[bufnr] = nil
  pcall(api.nvim_del_augroup_by_name, 'seed_lsp.inline.' .. bufnr)
end

return M
