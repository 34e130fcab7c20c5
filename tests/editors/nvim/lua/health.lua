-- :checkhealth seed_lsp with the server attached.
local T = require('harness')
T.setup()

T.run(function()
  T.open('sample.py')
  vim.cmd('checkhealth seed_lsp')
  T.results.report = T.text()
end)
