// Demo page: plays a fixture from the local origin. Query parameters `origin` and `tracker` come from
// `npm start`, which prints the full URL.
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var originUrl = params.get('origin') || 'http://127.0.0.1:8080';
  var streamSelect = document.getElementById('stream');
  var video = document.getElementById('video');
  var stats = document.getElementById('stats');
  var hls = null;
  var httpBytes = 0;

  if (params.get('stream')) streamSelect.value = params.get('stream');

  function play() {
    if (hls) hls.destroy();
    httpBytes = 0;
    hls = new Hls();
    hls.on(Hls.Events.FRAG_LOADED, function (_event, data) {
      httpBytes += data.frag.stats.loaded;
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
    stats.textContent =
      'Downloaded ' + (httpBytes / 1024).toFixed(0) + ' KiB · position ' + video.currentTime.toFixed(1) + ' s';
  }, 500);
  play();
})();
