/** Shared pieces for the integrity tests. */

/**
 * Replaces `crypto.subtle` (a getter on Crypto.prototype) by an own property, as a plain-HTTP page sees it
 * (undefined) or with a stand-in; returns the function that restores it.
 */
export function hideSubtle(replacement?: SubtleCrypto): () => void {
  Object.defineProperty(globalThis.crypto, 'subtle', { value: replacement, configurable: true });
  return () => {
    delete (globalThis.crypto as { subtle?: SubtleCrypto }).subtle;
  };
}
