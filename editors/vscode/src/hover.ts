// "Seed: Explain Symbol": the server's `seed.hover` command answers a Hover; these helpers read
// its markdown and name the panel. Pure (no `vscode` import); tested in test/unit.

/** The markdown of an LSP Hover (MarkupContent, MarkedString or an array of them), if any. */
export function hoverMarkdown(hover: unknown): string | undefined {
  const contents = (hover as { contents?: unknown } | null | undefined)?.contents;
  const parts = (Array.isArray(contents) ? contents : [contents]).map(markedText).filter((s) => s.trim());
  return parts.length ? parts.join('\n\n---\n\n') : undefined;
}

function markedText(part: unknown): string {
  if (typeof part === 'string') {
    return part;
  }
  const p = part as { kind?: unknown; language?: unknown; value?: unknown } | null | undefined;
  if (typeof p?.value !== 'string') {
    return '';
  }
  if (typeof p.language === 'string') {
    return `\`\`\`${p.language}\n${p.value}\n\`\`\``;
  }
  return p.kind === 'plaintext' ? p.value.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&') : p.value;
}

/** "Seed: Explain total (explain.py:3)", or without the symbol when there is no word there. */
export function symbolTitle(file: string, line: number, symbol?: string): string {
  const word = symbol?.trim();
  const where = `${file}:${line + 1}`;
  return word ? `Seed: Explain ${word.length > 40 ? `${word.slice(0, 39)}…` : word} (${where})` : `Seed: Explain ${where}`;
}
