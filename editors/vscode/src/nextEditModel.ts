// The pure part of next edits in VS Code (no `vscode` import; tested in test/unit): what the
// server sent, how to show it, what Tab does, when moving the cursor clears it, and how much of
// an inline completion a partial accept took.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** One edit of `textDocument/copilotInlineEdit`'s answer. */
export interface NextEditItem {
  text: string;
  range: Range;
  textDocument: { uri: string; version: number };
  command?: { title: string; command: string; arguments?: unknown[] };
}

/** The first edit of an answer, when it is well formed; undefined otherwise. */
export function firstEdit(result: unknown): NextEditItem | undefined {
  const edits = (result as { edits?: unknown } | null | undefined)?.edits;
  const item = Array.isArray(edits) ? (edits[0] as Partial<NextEditItem> | undefined) : undefined;
  const r = item?.range;
  const ok =
    item &&
    typeof item.text === 'string' &&
    r &&
    [r.start?.line, r.start?.character, r.end?.line, r.end?.character].every((n) => typeof n === 'number') &&
    typeof item.textDocument?.uri === 'string' &&
    typeof item.textDocument?.version === 'number';
  return ok ? (item as NextEditItem) : undefined;
}

/** What the decoration after the replaced text says: the first line, and how many follow. */
export function insertLabel(text: string, maxChars = 80): string {
  const lines = text.split('\n');
  let first = lines[0];
  if (first.length > maxChars) {
    first = `${first.slice(0, maxChars - 1)}…`;
  }
  if (lines.length > 1) {
    const more = lines.length - 1;
    return `${first || '⏎'} (+${more} line${more === 1 ? '' : 's'})`;
  }
  return first;
}

/** Tab: jump to the edit first when the cursor is not on its lines, else apply it. */
export function tabAction(cursorLine: number, range: Range): 'jump' | 'apply' {
  return cursorLine < range.start.line || cursorLine > range.end.line ? 'jump' : 'apply';
}

/**
 * Moving the cursor clears the edit when it leaves the lines between where it was when the edit
 * was shown and the edit itself (a jump lands inside).
 */
export function movedAway(cursorLine: number, shownAtLine: number, range: Range): boolean {
  const top = Math.min(shownAtLine, range.start.line);
  const bottom = Math.max(shownAtLine, range.end.line);
  return cursorLine < top || cursorLine > bottom;
}

/**
 * A partial accept of an inline completion, for `didPartiallyAcceptCompletion`: the UTF-16
 * length from the start of the item's text to the end of what is now accepted (the text
 * between the item's range start and the cursor), or undefined when nothing, or everything,
 * was taken (a full accept reports itself through the item's command).
 */
export function acceptedLength(insertText: string, accepted: string): number | undefined {
  if (accepted.length === 0 || accepted.length >= insertText.length || !insertText.startsWith(accepted)) {
    return undefined;
  }
  return accepted.length; // JavaScript strings count UTF-16 code units, as LSP does
}
