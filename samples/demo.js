// Demo page: plays a fixture from the local origin with hls.js + swarmcast. Query parameters `origin` and
// `tracker` come from `npm start`, which prints the full URL. Open several tabs (or "Add viewer") on the same
// stream and watch the P2P share grow.
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var originUrl = params.get('origin') || 'http://127.0.0.1:8080';
  var trackerUrl = params.get('tracker') || 'ws://127.0.0.1:8000';
  var streamSelect = document.getElementById('stream');
  var video = document.getElementById('video');
  var stats = document.getElementById('stats');
  var hls = null;

  if (params.get('stream')) streamSelect.value = params.get('stream');

  function kib(bytes) {
    return (bytes / 1024).toFixed(0) + ' KiB';
  }

  function play() {
    if (hls) hls.destroy();
    var HlsP2P = swarmcast.hlsjs.withP2P(Hls);
    hls = new HlsP2P({
      p2p: {
        // Local demo: the tracker on 127.0.0.1 and no STUN (there is nothing to traverse on one machine).
        core: { trackerUrls: [trackerUrl], rtcConfig: { iceServers: [] } },
        swarmId: 'swarmcast-demo:' + streamSelect.value,
      },
    });
    hls.loadSource(originUrl + '/' + streamSelect.value);
    hls.attachMedia(video);
    video.play().catch(function () {
      // Autoplay may be refused until the user interacts; the controls are there.
    });
  }

  streamSelect.addEventListener('change', play);
  document.getElementById('add-viewer').addEventListener('click', function () {
    var next = new URLSearchParams(params);
    next.set('stream', streamSelect.value);
    window.open(location.pathname + '?' + next.toString(), '_blank');
  });
  setInterval(function () {
    if (!hls) return;
    var s = hls.p2p.getStats();
    var peers = s.peers.length;
    stats.textContent =
      'HTTP ' +
      kib(s.httpBytes) +
      ' · P2P ' +
      kib(s.p2pBytes) +
      ' (' +
      (100 * s.p2pRatio).toFixed(0) +
      ' %)' +
      ' · uploaded ' +
      kib(s.uploadedBytes) +
      ' · peers ' +
      peers +
      ' · position ' +
      video.currentTime.toFixed(1) +
      ' s';
  }, 500);
  play();
})();
