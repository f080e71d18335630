/** The P2P Media Loader migration guide and the settings schema's hints for P2PML names say the same. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { P2PML_NAMES, P2PML_NO_EQUIVALENT, SETTINGS_SCHEMA } from '../../../core/settings.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const GUIDE = readFileSync(path.join(ROOT, 'docs/migrating-from-p2p-media-loader.md'), 'utf8');

/** Rows of the guide's settings table: P2PML key → swarmcast key ('—' for none). */
function settingsRows(): Map<string, string> {
  const table = GUIDE.slice(GUIDE.indexOf('## Settings'), GUIDE.indexOf('## Events'));
  const rows = new Map<string, string>();
  for (const m of table.matchAll(/^\| `(\w+)` \| (`(\w+)`|—) \|/gm)) rows.set(m[1] ?? '', m[3] ?? '—');
  return rows;
}

void describe('docs/migrating-from-p2p-media-loader.md', () => {
  void it('maps every P2PML name the settings schema recognises to the setting the error names, and those are ours', () => {
    const rows = settingsRows();
    for (const [theirs, hint] of Object.entries(P2PML_NAMES)) {
      const ours = hint.split('"')[0] ?? '';
      assert.equal(rows.get(theirs), ours, `${theirs}: the guide and the error disagree`);
      assert.ok(SETTINGS_SCHEMA.keys.includes(ours as never), `${ours} is no setting`);
    }
    for (const theirs of Object.keys(P2PML_NO_EQUIVALENT)) assert.equal(rows.get(theirs), '—', theirs);
  });

  void it('every P2PML key in the guide is recognised by the settings schema or is one of ours', () => {
    for (const [theirs, ours] of settingsRows()) {
      const known = theirs in P2PML_NAMES || theirs in P2PML_NO_EQUIVALENT || theirs === ours;
      assert.ok(known, `${theirs} is in the guide but the settings schema gives no hint for it`);
    }
  });
});
