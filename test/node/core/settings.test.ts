import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS, DYNAMIC_SETTING_KEYS } from '../../../core/settings.js';
import { SettingsError, mergeSettings } from '../../../core/settings-validate.js';
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
      'swarmcast: setting "httpTtfbTimeoutMs" must be a number ≥ 0, got "5s"',
    );
    assert.equal(
      message(() => mergeSettings({ maxPeers: -1 })),
      'swarmcast: setting "maxPeers" must be a number ≥ 0, got -1',
    );
    assert.equal(
      message(() => mergeSettings({ p2pEnabled: 'yes' } as never)),
      'swarmcast: setting "p2pEnabled" must be a boolean, got "yes"',
    );
    assert.match(
      message(() => mergeSettings({ trackerUrls: 'wss://x' } as never)),
      /"trackerUrls" must be an array of strings/,
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

  void it('hooks, nested objects and custom storage are accepted', () => {
    const storage = new MemoryStorage();
    const validateSegment = (): boolean => true;
    const s = mergeSettings({ storage, validateSegment, rtcConfig: { iceServers: [] } });
    assert.equal(s.storage, storage);
    assert.equal(s.validateSegment, validateSegment);
    assert.deepEqual(s.rtcConfig, { iceServers: [] });
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
