// Pausing suggestions from the status-bar menu: for a while (30 minutes), or for one language
// until resumed. A pause holds back the inline completions VS Code asks for by itself; asking
// explicitly still works. Pure (no `vscode` import; the clock is injected); tested in test/unit.

export class Pause {
  private until: number | undefined;
  private readonly languages = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly changed: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Pause every language for `ms` (a later call replaces the deadline). */
  for(ms: number): void {
    this.until = this.now() + ms;
    this.clearTimer();
    // Resume by itself, so that the status bar stops saying "paused" on time.
    this.timer = setTimeout(() => {
      this.until = undefined;
      this.changed();
    }, ms);
    this.changed();
  }

  /** Pause one language until `resume()`. */
  language(languageId: string): void {
    this.languages.add(languageId);
    this.changed();
  }

  resume(): void {
    this.until = undefined;
    this.languages.clear();
    this.clearTimer();
    this.changed();
  }

  /** Are automatic suggestions paused for this language? */
  covers(languageId: string): boolean {
    return this.timed() || this.languages.has(languageId);
  }

  active(): boolean {
    return this.timed() || this.languages.size > 0;
  }

  /** "until 14:35", "for python", "until 14:35 and for python, markdown". */
  describe(languageId?: string): string {
    const parts: string[] = [];
    if (this.timed() && this.until !== undefined) {
      const at = new Date(this.until);
      parts.push(`until ${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`);
    }
    const langs = languageId && this.languages.has(languageId) ? [languageId] : [...this.languages];
    if (langs.length > 0 && (languageId === undefined || this.languages.has(languageId))) {
      parts.push(`for ${langs.join(', ')}`);
    }
    return parts.join(' and ');
  }

  dispose(): void {
    this.clearTimer();
  }

  private timed(): boolean {
    return this.until !== undefined && this.now() < this.until;
  }

  private clearTimer(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
