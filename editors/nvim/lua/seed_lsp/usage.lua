--- Usage from the server's `seed/usage` notifications, for statuslines.
local M = {}

--- The last `seed/usage` payload: `{ total = {...}, features = {...} }`, or nil.
M.last = nil

--- Handler for the `seed/usage` notification.
function M.on_usage(_, result, _)
  if type(result) ~= 'table' then
    return
  end
  M.last = result
  vim.schedule(function()
    vim.api.nvim_exec_autocmds('User', { pattern = 'SeedUsage', modeline = false, data = result })
    pcall(vim.cmd.redrawstatus)
  end)
end

--- 950 -> "950", 12345 -> "12.3k", 2500000 -> "2.5M".
function M.human(n)
  n = tonumber(n) or 0
  if n >= 1e6 then
    return ('%.1fM'):format(n / 1e6)
  elseif n >= 1e3 then
    return ('%.1fk'):format(n / 1e3)
  end
  return tostring(math.floor(n))
end

--- "$0.0042", or "cost n/a" when no endpoint reported a cost (`usdSpent` is null).
function M.cost(usd)
  if usd == nil or usd == vim.NIL then
    return 'cost n/a'
  end
  return ('$%.4f'):format(tonumber(usd) or 0)
end

--- "12.3k tokens in 4 requests, $0.0042" (or "cost n/a"); "none yet" before any request.
function M.summary()
  local total = M.last and M.last.total
  if type(total) ~= 'table' then
    return 'none yet'
  end
  return ('%s tokens in %d requests, %s'):format(M.human(total.totalTokens), tonumber(total.requests) or 0, M.cost(total.usdSpent))
end

--- "Seed 12.3k tok $0.0042" (or "Seed 12.3k tok cost n/a") once the server has reported usage,
--- "Seed" before that when the server is attached to the current buffer, "" otherwise.
function M.statusline()
  local total = M.last and M.last.total
  if type(total) == 'table' then
    return ('Seed %s tok %s'):format(M.human(total.totalTokens), M.cost(total.usdSpent))
  end
  if require('seed_lsp.util').client() then
    return 'Seed'
  end
  return ''
end

return M
