// Shows an explanation (markdown) in a webview beside the editor, rendered by VS Code's own
// markdown engine (`markdown.api.render`, from the built-in markdown extension).

import * as vscode from 'vscode';

export class ExplainPanel {
  private panel: vscode.WebviewPanel | undefined;

  async show(title: string, markdown: string): Promise<void> {
    const body = await render(markdown);
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        'seedLsp.explanation',
        title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: false, enableFindWidget: true, retainContextWhenHidden: true },
      );
      this.panel.onDidDispose(() => (this.panel = undefined));
    } else {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    this.panel.title = title;
    this.panel.webview.html = page(this.panel.webview, title, body);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

async function render(markdown: string): Promise<string> {
  try {
    const html = await vscode.commands.executeCommand<string>('markdown.api.render', markdown);
    if (typeof html === 'string') {
      return html;
    }
  } catch {
    // The markdown extension is disabled: show the text as it is.
  }
  return `<pre>${escapeHtml(markdown)}</pre>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(webview: vscode.Webview, title: string, body: string): string {
  // No scripts; images only from https and the webview itself.
  const csp = `default-src 'none'; img-src ${webview.cspSource} https: data:; style-src 'unsafe-inline';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size);
         color: var(--vscode-foreground); line-height: 1.5; padding: 0 1em 1em; }
  code, pre { font-family: var(--vscode-editor-font-family); }
  pre { background: var(--vscode-textCodeBlock-background); padding: 0.6em; overflow-x: auto; }
</style>
</head>
<body class="seed-explanation">${body}</body>
</html>`;
}
