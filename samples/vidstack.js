// samples/vidstack.html: Vidstack's <media-player> on hls.js with swarmcast. Vidstack builds its hls.js instance
// from the `library` (class) and `config` the page gives its HLS provider; both are set on `provider-change`,
// before the provider loads anything, and the source is set only after that listener is in place.
(function () {
  'use strict';
  const q = new URLSearchParams(location.search);
  const origin = q.get('origin') || 'http://127.0.0.1:8080';
  const tracker = q.get('tracker') || 'ws://127.0.0.1:8000';
  const stream = q.get('stream') || 'hls-ts/master.m3u8';
  const player = document.getElementById('player');
  let hls;

  player.addEventListener('provider-change', (event) => {
    const provider = event.detail;
    if (!provider || provider.type !== 'hls') return;
    // The one line: hls.js with swarmcast as the class Vidstack instantiates (it never loads hls.js from a CDN).
    provider.library = swarmcast.hlsjs.withP2P(Hls);
    provider.config = {
      p2p: { core: { trackerUrls: [tracker] }, swarmId: q.get('swarm') || 'swarmcast-demo:' + stream },
    };
  });
  player.addEventListener('hls-instance', (event) => {
    hls = event.detail;
    window.hls = hls;
  });
  player.src = { src: origin + '/' + stream, type: 'application/x-mpegurl' };

  const kib = (n) => (n / 1024).toFixed(0) + ' KiB';
  setInterval(() => {
    if (!hls) return;
    const s = hls.p2p.getStats();
    document.getElementById('http').textContent = kib(s.httpBytes);
    document.getElementById('p2p').textContent = kib(s.p2pBytes);
    document.getElementById('up').textContent = kib(s.uploadedBytes);
    document.getElementById('share').textContent = (100 * s.p2pRatio).toFixed(0) + ' %';
    document.getElementById('peers').textContent = Object.values(s.peersBySwarm).reduce((a, b) => a + b, 0);
  }, 1000);
})();
