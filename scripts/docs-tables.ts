/**
 * `npm run docs:tables`: the settings and options tables of README.md and of the integration READMEs, written
 * from the schemas (type, range, default, runtime) and their one-line docs, between `<!-- generated:NAME -->` and
 * `<!-- /generated:NAME -->` markers. test/node/docs/tables.test.ts fails when a README disagrees with a schema.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeSpec, type Schema, type Spec } from '../core/internal.js';
import { SETTING_DEFAULT_NOTES, SETTING_DOCS, SETTINGS_SCHEMA } from '../core/settings.js';
import { HLSJS_OPTION_DOCS, HLSJS_OPTIONS_SCHEMA } from '../integrations/hlsjs/options.js';
import { SHAKA_OPTION_DOCS, SHAKA_OPTIONS_SCHEMA } from '../integrations/shaka/options.js';
import { DASHJS_OPTION_DOCS, DASHJS_OPTIONS_SCHEMA } from '../integrations/dashjs/options.js';
import { VIDEOJS_OPTION_DOCS, VIDEOJS_OPTIONS_SCHEMA } from '../plugins/videojs/options.js';
import { CLAPPR_OPTION_DOCS, CLAPPR_OPTIONS_SCHEMA } from '../plugins/clappr/options.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type AnySchema = Schema<Record<string, Spec<unknown>>>;

function shown(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'function') return '—';
  return `\`${JSON.stringify(value)}\``;
}

/** A markdown table of a schema: key, default, what it accepts, runtime or not, what it does. */
export function renderTable(
  schema: AnySchema,
  docs: Readonly<Record<string, string>>,
  notes: Readonly<Record<string, string>> = {},
): string {
  const runtime = schema.runtimeKeys.length > 0;
  const head = runtime
    ? ['| key | default | accepts | runtime | meaning |', '| --- | --- | --- | --- | --- |']
    : ['| key | default | accepts | meaning |', '| --- | --- | --- | --- |'];
  const rows = schema.keys.map((key) => {
    const spec = schema.specs[key];
    if (!spec) throw new Error(`no spec for ${key}`);
    const def = notes[key] ?? shown(schema.defaultOf(key));
    const cells = [`\`${key}\``, def, describeSpec(spec)];
    if (runtime) cells.push(spec.runtime ? 'yes' : '');
    cells.push(docs[key] ?? '');
    return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  });
  return [...head, ...rows].join('\n');
}

/** Every generated table: the file it lives in, its marker name, and its content. */
export function generatedTables(): { file: string; name: string; content: string }[] {
  return [
    {
      file: 'README.md',
      name: 'settings',
      content: renderTable(SETTINGS_SCHEMA as unknown as AnySchema, SETTING_DOCS, SETTING_DEFAULT_NOTES),
    },
    {
      file: 'integrations/hlsjs/README.md',
      name: 'options',
      content: renderTable(HLSJS_OPTIONS_SCHEMA as unknown as AnySchema, HLSJS_OPTION_DOCS),
    },
    {
      file: 'integrations/vhs/README.md',
      name: 'videojs-options',
      content: renderTable(VIDEOJS_OPTIONS_SCHEMA as unknown as AnySchema, VIDEOJS_OPTION_DOCS),
    },
    {
      file: 'integrations/shaka/README.md',
      name: 'options',
      content: renderTable(SHAKA_OPTIONS_SCHEMA as unknown as AnySchema, SHAKA_OPTION_DOCS),
    },
    {
      file: 'integrations/dashjs/README.md',
      name: 'options',
      content: renderTable(DASHJS_OPTIONS_SCHEMA as unknown as AnySchema, DASHJS_OPTION_DOCS),
    },
    {
      file: 'plugins/README.md',
      name: 'clappr-options',
      content: renderTable(CLAPPR_OPTIONS_SCHEMA as unknown as AnySchema, CLAPPR_OPTION_DOCS),
    },
  ];
}

const marker = (name: string): [string, string] => [`<!-- generated:${name} -->`, `<!-- /generated:${name} -->`];

/** The text between a table's markers in its file (undefined when the markers are missing). */
export function currentTable(text: string, name: string): string | undefined {
  const [open, close] = marker(name);
  const a = text.indexOf(open);
  const b = text.indexOf(close);
  if (a < 0 || b < a) return undefined;
  return text.slice(a + open.length, b).trim();
}

function writeTables(): void {
  for (const t of generatedTables()) {
    const file = path.join(ROOT, t.file);
    const text = readFileSync(file, 'utf8');
    const [open, close] = marker(t.name);
    if (currentTable(text, t.name) === undefined) throw new Error(`${t.file}: no ${open} … ${close} markers`);
    const a = text.indexOf(open) + open.length;
    const b = text.indexOf(close);
    writeFileSync(file, `${text.slice(0, a)}\n${t.content}\n${text.slice(b)}`);
    console.log(`${t.file}: ${t.name}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeTables();
