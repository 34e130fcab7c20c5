-- The client attaches to a Python buffer, Neovim answers workspace/configuration with the
-- plugin's settings, and the user commands and keymaps exist.
local T = require('harness')
local plugin = T.setup({ settings = { model = T.params.model } })

local answer_config = vim.lsp.handlers['workspace/configuration']
vim.lsp.handlers['workspace/configuration'] = function(err, params, ctx, config)
  local result = answer_config(err, params, ctx, config)
  T.results.configuration = { items = params.items, result = result }
  return result
end

T.run(function()
  local client = T.open('sample.py')
  T.results.name = client.name
  T.results.filetype = vim.bo.filetype
  T.results.root_dir = client.root_dir or vim.NIL
  T.results.statusline = plugin.statusline()
  T.wait('workspace/configuration', function()
    return T.results.configuration
  end)
  -- The server applies the answer right after it comes: give it a moment to show in status.
  pcall(T.wait, 'seed/status with the model from the settings', function()
    local response = client:request_sync('seed/status', vim.empty_dict(), 5000)
    T.results.status = response and response.result
    return T.results.status and (T.results.status.model == T.params.model or not T.params.wait_model)
  end, 3000)
  T.results.commands = {
    SeedExplain = vim.fn.exists(':SeedExplain'),
    SeedRefactor = vim.fn.exists(':SeedRefactor'),
    SeedFix = vim.fn.exists(':SeedFix'),
  }
  T.results.accept_map = vim.fn.maparg('<Tab>', 'i', false, true).desc or vim.NIL
end)
