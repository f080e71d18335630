/**
 * Info-hash allow-list from a file: one 40-hex-char info_hash per line, `#` starts a comment.
 * Reloaded when the file changes (polled, so editors that replace the file are seen) and on `reload()`
 * (the CLI calls it on SIGHUP). A file that fails to load keeps the previous list.
 */
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { hexToId } from './protocol.js';

export interface AllowListError {
  type: 'allowlist';
  message: string;
}

export function parseAllowList(text: string): Set<string> | AllowListError {
  const out = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/#.*/, '').trim();
    if (line === '') continue;
    if (!/^[0-9a-fA-F]{40}$/.test(line)) {
      return { type: 'allowlist', message: `line ${i + 1}: expected 40 hex characters` };
    }
    out.add(hexToId(line.toLowerCase()));
  }
  return out;
}

export class InfoHashAllowList {
  private allowed = new Set<string>();
  private readonly listener = (): void => {
    this.reload();
  };

  constructor(
    private readonly file: string,
    private readonly onError: (e: AllowListError) => void,
    pollIntervalMs = 500,
  ) {
    this.reload();
    watchFile(file, { interval: pollIntervalMs, persistent: false }, this.listener);
  }

  reload(): boolean {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      this.onError({ type: 'allowlist', message: `cannot read ${this.file}: ${(err as Error).message}` });
      return false;
    }
    const parsed = parseAllowList(text);
    if (parsed instanceof Set) {
      this.allowed = parsed;
      return true;
    }
    this.onError({ type: 'allowlist', message: `${this.file}: ${parsed.message}` });
    return false;
  }

  has(infoHash: string): boolean {
    return this.allowed.has(infoHash);
  }

  get size(): number {
    return this.allowed.size;
  }

  destroy(): void {
    unwatchFile(this.file, this.listener);
  }
}
