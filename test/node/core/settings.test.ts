import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SettingsError } from '../../../core/config/error.js';
import { describeSpec } from '../../../core/config/schema.js';
import { DEFAULT_SETTINGS, DYNAMIC_SETTING_KEYS, SETTINGS_SCHEMA, mergeSettings } from '../../../core/settings.js';
import { MemoryStorage } from '../../../core/storage/memory.js';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof SettingsError);
    assert.equal(e.type, 'invalid-settings');
    return e.message;
  }
  return assert.fail('expected SettingsError');
}

void describe('settings', () => {
  void it('defaults: trackers, STUN, sane windows', () => {
    assert.deepEqual(DEFAULT_SETTINGS.trackerUrls, [
      'wss://tracker.novage.com.ua',
      'wss://tracker.openwebtorrent.com',
      'wss://tracker.webtorrent.dev',
    ]);
    assert.deepEqual(DEFAULT_SETTINGS.rtcConfig.iceServers?.[0]?.urls, [
      'stun:stun.l.google.com:19302',
      'stun:global.stun.twilio.com:3478',
    ]);
    assert.ok(DEFAULT_SETTINGS.urgentWindowSec < DEFAULT_SETTINGS.httpWindowSec);
    assert.ok(DEFAULT_SETTINGS.httpWindowSec <= DEFAULT_SETTINGS.p2pWindowSec);
    const mb = DEFAULT_SETTINGS.storageBudgetBytes / 2 ** 20;
    assert.ok(mb >= 64 && mb <= 256);
  });

  void it('merges a partial over the defaults without mutating them', () => {
    const s = mergeSettings({ maxPeers: 5, trackerUrls: ['ws://localhost:8000'] });
    assert.equal(s.maxPeers, 5);
    assert.deepEqual(s.trackerUrls, ['ws://localhost:8000']);
    assert.equal(DEFAULT_SETTINGS.maxPeers, 40);
    assert.equal(mergeSettings({ maxPeers: undefined }).maxPeers, 40, 'undefined resets to the default');
  });

  void it('unknown key with a suggestion', () => {
    assert.equal(
      message(() => mergeSettings({ maxPeer: 3 } as never)),
      'swarmcast: unknown setting "maxPeer" (did you mean "maxPeers"?)',
    );
    assert.equal(
      message(() => mergeSettings({ useP2PPlease: true } as never)),
      'swarmcast: unknown setting "useP2PPlease"',
    );
  });

  void it('wrong types are rejected with what was expected and what was given', () => {
    assert.equal(
      message(() => mergeSettings({ httpTtfbTimeoutMs: '5s' } as never)),
      'swarmcast: setting "httpTtfbTimeoutMs" must be an integer from 100 to 300000, got "5s"',
    );
    assert.equal(
      message(() => mergeSettings({ p2pEnabled: 'yes' } as never)),
      'swarmcast: setting "p2pEnabled" must be a boolean, got "yes"',
    );
    assert.match(
      message(() => mergeSettings({ trackerUrls: 'wss://x' } as never)),
      /"trackerUrls" must be an array of ws:\/\/ or wss:\/\/ URLs/,
    );
    assert.match(
      message(() => mergeSettings({ trackerUrls: ['https://x'] })),
      /"trackerUrls" must be/,
    );
    assert.match(
      message(() => mergeSettings({ rtcConfig: [] } as never)),
      /"rtcConfig" must be an object, got \[\]/,
    );
    assert.match(
      message(() => mergeSettings({ validateSegment: 42 } as never)),
      /"validateSegment" must be a function or undefined, got 42/,
    );
    assert.match(
      message(() => mergeSettings({ storage: {} } as never)),
      /"storage" must be a SegmentStorage/,
    );
  });

  void it('values out of range are rejected, not accepted and turned into a silently HTTP-only engine', () => {
    assert.equal(
      message(() => mergeSettings({ maxPeers: 0 })),
      'swarmcast: setting "maxPeers" must be an integer from 1 to 500, got 0',
    );
    assert.equal(
      message(() => mergeSettings({ maxPeers: 2.5 })),
      'swarmcast: setting "maxPeers" must be an integer from 1 to 500, got 2.5',
    );
    assert.match(
      message(() => mergeSettings({ p2pSafetyFactor: 0.5 })),
      /"p2pSafetyFactor" must be a number from 1 to 10/,
    );
    assert.match(
      message(() => mergeSettings({ urgentWindowSec: Infinity })),
      /got Infinity/,
    );
    assert.match(
      message(() => mergeSettings({ uploadRateBytesPerSec: NaN })),
      /got NaN/,
    );
  });

  void it('every setting rejects a bad value with a message naming the key and what it accepts', () => {
    const wrongType = (kind: string): unknown => (kind === 'boolean' ? 1 : kind === 'function' ? 'f' : true);
    for (const key of SETTINGS_SCHEMA.keys) {
      const spec = SETTINGS_SCHEMA.specs[key];
      const bad: unknown[] = [wrongType(spec.type.kind)];
      if (spec.type.kind === 'number')
        bad.push(spec.type.min - 1, spec.type.max === Infinity ? NaN : spec.type.max + 1);
      if (spec.type.kind === 'number' && spec.type.integer) bad.push(spec.type.min + 0.5);
      for (const value of bad) {
        const msg = message(() => mergeSettings({ [key]: value }));
        assert.ok(msg.startsWith(`swarmcast: setting "${key}" must be ${describeSpec(spec)}, got `), msg);
      }
      // The default itself passes, so the schema and the defaults agree.
      assert.doesNotThrow(() => mergeSettings({ [key]: DEFAULT_SETTINGS[key] }), key);
    }
  });

  void it("P2P Media Loader's option names get a pointer to ours", () => {
    assert.equal(
      message(() => mergeSettings({ announceTrackers: ['wss://t'] } as never)),
      'swarmcast: "announceTrackers" is P2P Media Loader\'s name: use "trackerUrls"',
    );
    assert.match(
      message(() => mergeSettings({ isP2PDisabled: true } as never)),
      /use "p2pEnabled" \(inverted\)/,
    );
  });

  void it('hooks, nested objects and custom storage are accepted', () => {
    const storage = new MemoryStorage();
    const validateSegment = (): boolean => true;
    const s = mergeSettings({ storage, validateSegment, rtcConfig: { iceServers: [] } });
    assert.equal(s.storage, storage);
    assert.equal(s.validateSegment, validateSegment);
    assert.deepEqual(s.rtcConfig, { iceServers: [] });
  });

  void it('the runtime keys are the four documented ones', () => {
    assert.deepEqual([...DYNAMIC_SETTING_KEYS].sort(), [
      'consumeOnly',
      'p2pEnabled',
      'uploadEnabled',
      'uploadRateBytesPerSec',
    ]);
  });

  void it('runtime subset: only the dynamic keys may change', () => {
    const base = mergeSettings({});
    const s = mergeSettings({ uploadRateBytesPerSec: 1000, consumeOnly: true }, base, DYNAMIC_SETTING_KEYS);
    assert.equal(s.uploadRateBytesPerSec, 1000);
    assert.match(
      message(() => mergeSettings({ maxPeers: 1 }, base, DYNAMIC_SETTING_KEYS)),
      /"maxPeers" cannot be changed at runtime/,
    );
    assert.match(
      message(() => mergeSettings({ p2pEnable: false } as never, base, DYNAMIC_SETTING_KEYS)),
      /did you mean "p2pEnabled"/,
    );
  });
});
