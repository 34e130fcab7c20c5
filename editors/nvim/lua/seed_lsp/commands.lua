--- :SeedExplain, :SeedRefactor and :SeedFix: the server's commands, run on a range of the
--- current buffer through `workspace/executeCommand`.
local util = require('seed_lsp.util')
local api = vim.api

local M = {}

--- The last explanation shown: `{ bufnr, winid, text }` (for tests and for re-showing it).
M.last_explain = nil
--- The last :SeedHover answer shown, likewise.
M.last_hover = nil

local function client_or_warn(bufnr)
  local client = util.client(bufnr)
  if not client then
    util.notify('not attached to this buffer (is the filetype in `filetypes`?)', vim.log.levels.WARN)
  end
  return client
end

--- The LSP range for lines {line1}..{line2} (1-based, inclusive) when {has_range}, else the
--- empty range at the cursor (the server then takes the enclosing function or class).
function M.range(bufnr, has_range, line1, line2, encoding)
  if has_range then
    local last = util.line(bufnr, line2 - 1)
    return {
      start = { line = line1 - 1, character = 0 },
      ['end'] = { line = line2 - 1, character = util.char_col(last, #last, encoding) },
    }
  end
  local pos = api.nvim_win_get_cursor(0)
  local p = util.position(bufnr, pos[1] - 1, pos[2], encoding)
  return { start = p, ['end'] = p }
end

local function execute(client, bufnr, command, argument, on_result)
  util.request(client, 'workspace/executeCommand', {
    command = command,
    arguments = { argument },
  }, function(err, result)
    if err then
      util.notify(command .. ' failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    on_result(result)
  end, bufnr)
end

--- Show markdown {text} in a floating window next to the cursor.
function M.show_markdown(text, title)
  -- The float is the answer: the "explaining…" still on the command line is not.
  api.nvim_echo({ { '' } }, false, {})
  local lines = vim.split(text, '\n', { plain = true })
  local width = math.min(100, math.max(40, math.floor(vim.o.columns * 0.6)))
  local bufnr, winid = vim.lsp.util.open_floating_preview(lines, 'markdown', {
    border = 'rounded',
    focus_id = 'seed_lsp_explain',
    max_width = width,
    max_height = math.max(10, math.floor(vim.o.lines * 0.6)),
    title = title,
    wrap = true,
  })
  return bufnr, winid
end

local function explain(client, bufnr, argument)
  util.notify('explaining…')
  execute(client, bufnr, 'seed.explain', argument, function(result)
    local text = type(result) == 'table' and result.value or (type(result) == 'string' and result)
    if not text or text == '' then
      util.notify('no explanation', vim.log.levels.WARN)
      return
    end
    local fbuf, fwin = M.show_markdown(text, ' Seed: explanation ')
    M.last_explain = { bufnr = fbuf, winid = fwin, text = text }
    api.nvim_exec_autocmds('User', { pattern = 'SeedExplain', modeline = false, data = M.last_explain })
  end)
end

--- :SeedExplain: explain the given lines, or the function around the cursor.
function M.explain(opts)
  local bufnr = api.nvim_get_current_buf()
  local client = client_or_warn(bufnr)
  if not client then
    return
  end
  local range = M.range(bufnr, opts.range > 0, opts.line1, opts.line2, client.offset_encoding)
  explain(client, bufnr, { uri = vim.uri_from_bufnr(bufnr), range = range })
end

--- :SeedHover: explain the symbol under the cursor now (the deliberate ask of
--- `hover.mode = "explicit"`); later hovers there show the answer from the server's cache.
function M.hover()
  local bufnr = api.nvim_get_current_buf()
  local client = client_or_warn(bufnr)
  if not client then
    return
  end
  local pos = api.nvim_win_get_cursor(0)
  local position = util.position(bufnr, pos[1] - 1, pos[2], client.offset_encoding)
  execute(client, bufnr, 'seed.hover', { uri = vim.uri_from_bufnr(bufnr), position = position }, function(result)
    local contents = type(result) == 'table' and result.contents or nil
    local text = type(contents) == 'table' and contents.value or nil
    if not text or text == '' then
      util.notify('nothing to explain here', vim.log.levels.INFO)
      return
    end
    local fbuf, fwin = M.show_markdown(text, ' Seed ')
    M.last_hover = { bufnr = fbuf, winid = fwin, text = text }
  end)
end

--- Client-side handler of the `seed.explain` command that the "Seed: Explain" code action
--- carries (`vim.lsp.commands`): runs it on the server and shows the result in the float,
--- which Neovim would otherwise drop.
function M.explain_command(command, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  local argument = command.arguments and command.arguments[1]
  if client and argument then
    explain(client, ctx.bufnr, argument)
  end
end

local function report_edit(what, result)
  local changed = type(result) == 'table' and (result.changes or result.documentChanges)
  if changed and next(changed) then
    util.notify(what .. ' applied')
  else
    util.notify(what .. ': no change', vim.log.levels.WARN)
  end
  api.nvim_exec_autocmds('User', { pattern = 'SeedEdit', modeline = false, data = { what = what, edit = result } })
end

--- :SeedRefactor {instruction}: rewrite the given lines (or the function around the cursor).
function M.refactor(opts)
  local bufnr = api.nvim_get_current_buf()
  local client = client_or_warn(bufnr)
  if not client then
    return
  end
  local instruction = vim.trim(opts.args or '')
  if instruction == '' then
    instruction = vim.fn.input('Seed refactor: ')
    if vim.trim(instruction) == '' then
      return
    end
  end
  local range = M.range(bufnr, opts.range > 0, opts.line1, opts.line2, client.offset_encoding)
  util.notify('refactoring…')
  execute(client, bufnr, 'seed.refactor', {
    uri = vim.uri_from_bufnr(bufnr),
    range = range,
    instruction = instruction,
  }, function(result)
    report_edit('refactor', result)
  end)
end

--- The LSP diagnostic under the cursor of {bufnr} (any source), or nil.
function M.diagnostic_at_cursor(bufnr, encoding)
  local pos = api.nvim_win_get_cursor(0)
  local row, col = pos[1] - 1, pos[2]
  local found = vim.diagnostic.get(bufnr, { lnum = row })
  if #found == 0 then
    return nil
  end
  local chosen = found[1]
  for _, d in ipairs(found) do
    if d.col <= col and col <= (d.end_col or d.col) then
      chosen = d
      break
    end
  end
  local lsp = chosen.user_data and chosen.user_data.lsp
  if type(lsp) == 'table' and lsp.range then
    return lsp
  end
  local severity = chosen.severity or vim.diagnostic.severity.ERROR
  return {
    range = {
      start = util.position(bufnr, chosen.lnum, chosen.col, encoding),
      ['end'] = util.position(bufnr, chosen.end_lnum or chosen.lnum, chosen.end_col or chosen.col, encoding),
    },
    message = chosen.message,
    severity = severity,
    source = chosen.source,
    code = chosen.code,
  }
end

--- :SeedFix: ask for a fix of the diagnostic under the cursor.
function M.fix()
  local bufnr = api.nvim_get_current_buf()
  local client = client_or_warn(bufnr)
  if not client then
    return
  end
  local diagnostic = M.diagnostic_at_cursor(bufnr, client.offset_encoding)
  if not diagnostic then
    util.notify('no diagnostic under the cursor', vim.log.levels.WARN)
    return
  end
  util.notify('fixing: ' .. diagnostic.message)
  execute(client, bufnr, 'seed.fixDiagnostic', {
    uri = vim.uri_from_bufnr(bufnr),
    range = diagnostic.range,
    diagnostic = diagnostic,
  }, function(result)
    report_edit('fix', result)
  end)
end

return M
