-- :checkhealth seed_lsp with the server attached (or, with T.params.setup_opts, with the
-- plugin set up as given, which may find no server).
local T = require('harness')
if T.params.setup_opts then
  require('seed_lsp').setup(T.params.setup_opts)
else
  T.setup()
end

T.run(function()
  if T.params.setup_opts then
    vim.cmd.edit(vim.fs.joinpath(T.params.workspace, 'sample.py'))
  else
    T.open('sample.py')
  end
  vim.cmd('checkhealth seed_lsp')
  T.results.report = T.text()
end)
