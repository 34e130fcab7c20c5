// The Seed LSP extension: starts `seed-lsp --stdio` with vscode-languageclient, keeps the API
// key in SecretStorage and hands it to the server in its environment (`AIMLAPI_KEY`), so the key
// never travels over JSON-RPC and never shows in an LSP trace; adds the Explain / Refactor / Fix commands and a status-bar item with
// this session's usage. The server's log reaches the `Seed LSP` channel once, as
// `window/logMessage` at its own level; its stderr (the same lines) goes to `Seed LSP (stderr)`,
// and only when the server exits unasked does its end show in `Seed LSP`, as errors. Inline completions (ghost text), code actions and hovers come from the
// client's built-in features; nothing here reimplements them.

import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import type { Readable } from 'stream';
import * as vscode from 'vscode';
import {
  CancellationToken,
  CloseAction,
  CloseHandlerResult,
  ErrorAction,
  ErrorHandler,
  ConfigurationParams,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  LSPErrorCodes,
  ErrorCodes,
  ResponseError,
  RevealOutputChannelOn,
  State as ClientState,
} from 'vscode-languageclient/node';

import { ExplainPanel } from './explainPanel';
import { hoverMarkdown, symbolTitle } from './hover';
import { ManagedServer, SetupError } from './installer';
import { NextEdits } from './nextEdit';
import { Pause } from './pause';
import { StderrTail, startFailure } from './serverStderr';
import { Launch, serverLaunch, whichOnPath } from './serverCommand';
import { SECTION, contributedKeys, documentSelector, needsRestart, serverSection } from './settings';
import {
  EMPTY_REPORT,
  ServerStatus,
  State,
  UsageReport,
  asUsageReport,
  statusText,
  statusTooltip,
  usageLines,
  withCarried,
} from './status';

const SECRET_KEY = 'seedLsp.apiKey';
const USAGE = 'seed/usage';
const STATUS = 'seed/status';
/** Requests that may call the model: they set the status bar to "working" while they run. */
const MODEL_METHODS = new Set([
  'textDocument/inlineCompletion',
  'textDocument/completion',
  'textDocument/hover',
  'codeAction/resolve',
  'workspace/executeCommand',
]);

let extension: SeedExtension | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extension = new SeedExtension(context);
  // A server that fails to start must not fail activation: the commands (set the key, show
  // the log, restart, set up the server) are how the user fixes it. Not awaited: starting may
  // wait for the user to accept setting up a server.
  void extension.start().catch(() => undefined);
}

export async function deactivate(): Promise<void> {
  await extension?.stop();
  extension = undefined;
}

interface MarkupContent {
  kind: string;
  value: string;
}

/** One server process's stderr: its last lines, and when it ended. */
interface StderrStream {
  tail: StderrTail;
  closed: Promise<void>;
}

class SeedExtension {
  private client: LanguageClient | undefined;
  private readonly output: vscode.LogOutputChannel;
  /** The server's stderr, verbatim (its lines carry their own time and level). */
  private readonly stderrOutput: vscode.OutputChannel;
  /** The newest server process's stderr. */
  private stderr: StderrStream | undefined;
  private readonly item: vscode.StatusBarItem;
  private readonly panel = new ExplainPanel();
  private readonly keys: string[];
  private state: State = 'starting';
  private lastError: string | undefined;
  private serverStatus: ServerStatus | undefined;
  private usage: UsageReport = EMPTY_REPORT;
  private carried: UsageReport = EMPTY_REPORT;
  private inFlight = 0;
  private explaining = 0;
  private restarting: Promise<void> | undefined;
  private readonly managed: ManagedServer;
  private settingUp: Promise<void> | undefined;
  /** The command the running server was started with, for the status details. */
  private launch: Launch | undefined;
  private readonly pause = new Pause(() => this.render());
  private readonly nextEdits: NextEdits;
  /** The running client's document selector (from seedLsp.enable). */
  private selector: vscode.DocumentFilter[] | undefined;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.keys = contributedKeys(context.extension.packageJSON);
    this.output = vscode.window.createOutputChannel('Seed LSP', { log: true });
    this.stderrOutput = vscode.window.createOutputChannel('Seed LSP (stderr)');
    this.item = vscode.window.createStatusBarItem('seedLsp.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Seed LSP';
    this.item.command = 'seedLsp.showStatus';
    this.managed = new ManagedServer(context, this.output, whichOnPath(process.env, isExecutable));
    this.nextEdits = new NextEdits(
      () => this.client,
      (document) => this.selector !== undefined && vscode.languages.match(this.selector, document) > 0,
      (languageId) => this.pause.covers(languageId),
      this.output,
    );
    this.render();
    this.item.show();

    const command = (id: string, run: () => unknown) =>
      vscode.commands.registerCommand(id, () => this.guard(run));
    context.subscriptions.push(
      this.output,
      this.stderrOutput,
      this.item,
      this.panel,
      command('seedLsp.setApiKey', () => this.setApiKey()),
      command('seedLsp.clearApiKey', () => this.clearApiKey()),
      command('seedLsp.explainSelection', () => this.explainSelection()),
      command('seedLsp.explainSymbol', () => this.explainSymbol()),
      command('seedLsp.refactorSelection', () => this.refactorSelection()),
      command('seedLsp.fixDiagnostic', () => this.fixDiagnostic()),
      command('seedLsp.showStatus', () => this.showStatus()),
      command('seedLsp.restartServer', () => this.restart()),
      command('seedLsp.showLog', () => this.output.show()),
      command('seedLsp.setUpServer', () => this.setUpServer()),
      command('seedLsp.pauseSuggestions', () => this.pause.for(30 * 60_000)),
      command('seedLsp.pauseForLanguage', () => this.pauseForLanguage()),
      command('seedLsp.resumeSuggestions', () => this.pause.resume()),
      this.pause,
      this.nextEdits,
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      context.secrets.onDidChange((e) => {
        if (e.key === SECRET_KEY) {
          void this.guard(() => this.keyChanged());
        }
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (needsRestart((s) => e.affectsConfiguration(s))) {
          void this.guard(() => this.restart());
        } else if (e.affectsConfiguration(SECTION)) {
          // The server re-reads its section itself (it registered for the notification).
          setTimeout(() => void this.refreshStatus(), 500);
        }
      }),
    );
  }

  // -- server lifecycle ---------------------------------------------------------------------

  async start(): Promise<void> {
    const settings = vscode.workspace.getConfiguration(SECTION);
    const launch =
      serverLaunch(
        { path: settings.get<string>('server.path'), pythonPath: settings.get<string>('server.pythonPath') },
        whichOnPath(process.env, isExecutable),
      ) ?? (await this.managedLaunch());
    if (!launch) {
      return;
    }
    this.launch = launch;
    this.output.info(`starting ${launch.command} ${launch.args.join(' ')} (${launch.origin ?? 'configured'})`);
    const apiKey = await this.context.secrets.get(SECRET_KEY);
    // The key from the secret store wins over one inherited from VS Code's environment.
    const env = apiKey ? { ...process.env, AIMLAPI_KEY: apiKey } : process.env;
    // Set once the client exists; the handlers below only run after that.
    let client: LanguageClient | undefined;
    let defaults: ErrorHandler | undefined;
    let starting = true; // until our client.start() settles
    const quiet = 'the server exited while starting';
    const languages = await vscode.languages.getLanguages();
    const selector = documentSelector(languages, (languageId) =>
      vscode.workspace.getConfiguration(SECTION, { languageId }).get<boolean>('enable', true),
    );
    this.output.info(
      selector.length === 2 && !selector[0].language
        ? 'attaching to every language (seedLsp.enable)'
        : `attaching to ${selector.length / 2} of ${languages.length} languages (seedLsp.enable)`,
    );
    this.selector = selector;
    const clientOptions: LanguageClientOptions = {
      documentSelector: selector,
      initializationOptions: this.section(),
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      stdioOptions: {
        // Only used by socket and pipe transports; ours is stdio, where stdout is the protocol.
        stdout: (input, channel) => eachLine(input, (line) => channel.info(line)),
        stderr: (input) => this.pipeStderr(input, () => client),
      },
      // A server that exits while starting: start() below says why, once, with its stderr;
      // the client's own messages ("couldn't create connection", "Pending response rejected")
      // would only add noise. A crash later: the client's usual restarts.
      initializationFailedHandler: () => false,
      errorHandler: {
        error: (error, msg, count) =>
          starting ? { action: ErrorAction.Shutdown, message: quiet, handled: true } : defaults!.error(error, msg, count),
        closed: (): CloseHandlerResult | Promise<CloseHandlerResult> =>
          starting ? { action: CloseAction.DoNotRestart, message: quiet, handled: true } : defaults!.closed(),
      },
      middleware: {
        workspace: {
          configuration: (params, token, next) => this.configuration(params, token, next),
        },
        window: {
          // While an explanation is on its way to our own panel, do not also open it as a file.
          showDocument: (params, token, next) =>
            this.explaining > 0 ? { success: true } : next(params, token),
        },
        // A pause holds back the suggestions VS Code asks for by itself; asking explicitly
        // (Trigger Inline Suggestion) still works.
        provideInlineCompletionItems: async (document, position, context, token, next) => {
          if (context.triggerKind === vscode.InlineCompletionTriggerKind.Automatic && this.pause.covers(document.languageId)) {
            return undefined;
          }
          const result = await next(document, position, context, token);
          // Kept for Accept Next Word / Line, which report how much they took.
          this.nextEdits.offer(document, Array.isArray(result) ? result : (result?.items ?? []));
          return result;
        },
        executeCommand: async (command, args, next) => {
          if (command === 'seed.explain') {
            return this.explainThrough(args[0], () => next(command, args));
          }
          const result = await next(command, args);
          if (command === 'seed.didAcceptCompletion') {
            // An accepted suggestion is an edit: the next one may follow it.
            this.nextEdits.schedule(300);
          }
          return result;
        },
        sendRequest: (type, param, token, next) => {
          const method = typeof type === 'string' ? type : type.method;
          return MODEL_METHODS.has(method) ? this.track(next(type, param, token)) : next(type, param, token);
        },
      },
    };
    client = new LanguageClient(
      'seedLsp',
      'Seed LSP',
      { command: launch.command, args: launch.args, options: { env } },
      clientOptions,
    );
    defaults = client.createDefaultErrorHandler();
    this.client = client;
    this.stderr = undefined;
    client.onDidChangeState((e) => {
      if (this.client !== client) {
        return;
      }
      if (e.newState === ClientState.Stopped && this.state !== 'error') {
        this.setState('stopped');
      } else if (e.newState === ClientState.Running && e.oldState === ClientState.Starting && this.state === 'stopped') {
        // The client restarted a crashed server: a new process, whose usage starts at zero.
        this.carried = withCarried(this.usage, this.carried);
        this.usage = EMPTY_REPORT;
        this.setState('starting');
        void this.refreshStatus();
      }
    });
    this.setState('starting');
    try {
      await client.start();
      starting = false;
    } catch (err) {
      await this.startFailed(err);
      starting = false;
      throw new Reported(message(err));
    }
    client.onNotification(USAGE, (report: unknown) => {
      this.usage = asUsageReport(report);
      this.render();
      // The server sends one too when its status changed (a local server turned out to want
      // a key); at most every 0.5 s, so re-reading the status each time costs little.
      void this.refreshStatus();
    });
    await this.refreshStatus();
  }

  /**
   * The server this extension set up itself (updated first when the bundled one changed); when
   * there is none yet, offers to set it up and returns undefined.
   */
  private async managedLaunch(): Promise<Launch | undefined> {
    const plan = this.managed.plan();
    if (plan === undefined) {
      const text =
        'seed-lsp was not found on PATH, and this build of the extension ships no server to set up: ' +
        'set "seedLsp.server.path" (or "seedLsp.server.pythonPath").';
      this.setState('error', text);
      void vscode.window.showErrorMessage(`Seed: ${text}`, 'Open Settings').then((choice) => {
        if (choice) {
          void vscode.commands.executeCommand('workbench.action.openSettings', 'seedLsp.server');
        }
      });
      return undefined;
    }
    if (plan === 'fresh') {
      this.setState('noServer');
      void this.offerSetUp();
      return undefined;
    }
    if (plan === 'update') {
      const from = this.managed.installed()?.version;
      this.output.info(`the bundled server changed (installed: ${from}): updating it`);
      try {
        await this.managed.install('update');
      } catch (err) {
        this.setUpFailed(err);
        throw new Reported(message(err));
      }
    }
    return { command: this.managed.paths.seedLsp, args: ['--stdio'], origin: 'set up by the extension' };
  }

  private async offerSetUp(): Promise<void> {
    const choice = await vscode.window.showInformationMessage(
      'Seed needs its language server, seed-lsp, which is not on PATH. Set it up now? It goes into a ' +
        "virtual environment in this extension's storage, from the seed-lsp shipped with the extension " +
        '(its dependencies come from the Python package index).',
      'Set Up',
      'Open Settings',
    );
    if (choice === 'Set Up') {
      await this.guard(() => this.setUpServer());
    } else if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'seedLsp.server');
    }
  }

  /** "Seed: Set Up Server": (re)installs the bundled server, then (re)starts it. */
  private async setUpServer(): Promise<void> {
    if (!this.settingUp) {
      this.settingUp = (async () => {
        this.setState('starting');
        try {
          await this.managed.install('fresh');
        } catch (err) {
          this.setUpFailed(err);
          throw new Reported(message(err));
        }
        await this.restart();
      })().finally(() => (this.settingUp = undefined));
    }
    return this.settingUp;
  }

  private setUpFailed(err: unknown): void {
    if (err instanceof vscode.CancellationError) {
      this.setState('noServer');
      return;
    }
    const text = err instanceof SetupError ? err.message : `setting up the server failed: ${message(err)}`;
    this.setState('error', text);
    void vscode.window.showErrorMessage(`Seed: ${text}`, 'Show Log', 'Try Again').then((choice) => {
      if (choice === 'Show Log') {
        this.output.show(true);
      } else if (choice === 'Try Again') {
        void this.guard(() => this.setUpServer());
      }
    });
  }

  private pauseForLanguage(): void {
    const languageId = vscode.window.activeTextEditor?.document.languageId;
    if (!languageId) {
      throw new UserError('Open a file of the language to pause first.');
    }
    this.pause.language(languageId);
  }

  /** Copies a server's stderr to `Seed LSP (stderr)`, keeping its tail for when it exits. */
  private pipeStderr(input: Readable, owner: () => LanguageClient | undefined): void {
    const tail = new StderrTail();
    let ended!: () => void;
    const stream: StderrStream = { tail, closed: new Promise<void>((resolve) => (ended = resolve)) };
    this.stderr = stream;
    eachLine(
      input,
      (line) => {
        this.stderrOutput.appendLine(line);
        tail.push(line);
      },
      () => {
        ended();
        // stop() forgets the client first: a server we stopped ends quietly.
        const client = owner();
        if (client && client === this.client && tail.lines.length > 0) {
          this.output.error('the server exited; the end of its stderr (all of it: "Seed LSP (stderr)"):');
          for (const line of tail.lines) {
            this.output.error(`  ${line}`);
          }
        }
      },
    );
  }

  /** The server did not start: say why, with the end of its stderr when it wrote any. */
  private async startFailed(err: unknown): Promise<void> {
    const stream = this.stderr;
    if (stream) {
      // The process's stderr may still be draining when the connection closes.
      await Promise.race([stream.closed, new Promise((resolve) => setTimeout(resolve, 1500))]);
    }
    const text = startFailure(message(err), stream?.tail.lines ?? []);
    this.setState('error', text);
    void vscode.window.showErrorMessage(`Seed: ${text}`, 'Show Log', 'Open Settings').then((choice) => {
      if (choice === 'Show Log') {
        this.output.show(true);
      } else if (choice === 'Open Settings') {
        void vscode.commands.executeCommand('workbench.action.openSettings', 'seedLsp.server');
      }
    });
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      this.carried = withCarried(this.usage, this.carried);
      this.usage = EMPTY_REPORT;
      try {
        await client.stop(5000);
      } catch (err) {
        this.output.warn(`stopping the server: ${message(err)}`);
      }
    }
  }

  async restart(): Promise<void> {
    if (!this.restarting) {
      this.restarting = (async () => {
        await this.stop();
        await this.start();
      })().finally(() => (this.restarting = undefined));
    }
    return this.restarting;
  }

  /** The `seedLsp` section as the server should see it: the values the user set. */
  private section(scope?: vscode.Uri): Record<string, unknown> {
    const config = vscode.workspace.getConfiguration(SECTION, scope);
    return serverSection(this.keys, (key) => config.inspect(key));
  }

  private async configuration(
    params: ConfigurationParams,
    token: CancellationToken,
    next: (params: ConfigurationParams, token: CancellationToken) => unknown,
  ): Promise<unknown[] | ResponseError<void>> {
    const others = await next(params, token);
    if (!Array.isArray(others)) {
      return others as ResponseError<void>;
    }
    return params.items.map((item, i) =>
      item.section === SECTION
        ? this.section(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
        : others[i],
    );
  }

  private async refreshStatus(): Promise<void> {
    const client = this.client;
    if (!client || !client.isRunning()) {
      return;
    }
    try {
      const status = (await client.sendRequest(STATUS, {})) as ServerStatus;
      this.serverStatus = status;
      this.output.debug(`${STATUS}: hasKey ${status.hasKey}, ${status.openDocuments} open documents`);
      this.usage = asUsageReport(status.usage);
      if (!status.hasKey) {
        this.setState('noKey');
      } else if (this.state === 'noKey' || this.state === 'starting' || this.state === 'stopped') {
        this.setState('ready');
      } else {
        this.render();
      }
    } catch (err) {
      this.output.warn(`${STATUS} failed: ${message(err)}`);
      if (this.state === 'starting') {
        this.setState('ready');
      }
    }
  }

  // -- API key ------------------------------------------------------------------------------

  private async setApiKey(): Promise<void> {
    const key = await vscode.window.showInputBox({
      title: 'Seed: Set API Key',
      prompt: 'API key for the endpoint (kept in VS Code\'s secret storage, never in settings).',
      placeHolder: 'AI/ML API key',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'The key is empty.'),
    });
    if (key === undefined) {
      return;
    }
    await this.context.secrets.store(SECRET_KEY, key.trim());
    this.output.info('API key stored in secret storage');
    await this.keyChanged();
  }

  private async clearApiKey(): Promise<void> {
    await this.context.secrets.delete(SECRET_KEY);
    await this.keyChanged();
  }

  private async keyChanged(): Promise<void> {
    const key = await this.context.secrets.get(SECRET_KEY);
    this.output.info(key ? 'API key changed: restarting the server with it' : 'API key removed: restarting the server');
    // Both the secret-store listener and the command that stored the key get here: restart once.
    await this.restart();
  }

  // -- commands -----------------------------------------------------------------------------

  private async explainSelection(): Promise<void> {
    const { client, editor } = this.target('explain');
    const args = this.rangeArgs(client, editor);
    const result = await this.progress('Seed: explaining…', (token) =>
      this.explainThrough(args, () => this.executeOnServer(client, 'seed.explain', args, token)),
    );
    if (result === undefined) {
      void vscode.window.showInformationMessage('Seed had nothing to say about this code.');
    }
  }

  /** Runs `seed.hover` at the cursor (the only way hovers ask the model with `hover.mode: explicit`). */
  private async explainSymbol(): Promise<void> {
    const { client, editor } = this.target('explain a symbol');
    const document = editor.document;
    const active = editor.selection.active;
    const converter = client.code2ProtocolConverter;
    const args = { uri: converter.asUri(document.uri), position: converter.asPosition(active) };
    const hover = await this.progress('Seed: explaining…', (token) =>
      this.executeOnServer(client, 'seed.hover', args, token),
    );
    const markdown = hoverMarkdown(hover);
    if (!markdown) {
      const off = vscode.workspace.getConfiguration(SECTION, document.uri).get('hover.mode') === 'off';
      void vscode.window.showInformationMessage(
        off
          ? 'Seed: hover explanations are off ("seedLsp.hover.mode" is "off").'
          : 'Seed had nothing to say about the symbol at the cursor.',
      );
      return;
    }
    const word = document.getWordRangeAtPosition(active);
    const file = path.posix.basename(document.uri.path) || document.uri.toString();
    await this.panel.show(symbolTitle(file, active.line, word && document.getText(word)), markdown);
  }

  private async refactorSelection(): Promise<void> {
    const { client, editor } = this.target('refactor');
    const instruction = await vscode.window.showInputBox({
      title: 'Seed: Refactor',
      prompt: 'How should the selected code change? (No selection: the enclosing function or class.)',
      placeHolder: 'e.g. extract the loop body into a helper',
      ignoreFocusOut: true,
    });
    if (!instruction?.trim()) {
      return;
    }
    const args = { ...this.rangeArgs(client, editor), instruction: instruction.trim() };
    const edit = await this.progress('Seed: refactoring…', (token) =>
      this.executeOnServer(client, 'seed.refactor', args, token),
    );
    if (!hasChanges(edit)) {
      void vscode.window.showInformationMessage('Seed suggested no change.');
    }
  }

  private async fixDiagnostic(): Promise<void> {
    const { client, editor } = this.target('fix');
    const selection = editor.selection;
    const here = vscode.languages
      .getDiagnostics(editor.document.uri)
      .filter((d) => d.range.contains(selection.active) || d.range.intersection(selection) !== undefined);
    if (here.length === 0) {
      void vscode.window.showInformationMessage('No diagnostic at the cursor.');
      return;
    }
    let diagnostic = here[0];
    if (here.length > 1) {
      const picked = await vscode.window.showQuickPick(
        here.map((d) => ({ label: d.message, description: d.source, diagnostic: d })),
        { title: 'Seed: Fix This Diagnostic', placeHolder: 'Which diagnostic?' },
      );
      if (!picked) {
        return;
      }
      diagnostic = picked.diagnostic;
    }
    const converter = client.code2ProtocolConverter;
    const args = {
      uri: converter.asUri(editor.document.uri),
      range: converter.asRange(diagnostic.range),
      diagnostic: (await converter.asDiagnostics([diagnostic]))[0],
    };
    const edit = await this.progress('Seed: fixing…', (token) =>
      this.executeOnServer(client, 'seed.fixDiagnostic', args, token),
    );
    if (!hasChanges(edit)) {
      void vscode.window.showInformationMessage('Seed suggested no change.');
    }
  }

  private async showStatus(): Promise<void> {
    await this.refreshStatus();
    const status = this.serverStatus;
    const usage = withCarried(this.usage, this.carried);
    type Item = vscode.QuickPickItem & { run?: () => unknown };
    const items: Item[] = [
      { label: 'Status', kind: vscode.QuickPickItemKind.Separator },
      { label: `$(pulse) ${statusLabel(this.state)}`, detail: this.state === 'error' ? this.lastError : undefined },
    ];
    if (this.state === 'noServer') {
      items.push({ label: '$(cloud-download) Set Up Server', detail: 'seed-lsp is not on PATH', run: () => this.setUpServer() });
    }
    if (status) {
      items.push(
        { label: `$(server) ${status.model}`, description: status.baseUrl, detail: `seed-lsp ${status.version}` },
        { label: status.hasKey ? '$(key) API key set' : '$(warning) No API key' },
      );
    }
    if (this.launch) {
      items.push({ label: `$(terminal) ${this.launch.command}`, description: this.launch.origin });
    }
    const languageId = vscode.window.activeTextEditor?.document.languageId;
    items.push({ label: 'Suggestions', kind: vscode.QuickPickItemKind.Separator });
    if (this.pause.active()) {
      items.push({ label: '$(debug-start) Resume Suggestions', description: this.pause.describe(), run: () => this.pause.resume() });
    }
    items.push({ label: '$(debug-pause) Pause Suggestions for 30 Minutes', run: () => this.pause.for(30 * 60_000) });
    if (languageId && !this.pause.covers(languageId)) {
      items.push({
        label: `$(debug-pause) Pause Suggestions for ${languageId}`,
        description: 'until you resume',
        run: () => this.pause.language(languageId),
      });
    }
    items.push({ label: 'Usage this session', kind: vscode.QuickPickItemKind.Separator });
    for (const line of usageLines(usage)) {
      items.push({ label: `$(graph) ${line}` });
    }
    items.push(
      { label: 'Actions', kind: vscode.QuickPickItemKind.Separator },
      { label: '$(key) Set API Key', run: () => this.setApiKey() },
      { label: '$(trash) Clear API Key', run: () => this.clearApiKey() },
      { label: '$(output) Show Server Log', run: () => this.output.show() },
      { label: '$(debug-restart) Restart Server', run: () => this.restart() },
      ...(this.launch?.origin === 'set up by the extension'
        ? [{ label: '$(cloud-download) Reinstall Server', run: () => this.setUpServer() }]
        : []),
      {
        label: '$(gear) Open Settings',
        run: () => vscode.commands.executeCommand('workbench.action.openSettings', SECTION),
      },
    );
    const picked = await vscode.window.showQuickPick(items, { title: 'Seed LSP', matchOnDescription: true });
    await picked?.run?.();
  }

  // -- helpers ------------------------------------------------------------------------------

  private target(what: string): { client: LanguageClient; editor: vscode.TextEditor } {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      throw new UserError(`Open a file to ${what} first.`);
    }
    const client = this.client;
    if (!client || !client.isRunning()) {
      throw new UserError('The Seed server is not running (see "Seed: Show Server Log").');
    }
    return { client, editor };
  }

  private rangeArgs(client: LanguageClient, editor: vscode.TextEditor): { uri: string; range: unknown } {
    const converter = client.code2ProtocolConverter;
    return { uri: converter.asUri(editor.document.uri), range: converter.asRange(editor.selection) };
  }

  private executeOnServer(
    client: LanguageClient,
    command: string,
    args: object,
    token: CancellationToken,
  ): Promise<unknown> {
    return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [args] }, token);
  }

  /** Runs a `seed.explain` request and shows its MarkupContent in the explanation panel. */
  private async explainThrough(args: unknown, run: () => Thenable<unknown> | unknown): Promise<unknown> {
    this.explaining++;
    let result: unknown;
    try {
      result = await run();
    } finally {
      this.explaining--;
    }
    const markup = result as MarkupContent | null | undefined;
    if (markup && typeof markup.value === 'string' && markup.value.trim()) {
      await this.panel.show(explanationTitle(args), markup.value);
      return result;
    }
    return undefined;
  }

  private progress<T>(title: string, run: (token: CancellationToken) => Promise<T>): Thenable<T> {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (_progress, token) => run(token),
    );
  }

  private async track<T>(request: Promise<T>): Promise<T> {
    this.inFlight++;
    this.render();
    try {
      const result = await request;
      if (this.state === 'error') {
        this.setState('ready');
      }
      return result;
    } catch (err) {
      if (!isCancellation(err)) {
        this.setState('error', message(err));
      }
      throw err;
    } finally {
      this.inFlight--;
      this.render();
    }
  }

  /** Runs a command body; expected problems become messages, others are logged too. */
  private async guard(run: () => unknown): Promise<void> {
    try {
      await run();
    } catch (err) {
      if (err instanceof UserError) {
        void vscode.window.showInformationMessage(err.message);
      } else if (!isCancellation(err) && !(err instanceof Reported)) {
        this.output.error(message(err));
        void vscode.window.showErrorMessage(`Seed: ${message(err)}`);
      }
    }
  }

  private setState(state: State, error?: string): void {
    this.state = state;
    if (error) {
      this.lastError = error;
      this.output.error(error);
    }
    this.render();
  }

  private render(): void {
    const shown: State = this.inFlight > 0 && (this.state === 'ready' || this.state === 'error') ? 'working' : this.state;
    const usage = withCarried(this.usage, this.carried);
    const languageId = vscode.window.activeTextEditor?.document.languageId;
    const paused = languageId && this.pause.covers(languageId) ? this.pause.describe(languageId) : undefined;
    this.item.text = statusText(shown, usage.total, paused);
    const tooltip = new vscode.MarkdownString(statusTooltip(shown, this.serverStatus, usage, this.lastError, paused));
    this.item.tooltip = tooltip;
    this.item.backgroundColor =
      shown === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : shown === 'noKey'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
  }
}

class UserError extends Error {}

/** An error already shown to the user. */
class Reported extends Error {}

/** Calls `line` for each line of a stream, then `end` once it closes. */
function eachLine(input: Readable, line: (text: string) => void, end?: () => void): void {
  const lines = readline.createInterface({ input, crlfDelay: Infinity, terminal: false, historySize: 0 });
  lines.on('line', line);
  if (end) {
    lines.on('close', end);
  }
}

/** "Seed: Explain file.py:3-9" from `seed.explain`'s argument `{uri, range}`. */
function explanationTitle(args: unknown): string {
  const a = args as { uri?: unknown; range?: { start?: { line?: unknown }; end?: { line?: unknown } } };
  if (typeof a?.uri !== 'string') {
    return 'Seed: Explain';
  }
  const file = path.posix.basename(vscode.Uri.parse(a.uri).path);
  const start = a.range?.start?.line;
  const end = a.range?.end?.line;
  if (typeof start !== 'number' || typeof end !== 'number') {
    return `Seed: Explain ${file}`;
  }
  return start === end ? `Seed: Explain ${file}:${start + 1}` : `Seed: Explain ${file}:${start + 1}-${end + 1}`;
}

function statusLabel(state: State): string {
  return {
    starting: 'Starting',
    ready: 'Ready',
    working: 'Working',
    noKey: 'No API key',
    noServer: 'No server yet',
    error: 'Error',
    stopped: 'Stopped',
  }[state];
}

function hasChanges(edit: unknown): boolean {
  const e = edit as { changes?: object; documentChanges?: unknown[] } | null | undefined;
  return !!e && (Object.keys(e.changes ?? {}).length > 0 || (e.documentChanges?.length ?? 0) > 0);
}

function isCancellation(err: unknown): boolean {
  if (err instanceof vscode.CancellationError) {
    return true;
  }
  return (
    err instanceof ResponseError &&
    (err.code === LSPErrorCodes.RequestCancelled ||
      err.code === LSPErrorCodes.ServerCancelled ||
      err.code === LSPErrorCodes.ContentModified ||
      err.code === ErrorCodes.PendingResponseRejected)
  );
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
