/**
 * The verifier in Chromium against the real origin, cross-origin as a CDN would be: hash lists, and the spot check,
 * whose Range answer's Content-Range must be readable by the page (CORS Access-Control-Expose-Headers).
 */
import { expect } from 'chai';
import { testEnv } from '../../env.js';
import { createVerifier, type Verifier } from '../../../../core/integrity/verifier.js';

async function bytesOf(path: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetch(`${testEnv.originUrl}${path}`)).arrayBuffer());
}

function forged(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.byteLength);
  crypto.getRandomValues(out.subarray(0, Math.min(out.length, 65536)));
  return out;
}

describe('core/integrity/verifier in the browser', () => {
  let verifiers: Verifier[] = [];
  const make = (mode: 'auto' | 'spot-check'): Verifier => {
    const v = createVerifier({ mode, fetch: (...args) => fetch(...args) });
    verifiers.push(v);
    return v;
  };
  afterEach(() => {
    for (const v of verifiers) v.destroy();
    verifiers = [];
  });

  it('checks a peer copy against the hash list, and catches a forgery', async () => {
    const path = '/cmaf/v360/seg-00004.m4s';
    const bytes = await bytesOf(path);
    const v = make('auto');
    const manifest = `${testEnv.originUrl}/cmaf/master.m3u8`;
    const good = await v.verify({ url: `${testEnv.originUrl}${path}` }, bytes, manifest);
    expect([good.ok, good.method]).to.deep.equal([true, 'hash-list']);
    const bad = await v.verify({ url: `${testEnv.originUrl}${path}` }, forged(bytes), manifest);
    expect([bad.ok, bad.reason, bad.blame]).to.deep.equal([false, 'hash-mismatch', true]);
  });

  it('spot-checks without a list: Range and Content-Range work cross-origin; forged and truncated copies fail', async () => {
    const path = '/nolist/hls-ts/480p/seg-00007.ts';
    const bytes = await bytesOf(path);
    const v = make('auto');
    const url = `${testEnv.originUrl}${path}`;
    const manifest = `${testEnv.originUrl}/nolist/hls-ts/master.m3u8`;
    const good = await v.verify({ url }, bytes, manifest);
    expect([good.ok, good.method], good.detail).to.deep.equal([true, 'spot-check']);
    const forgedCopy = await v.verify({ url }, forged(bytes), manifest);
    expect([forgedCopy.reason, forgedCopy.blame]).to.deep.equal(['window-mismatch', true]);
    const truncated = await make('spot-check').verify({ url }, bytes.subarray(0, bytes.length - 188), manifest);
    expect([truncated.reason, truncated.blame]).to.deep.equal(['length-mismatch', true]);
  });
});
