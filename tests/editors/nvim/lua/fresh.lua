-- From a clean config to ghost text, the way the docs say: the lazy.nvim spec of
-- docs/editors.md (T.params.spec), loaded as lazy.nvim loads a local plugin (its `dir` on
-- 'runtimepath', then `require(main).setup(opts)`), on a machine where `seed-lsp` is not on
-- $PATH: the plugin says there is no server; the spec's `build` (run as lazy runs a ":"
-- build: nvim_cmd) installs it; the plugin starts it; ghost text appears and <Tab> accepts it.
local T = require('harness')

local spec = assert(load('return ' .. T.params.spec))()
local dir = vim.fs.normalize((spec.dir:gsub('^~/src/seed%-lsp', T.params.repo)))
vim.opt.rtp:prepend(dir)
local plugin = require(spec.main)
local t0 = vim.uv.now()
plugin.setup(spec.opts)

T.run(function()
  T.results.rtp_dir = dir
  vim.cmd.edit(vim.fs.joinpath(T.params.workspace, 'ghost.py'))
  T.sleep(300)
  T.results.before = plugin.server or vim.NIL
  T.results.warned = vim.tbl_map(function(n)
    return n.msg
  end, T.notifications)

  local done
  vim.api.nvim_create_autocmd('User', {
    pattern = 'SeedInstall',
    once = true,
    callback = function(args)
      done = args.data
    end,
  })
  assert(spec.build:sub(1, 1) == ':', 'the documented build is a command')
  vim.api.nvim_cmd(vim.api.nvim_parse_cmd(spec.build:sub(2), {}), { output = true })
  T.wait(':SeedInstall to finish', function()
    return done
  end, 170000)
  T.results.install = done
  T.results.install_s = (vim.uv.now() - t0) / 1000
  assert(done.ok, done.message)
  T.results.server = plugin.server

  local client = T.wait('seed-lsp to attach', function()
    return require('seed_lsp.util').client()
  end, 20000)
  T.results.status = client:request_sync('seed/status', vim.empty_dict(), 5000).result
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  T.type('o')
  local mark = T.wait('ghost text', function()
    local marks = T.extmarks('nvim.lsp.inline_completion')
    return #marks > 0 and marks[1]
  end, 15000)
  T.results.ghost = mark[4].virt_text[1][1]
  T.results.ghost_s = (vim.uv.now() - t0) / 1000
  T.type('<Tab>')
  T.wait('the suggestion in the buffer', function()
    return (T.lines()[2] or ''):find(T.params.ghost, 1, true)
  end)
  T.results.after = T.lines()
  T.type('<Esc>')
  vim.cmd('checkhealth seed_lsp')
  T.results.health = T.text()
end, 200000)
