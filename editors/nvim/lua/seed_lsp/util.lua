--- Small helpers shared by the plugin: finding our client, requests that work on Neovim
--- 0.10 to 0.12, and conversions between byte columns and LSP positions.
local M = {}

M.name = 'seed_lsp'

--- True on Neovim {major}.{minor} or newer.
---@param minor integer
---@return boolean
function M.has(minor)
  return vim.fn.has('nvim-0.' .. minor) == 1
end

--- The seed-lsp client attached to {bufnr} (default: current buffer), if any.
---@param bufnr? integer
---@return vim.lsp.Client?
function M.client(bufnr)
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  return get({ name = M.name, bufnr = bufnr or vim.api.nvim_get_current_buf() })[1]
end

--- `client:request()` on 0.11+, `client.request()` on 0.10.
function M.request(client, method, params, handler, bufnr)
  if M.has(11) then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

--- `client:notify()` on 0.11+, `client.notify()` on 0.10: a notification to the server.
function M.notify_server(client, method, params)
  if M.has(11) then
    return client:notify(method, params)
  end
  return client.notify(method, params)
end

function M.notify(msg, level)
  vim.notify('seed-lsp: ' .. msg, level or vim.log.levels.INFO)
end

-- Byte length of the UTF-8 sequence starting with byte {b}.
local function seq_len(b)
  if b < 0x80 then
    return 1
  elseif b >= 0xF0 then
    return 4
  elseif b >= 0xE0 then
    return 3
  elseif b >= 0xC0 then
    return 2
  end
  return 1
end

-- Code units of one UTF-8 sequence of {len} bytes in {encoding}.
local function units(len, encoding)
  if encoding == 'utf-8' then
    return len
  elseif encoding == 'utf-32' then
    return 1
  end
  return len == 4 and 2 or 1 -- utf-16: astral characters are surrogate pairs
end

--- Byte index (0-based) in {line} of the LSP character offset {character} in {encoding}.
--- Offsets past the end of the line give the line's length.
---@param line string
---@param character integer
---@param encoding string 'utf-8'|'utf-16'|'utf-32'
---@return integer
function M.byte_col(line, character, encoding)
  local byte, unit = 0, 0
  while byte < #line and unit < character do
    local len = seq_len(line:byte(byte + 1))
    unit = unit + units(len, encoding)
    byte = byte + len
  end
  return math.min(byte, #line)
end

--- LSP character offset in {encoding} of the byte index (0-based) {col} in {line}.
---@param line string
---@param col integer
---@param encoding string
---@return integer
function M.char_col(line, col, encoding)
  local byte, unit = 0, 0
  col = math.min(col, #line)
  while byte < col do
    local len = seq_len(line:byte(byte + 1))
    unit = unit + units(len, encoding)
    byte = byte + len
  end
  return unit
end

--- The text of line {row} (0-based) of {bufnr}, or '' past the end.
function M.line(bufnr, row)
  return vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ''
end

--- An LSP position for byte position ({row}, {col}), both 0-based.
function M.position(bufnr, row, col, encoding)
  return { line = row, character = M.char_col(M.line(bufnr, row), col, encoding) }
end

--- Byte position {row, col} (0-based) of an LSP position.
function M.from_position(bufnr, pos, encoding)
  return pos.line, M.byte_col(M.line(bufnr, pos.line), pos.character, encoding)
end

return M
