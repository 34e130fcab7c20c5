-- Neovim with its real terminal UI inside tmux: the plugin, a statusline with usage, and a
-- file open; the Python side types and reads the screen. Writes T.params.ready on attach.
-- Messages show as they would for a user (the harness's recording vim.notify is undone).
local notify = vim.notify
local T = require('harness')
vim.notify = notify
if T.params.gui == false then
  vim.o.termguicolors = false -- a 256-colour terminal
end
T.setup({ inline = { mode = T.params.mode } })
vim.o.number = true
vim.o.laststatus = 2
vim.o.showmode = true
vim.o.statusline = " %t %= %{v:lua.require'seed_lsp'.statusline()} "
vim.api.nvim_create_autocmd('LspAttach', {
  callback = function()
    local f = assert(io.open(T.params.ready, 'w'))
    f:close()
  end,
})
vim.cmd.edit(vim.fs.joinpath(T.params.workspace, T.params.file))
