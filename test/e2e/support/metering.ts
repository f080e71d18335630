/** Origin byte-meter helpers for e2e tests (Node side). Viewers are attributed by the `/c/<clientId>/` prefix. */
import type { Stack } from '../../support/stack.js';

export function clientUrl(originUrl: string, clientId: string, path: string): string {
  return `${originUrl}/c/${encodeURIComponent(clientId)}/${path.replace(/^\//, '')}`;
}

export function originBytes(stack: Stack, clientId: string): number {
  return stack.origin.meter.bytesFor(clientId);
}

export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

/** Share of `part` in `part + rest`, as a percentage string. */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(0)}%` : 'n/a';
}

/**
 * Origin bytes of the P2P viewers over the lone HTTP viewer's, with and without what integrity checks read (hash
 * lists, Range windows): live lists are refetched per new segment, and the fixtures' small segments make that cost
 * look large, so the bound judges sharing (`ratio`) and the checks' bytes are printed beside it (`line`).
 */
export function sharingRatio(
  p2pOriginBytes: number[],
  checkBytesPerViewer: number[],
  baselineBytes: number,
): { ratio: number; line: string } {
  const total = p2pOriginBytes.reduce((a, b) => a + b, 0);
  const checkBytes = checkBytesPerViewer.reduce((a, b) => a + b, 0);
  const ratio = (total - checkBytes) / baselineBytes;
  const line =
    `origin bytes, 3 viewers / 1 HTTP-only viewer = ${(total / baselineBytes).toFixed(2)}, ` +
    `${ratio.toFixed(2)} without the integrity checks' ${kib(checkBytes)}`;
  return { ratio, line };
}
