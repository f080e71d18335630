/**
 * Known, open issues whose check is reported instead of asserted unless SWARMCAST_E2E_KNOWN_ISSUES=1. Each entry
 * says what is wrong; the issue stays open until the check passes reliably and the entry is removed.
 */
export const KNOWN_ISSUES = {
  /**
   * Origin cost varies run to run: 3 viewers cost 1.3–2.2× one HTTP-only viewer live and 1.1–1.8× VOD (limit 1.8).
   * Causes: viewers near the live edge request the newest segment together and the scheduler does not coordinate
   * urgent requests; and HTTP downloads the engine cancels were often already sent by the origin (see below).
   * Playback, stalls and sharing are still asserted.
   */
  originRatio: 'origin cost varies: live 1.3–2.2×, VOD 1.1–1.8× one viewer (limit 1.8)',
  /**
   * Cancelled HTTP downloads: when the engine cancels an HTTP download (a peer delivered first, a seed was
   * pre-empted), the origin has often already written the whole body to the socket; the origin meters it, the
   * engine never reads it, so about one segment per run can show up as "outside the engine" (seen: 41 KiB).
   */
  cancelledHttpBytes: 'cancelled HTTP downloads are metered by the origin but not counted by the engine',
} as const;

export const CHECK_KNOWN_ISSUES = process.env.SWARMCAST_E2E_KNOWN_ISSUES === '1';

/** Asserts `ok`, or only reports it when it is covered by a known issue and known issues are not checked. */
export function checkOrReport(ok: boolean, message: string, knownIssue: string | undefined): void {
  if (ok) return;
  if (knownIssue !== undefined && !CHECK_KNOWN_ISSUES) {
    console.log(`known issue (${knownIssue}): ${message}`);
    return;
  }
  throw new Error(message);
}
