/** SHA-256 / SHA-1 through crypto.subtle and through the JavaScript fallback a plain-HTTP page gets. */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, test } from 'node:test';
import { hex, sha1, sha1Js, sha256, sha256Js } from '../../../../core/integrity/hash.js';
import { infoHashFromSwarmKey } from '../../../../core/p2p/ids.js';
import { hideSubtle } from './support.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

// FIPS 180-4 examples (NIST CSRC "Example Values") and the million-'a' vector.
const VECTORS: { input: Uint8Array; sha256: string; sha1: string }[] = [
  {
    input: ascii(''),
    sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
  },
  {
    input: ascii('abc'),
    sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    sha1: 'a9993e364706816aba3e25717850c26c9cd0d89d',
  },
  {
    input: ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
    sha256: '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    sha1: '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
  },
  {
    input: new Uint8Array(1_000_000).fill(0x61),
    sha256: 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    sha1: '34aa973cd4c4daa4f61eeb2bdbad27316534016f',
  },
];

void describe('integrity/hash', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  void test('the JavaScript fallback gives the FIPS 180-4 vectors', () => {
    for (const v of VECTORS) {
      assert.equal(hex(sha256Js(v.input)), v.sha256);
      assert.equal(hex(sha1Js(v.input)), v.sha1);
    }
  });

  void test('the fallback matches node:crypto at every padding boundary and on an unaligned view', () => {
    for (const n of [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 65_537]) {
      const b = randomBytes(n + 3).subarray(3); // byteOffset 3: DataView reads must honour it
      assert.equal(hex(sha256Js(b)), createHash('sha256').update(b).digest('hex'), `sha256, ${n} bytes`);
      assert.equal(hex(sha1Js(b)), createHash('sha1').update(b).digest('hex'), `sha1, ${n} bytes`);
    }
  });

  void test('sha256/sha1 use crypto.subtle when the page has it, and the fallback when it does not', async () => {
    const input = randomBytes(3000);
    const want256 = createHash('sha256').update(input).digest('hex');
    const want1 = createHash('sha1').update(input).digest('hex');
    assert.equal(hex(await sha256(input)), want256);
    assert.equal(hex(await sha1(input)), want1);
    restore = hideSubtle();
    assert.equal(globalThis.crypto.subtle, undefined, 'crypto.subtle is hidden, as on a plain-HTTP page');
    assert.equal(hex(await sha256(input)), want256);
    assert.equal(hex(await sha1(input)), want1);
  });

  void test('the tracker info_hash is computed without crypto.subtle (P2P on plain-HTTP pages)', async () => {
    const key = 'swarmcast:v1|//cdn.example.com/show/master.m3u8|main;bw=800000';
    const want = createHash('sha1').update(key).digest('hex');
    restore = hideSubtle();
    assert.equal(hex(await infoHashFromSwarmKey(key)), want);
  });

  void test('a subtle that refuses the digest falls back instead of failing', async () => {
    const input = ascii('abc');
    restore = hideSubtle({
      digest: () => Promise.reject(new DOMException('not supported', 'NotSupportedError')),
    } as unknown as SubtleCrypto);
    assert.equal(hex(await sha256(input)), VECTORS[1]!.sha256);
  });
});
