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
