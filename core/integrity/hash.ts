/**
 * SHA-256 and SHA-1 for the browser, whatever the page's context. `crypto.subtle` exists only in secure contexts
 * (HTTPS and localhost): a player on a plain-HTTP page has none, yet still needs the tracker info_hash (SHA-1) and
 * hash-list checks (SHA-256). There, and wherever `digest` rejects, a small JavaScript implementation (FIPS 180-4,
 * checked against its test vectors) computes the same digest: 1 KB gzipped against 2.8 KB for @noble/hashes'
 * sha2 + legacy modules, which is what tipped it. `crypto.subtle` is looked up on every call, not once at load,
 * so a page (or a test) that lacks it is served.
 */

type Algorithm = 'SHA-256' | 'SHA-1';

function subtle(): SubtleCrypto | undefined {
  return (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle ?? undefined;
}

async function digest(algorithm: Algorithm, bytes: Uint8Array): Promise<Uint8Array> {
  const s = subtle();
  if (s) {
    try {
      return new Uint8Array(await s.digest(algorithm, bytes as Uint8Array<ArrayBuffer>));
    } catch {
      // Some embedded browsers expose subtle but refuse an algorithm or a view: the JS digest is the same bytes.
    }
  }
  return algorithm === 'SHA-256' ? sha256Js(bytes) : sha1Js(bytes);
}

/** 32-byte SHA-256 of `bytes`. */
export function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return digest('SHA-256', bytes);
}

/** 20-byte SHA-1 of `bytes` (tracker info_hash only: SHA-1 is no integrity check). */
export function sha1(bytes: Uint8Array): Promise<Uint8Array> {
  return digest('SHA-1', bytes);
}

/** Lowercase hex, as in `segments-sha256.json`. */
export function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}

// --- JavaScript fallback (exported for the tests that pin it against known vectors) ---

type Compress = (block: DataView, offset: number, state: Int32Array) => void;

/** Merkle–Damgård over 64-byte blocks with the big-endian bit length, shared by SHA-1 and SHA-256. */
function md(bytes: Uint8Array, initial: readonly number[], compress: Compress): Uint8Array {
  const state = Int32Array.from(initial);
  const whole = bytes.length & ~63;
  const input = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let off = 0; off < whole; off += 64) compress(input, off, state);
  // The tail, the 0x80 marker and the length fill one or two more blocks.
  const tail = new Uint8Array(bytes.length - whole + 9 <= 64 ? 64 : 128);
  tail.set(bytes.subarray(whole));
  tail[bytes.length - whole] = 0x80;
  const view = new DataView(tail.buffer);
  const bits = bytes.length * 8;
  view.setUint32(tail.length - 8, Math.floor(bits / 0x100000000));
  view.setUint32(tail.length - 4, bits >>> 0);
  for (let off = 0; off < tail.length; off += 64) compress(view, off, state);
  const out = new Uint8Array(state.length * 4);
  const outView = new DataView(out.buffer);
  state.forEach((v, i) => outView.setInt32(i * 4, v));
  return out;
}

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

// First 32 bits of the fractional parts of the cube roots of the first 64 primes (FIPS 180-4, 4.2.2).
const K256 = Int32Array.from(
  (
    '428a2f98 71374491 b5c0fbcf e9b5dba5 3956c25b 59f111f1 923f82a4 ab1c5ed5 d807aa98 12835b01 243185be 550c7dc3 ' +
    '72be5d74 80deb1fe 9bdc06a7 c19bf174 e49b69c1 efbe4786 0fc19dc6 240ca1cc 2de92c6f 4a7484aa 5cb0a9dc 76f988da ' +
    '983e5152 a831c66d b00327c8 bf597fc7 c6e00bf3 d5a79147 06ca6351 14292967 27b70a85 2e1b2138 4d2c6dfc 53380d13 ' +
    '650a7354 766a0abb 81c2c92e 92722c85 a2bfe8a1 a81a664b c24b8b70 c76c51a3 d192e819 d6990624 f40e3585 106aa070 ' +
    '19a4c116 1e376c08 2748774c 34b0bcb5 391c0cb3 4ed8aa4a 5b9cca4f 682e6ff3 748f82ee 78a5636f 84c87814 8cc70208 ' +
    '90befffa a4506ceb bef9a3f7 c67178f2'
  )
    .split(' ')
    .map((h) => parseInt(h, 16)),
);
const H256 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const W256 = new Int32Array(64);

const compress256: Compress = (block, offset, s) => {
  const w = W256;
  for (let i = 0; i < 16; i++) w[i] = block.getInt32(offset + i * 4);
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15] ?? 0;
    const b = w[i - 2] ?? 0;
    const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
    const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
    w[i] = ((w[i - 16] ?? 0) + s0 + (w[i - 7] ?? 0) + s1) | 0;
  }
  let [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0] = s;
  for (let i = 0; i < 64; i++) {
    const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + (K256[i] ?? 0) + (w[i] ?? 0)) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  [a, b, c, d, e, f, g, h].forEach((v, i) => (s[i] = ((s[i] ?? 0) + v) | 0));
};

const H1 = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
const W1 = new Int32Array(80);

const compress1: Compress = (block, offset, s) => {
  const w = W1;
  for (let i = 0; i < 16; i++) w[i] = block.getInt32(offset + i * 4);
  for (let i = 16; i < 80; i++)
    w[i] = rotr((w[i - 3] ?? 0) ^ (w[i - 8] ?? 0) ^ (w[i - 14] ?? 0) ^ (w[i - 16] ?? 0), 31);
  let [a = 0, b = 0, c = 0, d = 0, e = 0] = s;
  for (let i = 0; i < 80; i++) {
    const f =
      i < 20
        ? ((b & c) | (~b & d)) + 0x5a827999
        : i < 40
          ? (b ^ c ^ d) + 0x6ed9eba1
          : i < 60
            ? ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc
            : (b ^ c ^ d) + 0xca62c1d6;
    const t = (rotr(a, 27) + f + e + (w[i] ?? 0)) | 0;
    e = d;
    d = c;
    c = rotr(b, 2);
    b = a;
    a = t;
  }
  [a, b, c, d, e].forEach((v, i) => (s[i] = ((s[i] ?? 0) + v) | 0));
};

/** SHA-256 in JavaScript, used where `crypto.subtle` is missing. */
export const sha256Js = (bytes: Uint8Array): Uint8Array => md(bytes, H256, compress256);
/** SHA-1 in JavaScript, used where `crypto.subtle` is missing. */
export const sha1Js = (bytes: Uint8Array): Uint8Array => md(bytes, H1, compress1);
