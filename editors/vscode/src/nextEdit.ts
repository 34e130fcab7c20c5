// Next edit suggestions in VS Code with the stable API: after a change and a short pause (and
// after an accepted inline completion or next edit, so edits chain), asks the server
// `textDocument/copilotInlineEdit` and shows the edit with decorations: the replaced text struck
// through on the diff editor's "removed" colour, the new text after it on the "inserted" colour.
// The context key `seedLsp.nextEditVisible` lets Tab (jump to it, then apply it) and Escape
// (dismiss) act on it. Also reports partial accepts of inline completions (Accept Next Word /
// Line, through our own commands) with `didPartiallyAcceptCompletion`. The pure decisions are in
// nextEditModel.ts.

import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient } from 'vscode-languageclient/node';

import { NextEditItem, acceptedLength, firstEdit, insertLabel, movedAway, tabAction } from './nextEditModel';

const CONTEXT_KEY = 'seedLsp.nextEditVisible';
const REQUEST = 'textDocument/copilotInlineEdit';

interface Shown {
  editor: vscode.TextEditor;
  item: NextEditItem;
  range: vscode.Range;
  version: number;
  shownAtLine: number;
}

/** The inline completion last offered in a document, for partial accepts. */
interface Offered {
  uri: string;
  version: number;
  item: vscode.InlineCompletionItem;
}

export class NextEdits implements vscode.Disposable {
  private shown: Shown | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: vscode.CancellationTokenSource | undefined;
  /** The document version our own applied edit produced: its change event is not the user's. */
  private ownVersion: { uri: string; version: number } | undefined;
  private offered: Offered | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly deleted = vscode.window.createTextEditorDecorationType({
    textDecoration: 'line-through',
    backgroundColor: new vscode.ThemeColor('diffEditor.removedTextBackground'),
    borderRadius: '2px',
  });
  private readonly inserted = vscode.window.createTextEditorDecorationType({});

  constructor(
    private readonly client: () => LanguageClient | undefined,
    /** Is this document one the client serves (seedLsp.enable)? */
    private readonly serves: (document: vscode.TextDocument) => boolean,
    private readonly paused: (languageId: string) => boolean,
    private readonly log: vscode.LogOutputChannel,
    private readonly debounceMs = 150,
  ) {
    this.disposables.push(
      this.deleted,
      this.inserted,
      vscode.workspace.onDidChangeTextDocument((e) => this.changed(e)),
      vscode.window.onDidChangeTextEditorSelection((e) => this.selectionChanged(e)),
      vscode.window.onDidChangeActiveTextEditor(() => this.clear()),
      vscode.commands.registerCommand('seedLsp.acceptNextEdit', () => this.tab()),
      vscode.commands.registerCommand('seedLsp.dismissNextEdit', () => this.clear()),
      vscode.commands.registerCommand('seedLsp.acceptNextWordOfSuggestion', () =>
        this.partialAccept('editor.action.inlineSuggest.acceptNextWord'),
      ),
      vscode.commands.registerCommand('seedLsp.acceptNextLineOfSuggestion', () =>
        this.partialAccept('editor.action.inlineSuggest.acceptNextLine'),
      ),
    );
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, false);
  }

  /** The edit shown, for tests and the status details. */
  get current(): NextEditItem | undefined {
    return this.shown?.item;
  }

  /** Ask after `delayMs` for the active editor (a newer call restarts the wait). */
  schedule(delayMs = this.debounceMs): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.request().catch((err: unknown) => this.log.debug(`${REQUEST} failed: ${String(err)}`));
    }, delayMs);
  }

  /** Remembers the inline completions our provider returned (middleware), for partial accepts. */
  offer(document: vscode.TextDocument, items: vscode.InlineCompletionItem[]): void {
    this.offered = items[0] ? { uri: document.uri.toString(), version: document.version, item: items[0] } : undefined;
  }

  clear(): void {
    if (this.shown) {
      this.shown.editor.setDecorations(this.deleted, []);
      this.shown.editor.setDecorations(this.inserted, []);
      this.shown = undefined;
      void vscode.commands.executeCommand('setContext', CONTEXT_KEY, false);
    }
  }

  dispose(): void {
    this.clear();
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
    }
    this.inFlight?.cancel();
    for (const d of this.disposables) {
      d.dispose();
    }
  }

  private enabled(document: vscode.TextDocument): boolean {
    return (
      this.serves(document) &&
      vscode.workspace.getConfiguration('seedLsp', document).get<boolean>('nextEdit.enabled', true) &&
      !this.paused(document.languageId)
    );
  }

  private changed(e: vscode.TextDocumentChangeEvent): void {
    const editor = vscode.window.activeTextEditor;
    if (!editor || e.document !== editor.document || e.contentChanges.length === 0) {
      return;
    }
    this.clear();
    this.inFlight?.cancel();
    const own = this.ownVersion;
    if (own && own.uri === e.document.uri.toString() && own.version === e.document.version) {
      return; // our applied edit: the chain's request is on its way
    }
    if (this.enabled(e.document)) {
      this.schedule();
    }
  }

  private selectionChanged(e: vscode.TextEditorSelectionChangeEvent): void {
    const shown = this.shown;
    if (shown && e.textEditor === shown.editor) {
      const line = e.selections[0].active.line;
      if (movedAway(line, shown.shownAtLine, shown.item.range)) {
        this.clear();
      }
    }
  }

  private async request(): Promise<void> {
    const client = this.client();
    const editor = vscode.window.activeTextEditor;
    if (!client?.isRunning() || !editor || editor.document.uri.scheme !== 'file' || !this.enabled(editor.document)) {
      return;
    }
    this.inFlight?.cancel();
    const source = new vscode.CancellationTokenSource();
    this.inFlight = source;
    const document = editor.document;
    const version = document.version;
    const c2p = client.code2ProtocolConverter;
    const params = {
      textDocument: { uri: c2p.asUri(document.uri), version },
      position: c2p.asPosition(editor.selection.active),
      diagnostics: await c2p.asDiagnostics(vscode.languages.getDiagnostics(document.uri)),
    };
    const result = await client.sendRequest(REQUEST, params, source.token);
    if (source.token.isCancellationRequested || vscode.window.activeTextEditor !== editor) {
      return;
    }
    const item = firstEdit(result);
    if (!item || item.textDocument.version !== document.version || document.version !== version) {
      return;
    }
    this.show(editor, item, client);
  }

  private show(editor: vscode.TextEditor, item: NextEditItem, client: LanguageClient): void {
    const range = client.protocol2CodeConverter.asRange(item.range);
    const replaces = !range.isEmpty;
    const label = insertLabel(item.text);
    const after: vscode.ThemableDecorationAttachmentRenderOptions = {
      contentText: label || (replaces ? '⌫' : ''),
      backgroundColor: new vscode.ThemeColor('diffEditor.insertedTextBackground'),
      margin: replaces ? '0 0 0 0.3em' : undefined,
    };
    const hover = new vscode.MarkdownString();
    hover.appendMarkdown('**Seed: next edit** (Tab to jump to it and apply it, Escape to dismiss)\n\n');
    hover.appendCodeblock(item.text || '(delete)', editor.document.languageId);
    editor.setDecorations(this.deleted, replaces ? [{ range, hoverMessage: hover }] : []);
    editor.setDecorations(this.inserted, [{ range: new vscode.Range(range.end, range.end), renderOptions: { after }, hoverMessage: hover }]);
    this.shown = { editor, item, range, version: editor.document.version, shownAtLine: editor.selection.active.line };
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, true);
    void client.sendNotification('textDocument/didShowInlineEdit', { item });
  }

  /** Tab: jump to the edit, or apply it when the cursor is on its lines. */
  private async tab(): Promise<void> {
    const shown = this.shown;
    if (!shown || vscode.window.activeTextEditor !== shown.editor) {
      return;
    }
    const editor = shown.editor;
    if (tabAction(editor.selection.active.line, shown.item.range) === 'jump') {
      editor.selection = new vscode.Selection(shown.range.start, shown.range.start);
      editor.revealRange(shown.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      return;
    }
    this.clear();
    if (editor.document.version !== shown.version) {
      return; // the text moved on: the range would not fit
    }
    const applied = await editor.edit((b) => b.replace(shown.range, shown.item.text));
    if (!applied) {
      return;
    }
    this.ownVersion = { uri: editor.document.uri.toString(), version: editor.document.version };
    const end = editor.document.positionAt(editor.document.offsetAt(shown.range.start) + shown.item.text.length);
    editor.selection = new vscode.Selection(end, end);
    const client = this.client();
    const command = shown.item.command;
    if (client && command) {
      void client
        .sendRequest(ExecuteCommandRequest.type, { command: command.command, arguments: command.arguments })
        .catch(() => undefined);
    }
    this.schedule(0); // the next edit of a chain
  }

  /** Accept Next Word / Line of the inline completion, then report how much was taken. */
  private async partialAccept(builtin: string): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const offered = this.offered;
    await vscode.commands.executeCommand(builtin);
    const client = this.client();
    if (!editor || !offered || !client || offered.uri !== editor.document.uri.toString()) {
      return;
    }
    const item = offered.item;
    const insertText = typeof item.insertText === 'string' ? item.insertText : item.insertText.value;
    const start = item.range?.start;
    if (!start) {
      return;
    }
    const accepted = editor.document.getText(new vscode.Range(start, editor.selection.active));
    const length = acceptedLength(insertText, accepted);
    if (length === undefined) {
      return;
    }
    const c2p = client.code2ProtocolConverter;
    const wire = {
      insertText,
      range: item.range ? c2p.asRange(item.range) : undefined,
      command: item.command
        ? { title: item.command.title, command: item.command.command, arguments: item.command.arguments }
        : undefined,
    };
    await client.sendNotification('textDocument/didPartiallyAcceptCompletion', { item: wire, acceptedLength: length });
    this.log.debug(`didPartiallyAcceptCompletion: ${length} of ${insertText.length} characters`);
  }
}
