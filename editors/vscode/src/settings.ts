// What the extension tells the server: the `seedLsp` settings the user actually set (never the
// defaults, so the server's environment variables still count), without the extension's own
// keys and never an `apiKey` (the key goes in the server's environment, from SecretStorage).
// Pure: no `vscode` import, tested in test/unit.

/** Prefixes (after `seedLsp.`) of settings that configure the extension, not the server. */
export const EXTENSION_KEY_PREFIXES = ['server.', 'trace.'];
/** Whole keys (after `seedLsp.`) that configure the extension, not the server. */
export const EXTENSION_KEYS = ['enable'];

export const SECTION = 'seedLsp';

/** A setting's values per scope, as `WorkspaceConfiguration.inspect` returns them. */
export interface Inspected {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export type Section = { [key: string]: unknown };

/** Is this `seedLsp.*` key (without the prefix) one of the extension's own? */
export function isExtensionKey(key: string): boolean {
  return EXTENSION_KEYS.includes(key) || EXTENSION_KEY_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** The most specific value the user set for a key, or undefined when only the default applies. */
export function explicitValue(inspected: Inspected | undefined): unknown {
  if (!inspected) {
    return undefined;
  }
  for (const value of [inspected.workspaceFolderValue, inspected.workspaceValue, inspected.globalValue]) {
    if (value !== undefined) {
      return value;
    }
  }
  return undefined;
}

/**
 * The server's section: dotted keys (`inlineCompletion.enabled`) that the user set, nested
 * into objects (`{inlineCompletion: {enabled: ...}}`). `keys` are the contributed setting names
 * without the `seedLsp.` prefix; `inspect` reads one of them.
 */
export function serverSection(
  keys: readonly string[],
  inspect: (key: string) => Inspected | undefined,
): Section {
  const section: Section = {};
  for (const key of keys) {
    if (isExtensionKey(key) || key === 'apiKey') {
      continue;
    }
    const value = explicitValue(inspect(key));
    if (value === undefined) {
      continue;
    }
    setDotted(section, key, value);
  }
  return section;
}

/** `keys` of package.json's `contributes.configuration.properties`, without `seedLsp.`. */
export function contributedKeys(packageJson: unknown): string[] {
  const properties = (packageJson as { contributes?: { configuration?: { properties?: object } } })
    ?.contributes?.configuration?.properties;
  return Object.keys(properties ?? {})
    .filter((name) => name.startsWith(SECTION + '.'))
    .map((name) => name.slice(SECTION.length + 1));
}

function setDotted(target: Section, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      node[part] = {};
    }
    node = node[part] as Section;
  }
  node[parts[parts.length - 1]] = value;
}

/** Changing one of these needs a new server process, not just a configuration refresh. */
export function needsRestart(affects: (setting: string) => boolean): boolean {
  // `enable` decides the client's document selector, which is fixed when the client starts.
  return affects(`${SECTION}.server`) || affects(`${SECTION}.enable`);
}

export interface Filter {
  scheme: string;
  language?: string;
}

/**
 * The client's document selector from `seedLsp.enable` (language-overridable): every document
 * when no language turns it off, so languages that arrive later are covered too; else the
 * enabled languages, one filter per scheme.
 */
export function documentSelector(languages: readonly string[], enabled: (languageId: string) => boolean): Filter[] {
  const on = languages.filter((id) => enabled(id));
  if (on.length === languages.length) {
    return [{ scheme: 'file' }, { scheme: 'untitled' }];
  }
  return on.flatMap((language) => [
    { scheme: 'file', language },
    { scheme: 'untitled', language },
  ]);
}
