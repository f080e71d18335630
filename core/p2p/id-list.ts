import { ProtocolError, type Reader, type Writer } from './wire.js';

/*
 * Compact encoding of a set of segment ids. Ids of the form `<prefix><integer>` (`1234`, `t62000`) are grouped by
 * prefix and stored as arithmetic runs, so a window of live segments costs a few bytes whatever its length; any other
 * id is stored verbatim.
 *
 *   list  := groupCount:varint group*
 *   group := 0 id:str | 1 prefix:str runCount:varint run*
 *   run   := gap:varint len:varint [step:varint if len > 1]
 * `gap` is the run's first value minus the previous run's last value (the first run's gap is its first value).
 */

// No leading zeros and at most 15 digits, so `prefix + String(n)` gives back exactly the original id.
const NUMERIC = /^(.*?)(0|[1-9]\d{0,14})$/s;

export function writeIdList(w: Writer, ids: Iterable<string>): void {
  const raw: string[] = [];
  const byPrefix = new Map<string, number[]>();
  for (const id of ids) {
    const m = NUMERIC.exec(id);
    if (!m) {
      raw.push(id);
      continue;
    }
    const prefix = m[1] ?? '';
    const list = byPrefix.get(prefix) ?? [];
    list.push(Number(m[2]));
    byPrefix.set(prefix, list);
  }
  w.varint(raw.length + byPrefix.size);
  for (const id of raw) w.u8(0).str(id);
  for (const [prefix, list] of byPrefix) {
    const values = [...new Set(list)].sort((a, b) => a - b);
    const runs: [start: number, len: number, step: number][] = [];
    for (let i = 0; i < values.length;) {
      const a = values[i] ?? 0;
      const step = (values[i + 1] ?? 0) - a;
      let len = 1;
      if (i + 2 < values.length && (values[i + 2] ?? 0) - (values[i + 1] ?? 0) === step) {
        while (i + len < values.length && (values[i + len] ?? 0) - (values[i + len - 1] ?? 0) === step) len++;
      }
      runs.push([a, len, step]);
      i += len;
    }
    w.u8(1).str(prefix).varint(runs.length);
    let prev = 0;
    for (const [start, len, step] of runs) {
      w.varint(start - prev).varint(len);
      if (len > 1) w.varint(step);
      prev = start + (len - 1) * step;
    }
  }
}

/** Ids a decoder may still expand; shared by the lists of one message, so three lists do not triple it. */
export interface IdBudget {
  left: number;
}

/** An announcement names more ids than the receiver's budget allows. */
export class IdBudgetError extends ProtocolError {}

/**
 * Decodes a list written by `writeIdList`. Each id, and each run before it is expanded, is charged to `budget`
 * (a number: a budget for this list alone); going over is a protocol error, so no message makes us build more ids
 * than the budget, however few bytes it takes to name them.
 */
export function readIdList(r: Reader, budget: number | IdBudget): string[] {
  const b = typeof budget === 'number' ? { left: budget } : budget;
  const out: string[] = [];
  const groups = r.varint();
  for (let g = 0; g < groups; g++) {
    const kind = r.u8();
    if (kind === 0) {
      if (b.left < 1) throw new IdBudgetError('too many segment ids');
      b.left--;
      out.push(r.str());
      continue;
    }
    if (kind !== 1) throw new ProtocolError(`unknown id group kind ${kind}`);
    const prefix = r.str();
    const runs = r.varint();
    let prev = 0;
    for (let i = 0; i < runs; i++) {
      const start = prev + r.varint();
      const len = r.varint();
      const step = len > 1 ? r.varint() : 0;
      if (len === 0) throw new ProtocolError('empty id run');
      if (len > b.left) throw new IdBudgetError('oversized id run');
      prev = start + (len - 1) * step;
      if (!Number.isSafeInteger(prev)) throw new ProtocolError('id run out of range');
      b.left -= len;
      for (let k = 0; k < len; k++) out.push(prefix + String(start + k * step));
    }
  }
  return out;
}
