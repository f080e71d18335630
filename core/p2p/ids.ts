import { sha1 } from '../integrity/hash.js';
import { utf8 } from './wire.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const PEER_ID_PREFIX = '-SC0001-';

/** Random 20-char id; alphanumeric keeps it 20 bytes on the JSON wire (latin1 bytes ≥0x80 would double). */
export function randomId(random: () => number, prefix = ''): string {
  let id = prefix;
  while (id.length < 20) id += ALPHABET[Math.floor(random() * ALPHABET.length)] ?? '0';
  return id;
}

/** Tracker ids are "binary strings": one code point per byte. */
export const bytesToLatin1 = (b: Uint8Array): string => String.fromCharCode(...b);
export const latin1ToBytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
export const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/**
 * 20-byte SHA-1 of the UTF-8 swarm key; the key is versioned, so a new key scheme means a new swarm. Computed
 * without `crypto.subtle` where the page has none (plain HTTP), so P2P works there too.
 */
export function infoHashFromSwarmKey(swarmKey: string): Promise<Uint8Array> {
  return sha1(utf8(swarmKey));
}
