-- Unit tests of the fallback renderer (lua/seed_lsp/inline.lua) and the position helpers,
-- without a server: each check records its name in T.results.passed.
local T = require('harness')
local inline = require('seed_lsp.inline')
local util = require('seed_lsp.util')
T.results.passed = {}

local function check(name, fn)
  fn()
  table.insert(T.results.passed, name)
end

local function getter(lines)
  return function(row)
    return lines[row + 1] or ''
  end
end

local function range(sl, sc, el, ec)
  return { start = { line = sl, character = sc }, ['end'] = { line = el, character = ec } }
end

T.run(function()
  check('byte_col and char_col in every encoding', function()
    local line = 'aé😀b' -- 1 + 2 + 4 + 1 bytes; utf-16 units 1 + 1 + 2 + 1
    T.eq(3, util.byte_col(line, 2, 'utf-16'), 'after é (utf-16)')
    T.eq(7, util.byte_col(line, 4, 'utf-16'), 'after 😀 (utf-16)')
    T.eq(7, util.byte_col(line, 3, 'utf-32'), 'after 😀 (utf-32)')
    T.eq(3, util.byte_col(line, 3, 'utf-8'), 'utf-8 is bytes')
    T.eq(#line, util.byte_col(line, 99, 'utf-16'), 'past the end')
    T.eq(4, util.char_col(line, 7, 'utf-16'), 'char_col utf-16')
    T.eq(3, util.char_col(line, 7, 'utf-32'), 'char_col utf-32')
    T.eq(7, util.char_col(line, 7, 'utf-8'), 'char_col utf-8')
  end)

  check('an item without a range continues at the cursor', function()
    local g = inline.ghost({ insertText = 'return x' }, { 1, 4 }, getter({ 'def f(x):', '    ' }), 'utf-16')
    T.eq({ 'return x' }, g.lines, 'shown')
    T.eq({ 1, 4, 1, 4 }, g.replace, 'replaced')
    T.eq({ 'return x' }, g.insert, 'inserted')
  end)

  check('what is typed inside the range is not shown again', function()
    local g = inline.ghost(
      { insertText = '    return x', range = range(1, 0, 1, 7) },
      { 1, 7 },
      getter({ 'def f(x):', '    ret' }),
      'utf-16'
    )
    T.eq({ 'urn x' }, g.lines, 'shown')
    T.eq({ 1, 0, 1, 7 }, g.replace, 'replaced')
  end)

  check('multi-line items show the rest as virtual lines', function()
    local g = inline.ghost({ insertText = 'if x:\n        return 1' }, { 1, 4 }, getter({ 'def f(x):', '    ' }), 'utf-8')
    T.eq({ 'if x:', '        return 1' }, g.lines, 'shown')
  end)

  check('an item that does not continue the typed text is not shown', function()
    local lines = getter({ 'foo' })
    T.eq(nil, inline.ghost({ insertText = 'bar()', range = range(0, 0, 0, 3) }, { 0, 3 }, lines, 'utf-16'), 'mismatch')
    T.eq(nil, inline.ghost({ insertText = 'foo', range = range(0, 0, 0, 3) }, { 0, 3 }, lines, 'utf-16'), 'nothing left')
    T.eq(nil, inline.ghost({ insertText = 'x', range = range(0, 0, 0, 1) }, { 0, 3 }, lines, 'utf-16'), 'cursor outside')
  end)

  check('ranges in UTF-16 map to bytes', function()
    local g = inline.ghost(
      { insertText = 'é = foo()', range = range(0, 0, 0, 6) },
      { 0, 7 },
      getter({ 'é = fo' }),
      'utf-16'
    )
    T.eq({ 'o()' }, g.lines, 'shown')
    T.eq({ 0, 0, 0, 7 }, g.replace, 'replaced')
  end)

  check('snippets show their placeholders as text', function()
    local text, snippet = inline.item_text({ insertText = { kind = 'snippet', value = 'f(${1:a}, $2)$0' } })
    T.eq('f(a, )', text, 'shown')
    T.eq('f(${1:a}, $2)$0', snippet, 'kept for expansion')
  end)

  -- The renderer on a real buffer: extmarks, cycling, dismiss, accept.
  vim.cmd.enew()
  vim.o.virtualedit = 'onemore' -- the cursor after the last character, as in insert mode
  local buf = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, { 'def f(x):', '    ret' })
  vim.api.nvim_win_set_cursor(0, { 2, 7 })
  inline.attach(buf, -1, { debounce_ms = 10000 }) -- no client: nothing is requested
  local items = {
    { insertText = '    return x', range = range(1, 0, 1, 7) },
    { insertText = '    return x + 1\n    # done', range = range(1, 0, 1, 7) },
  }

  check('render: an inline extmark at the cursor', function()
    assert(inline.show_items(buf, items), 'shown')
    local marks = vim.api.nvim_buf_get_extmarks(buf, inline.ns, 0, -1, { details = true })
    T.eq(1, #marks, 'one extmark')
    T.eq({ 1, 7 }, { marks[1][2], marks[1][3] }, 'at the cursor')
    T.eq('inline', marks[1][4].virt_text_pos, 'inline')
    T.eq({ { 'urn x', 'SeedGhostText' } }, marks[1][4].virt_text, 'text')
    T.eq({ 'def f(x):', '    ret' }, T.lines(buf), 'buffer untouched')
  end)

  check('select: the next item, with a hint and a virtual line', function()
    assert(inline.select(1, buf), 'selected')
    local marks = vim.api.nvim_buf_get_extmarks(buf, inline.ns, 0, -1, { details = true })
    T.eq({ { 'urn x + 1', 'SeedGhostText' } }, marks[1][4].virt_text, 'first line')
    T.eq({ { { '    # done', 'SeedGhostText' }, { ' (2/2)', 'Comment' } } }, marks[1][4].virt_lines, 'rest')
    assert(inline.select(1, buf), 'wraps around')
    T.eq({ 'urn x' }, inline.current(buf).lines, 'back to the first')
  end)

  check('dismiss: hides, leaves the buffer alone', function()
    assert(inline.dismiss(buf), 'dismissed')
    T.eq({}, vim.api.nvim_buf_get_extmarks(buf, inline.ns, 0, -1, {}), 'no extmark')
    T.eq(false, inline.dismiss(buf), 'nothing left to dismiss')
    T.eq(false, inline.accept(buf), 'nothing to accept')
    T.eq({ 'def f(x):', '    ret' }, T.lines(buf), 'buffer untouched')
  end)

  inline.show_items(buf, { items[2] })
  check('accept: replaces the range, moves the cursor to the end', function()
    assert(inline.accept(buf), 'accepted')
    T.sleep(50)
    T.eq({ 'def f(x):', '    return x + 1', '    # done' }, T.lines(buf), 'buffer')
    T.eq({ 3, 10 }, vim.api.nvim_win_get_cursor(0), 'cursor')
    T.eq({}, vim.api.nvim_buf_get_extmarks(buf, inline.ns, 0, -1, {}), 'ghost gone')
  end)

  check('moving the cursor away hides stale ghost text', function()
    vim.api.nvim_buf_set_lines(buf, 0, -1, false, { 'x = ' })
    vim.api.nvim_win_set_cursor(0, { 1, 4 })
    assert(inline.show_items(buf, { { insertText = '1' } }), 'shown')
    vim.api.nvim_win_set_cursor(0, { 1, 0 })
    vim.api.nvim_exec_autocmds('CursorMovedI', { buffer = buf })
    T.eq(nil, inline.current(buf), 'hidden')
  end)

  inline.detach(buf)
  T.results.stats = inline.stats
end)
