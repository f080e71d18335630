import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { currentTable, generatedTables } from '../../../scripts/docs-tables.js';
import { SETTING_DOCS, SETTINGS_SCHEMA } from '../../../core/settings.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

void describe('README tables', () => {
  for (const t of generatedTables()) {
    void it(`${t.file} (${t.name}) matches its schema: run npm run docs:tables after changing one`, () => {
      const text = readFileSync(path.join(ROOT, t.file), 'utf8');
      assert.equal(currentTable(text, t.name), t.content);
    });
  }

  void it('the settings table has one row per setting, each with its doc', () => {
    const table = generatedTables().find((t) => t.file === 'README.md' && t.name === 'settings')?.content ?? '';
    for (const key of SETTINGS_SCHEMA.keys) {
      assert.ok(table.includes(`| \`${key}\` |`), key);
      assert.ok(SETTING_DOCS[key].length > 10, `${key} is documented`);
    }
    assert.equal(table.split('\n').length, SETTINGS_SCHEMA.keys.length + 2);
  });
});
