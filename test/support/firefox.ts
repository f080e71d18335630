/**
 * Debian's Firefox ESR through puppeteer-core over WebDriver BiDi, with the test profile's preferences. Firefox
 * gathers ICE candidates only on a non-loopback interface: a test using WebRTC in it runs inside a network
 * namespace (see netns.ts), and so must everything its pages reach, including this process (puppeteer talks to
 * Firefox over a WebSocket on the namespace's loopback).
 */
import puppeteer, { type Browser } from 'puppeteer-core';
import { FIREFOX_PATH, FIREFOX_PREFS } from './firefox-prefs.js';

export { FIREFOX_PATH, FIREFOX_PREFS };

export function launchFirefox(): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: { ...FIREFOX_PREFS },
  });
}
