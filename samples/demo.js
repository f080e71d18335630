// The `npm start` dashboard: one viewer (any supported player, any fixture or URL), a live chart of HTTP / P2P
// traffic, totals and a peer graph. State lives in the query (`player`, `stream`, plus `origin` and `tracker`
// from npm start), so "Add viewer" opens the same player on the same stream in a new tab.
(function () {
  'use strict';
  var demo = window.swarmcastDemo;
  var COLORS = { http: '#f59e0b', p2pDown: '#2dd4bf', p2pUp: '#a78bfa', me: '#60a5fa', peer: '#e2e8f0' };
  var STREAMS = [
    { group: 'VOD', path: 'hls-ts/master.m3u8', label: 'HLS · MPEG-TS' },
    { group: 'VOD', path: 'cmaf/master.m3u8', label: 'HLS · fMP4' },
    { group: 'VOD', path: 'single/master.m3u8', label: 'HLS · byte ranges' },
    { group: 'VOD', path: 'cmaf/manifest.mpd', label: 'DASH · SegmentTemplate' },
    { group: 'VOD', path: 'single/manifest.mpd', label: 'DASH · SegmentBase' },
    { group: 'Live', path: 'live/hls-ts/master.m3u8', label: 'Live HLS · MPEG-TS' },
    { group: 'Live', path: 'live/cmaf/master.m3u8', label: 'Live HLS · fMP4' },
    { group: 'Live', path: 'live/cmaf/manifest.mpd', label: 'Live DASH' },
  ];
  var CUSTOM = 'custom';
  var TICK_MS = 1000;

  var params = new URLSearchParams(location.search);
  var originUrl = params.get('origin') || 'http://127.0.0.1:8080';
  var trackerUrl = params.get('tracker') || 'ws://127.0.0.1:8000';
  var $ = function (id) {
    return document.getElementById(id);
  };
  var playerSelect = $('player');
  var streamSelect = $('stream');
  var customUrl = $('custom-url');
  var host = $('player-host');

  var formatOf = function (url) {
    return /\.mpd(\?|#|$)/i.test(url) ? 'dash' : 'hls';
  };
  var isAbsolute = function (s) {
    return /^https?:\/\//i.test(s);
  };

  // ---- selectors -------------------------------------------------------------------------------------------
  demo.players.list.forEach(function (p) {
    var option = new Option(p.unavailable ? p.label + ' — ' + p.unavailable : p.label, p.id);
    option.disabled = Boolean(p.unavailable);
    playerSelect.add(option);
  });
  ['VOD', 'Live'].forEach(function (group) {
    var og = document.createElement('optgroup');
    og.label = group;
    STREAMS.filter(function (s) {
      return s.group === group;
    }).forEach(function (s) {
      var option = new Option(s.label, s.path);
      option.dataset.format = formatOf(s.path);
      og.appendChild(option);
    });
    streamSelect.appendChild(og);
  });
  streamSelect.add(new Option('Custom URL…', CUSTOM));

  var initialStream = params.get('stream') || STREAMS[0].path;
  var initialPlayer = demo.players.byId(params.get('player') || '') || demo.players.list[0];
  playerSelect.value = initialPlayer.unavailable ? 'hlsjs' : initialPlayer.id;
  if (isAbsolute(initialStream)) {
    streamSelect.value = CUSTOM;
    customUrl.value = initialStream;
  } else {
    streamSelect.value = initialStream;
    if (streamSelect.value !== initialStream) streamSelect.value = STREAMS[0].path;
  }

  function currentPlayer() {
    return demo.players.byId(playerSelect.value);
  }

  /** Greys out the fixtures the chosen player cannot play (DASH on the hls.js-based players). */
  function applyCompatibility() {
    var formats = currentPlayer().formats;
    Array.prototype.forEach.call(streamSelect.querySelectorAll('option[data-format]'), function (o) {
      o.disabled = formats.indexOf(o.dataset.format) < 0;
    });
    var selected = streamSelect.selectedOptions[0];
    if (selected && selected.disabled) {
      // The first stream this player plays (dash.js plays no HLS, the first streams are HLS).
      var first = STREAMS.filter(function (s) {
        return formats.indexOf(formatOf(s.path)) >= 0;
      })[0];
      streamSelect.value = (first || STREAMS[0]).path;
    }
    $('custom-url-label').hidden = streamSelect.value !== CUSTOM;
  }

  function streamValue() {
    return streamSelect.value === CUSTOM ? customUrl.value.trim() : streamSelect.value;
  }

  function writeQuery() {
    var next = new URLSearchParams(params);
    next.set('player', playerSelect.value);
    next.set('stream', streamValue());
    history.replaceState(null, '', location.pathname + '?' + next.toString());
  }

  // ---- the viewer ------------------------------------------------------------------------------------------
  var current = null; // { adapter, player, label, prev, connected, unsubscribe }
  var generation = 0;

  function setStatus(text, isError) {
    $('status').textContent = text;
    $('status').classList.toggle('error', Boolean(isError));
  }

  function stop() {
    if (!current) return;
    var done = current;
    current = null;
    if (done.unsubscribe) done.unsubscribe();
    try {
      done.adapter.destroy();
    } catch (e) {
      console.error('destroy', e);
    }
    host.textContent = '';
  }

  function start() {
    var token = ++generation;
    var player = currentPlayer();
    // First: it may move the stream selection to one this player plays.
    applyCompatibility();
    var stream = streamValue();
    writeQuery();
    stop();
    if (!stream) return setStatus('Enter a stream URL (HLS .m3u8 or DASH .mpd).', true);
    var format = formatOf(stream);
    if (player.formats.indexOf(format) < 0) {
      return setStatus(player.label + ' does not play ' + format.toUpperCase() + '; pick another player.', true);
    }
    if (!demo.players.canLoadHere(player)) {
      // Flowplayer 7 and 3.x both own window.flowplayer: the other one was loaded here, so start afresh.
      location.reload();
      return;
    }
    setStatus('Loading ' + player.label + '…');
    demo.players
      .load(player)
      .then(function () {
        if (token !== generation) return;
        var url = isAbsolute(stream) ? stream : originUrl + '/' + stream;
        var p2p = {
          // Local demo: the tracker on 127.0.0.1 and no STUN (there is nothing to traverse on one machine).
          core: { trackerUrls: [trackerUrl], rtcConfig: { iceServers: [] } },
          swarmId: 'swarmcast-demo:' + stream,
        };
        var label = streamSelect.value === CUSTOM ? stream : streamSelect.selectedOptions[0].textContent;
        current = {
          adapter: player.create(host, { url: url, isDash: format === 'dash', p2p: p2p }),
          player: player,
          label: label,
          prev: null,
          connected: new Map(), // peerId → swarm keys it is connected in
          unsubscribe: null,
        };
      })
      .catch(function (e) {
        if (token === generation) setStatus(String(e && e.message ? e.message : e), true);
      });
  }

  /** Peer connections come from engine events; engines some plugins build lazily (on play) are picked up late. */
  function subscribe(view) {
    var engine = view.adapter.engine();
    if (!engine || view.unsubscribe) return;
    var onConnect = function (e) {
      if (!view.connected.has(e.peerId)) view.connected.set(e.peerId, new Set());
      view.connected.get(e.peerId).add(e.swarmKey);
    };
    var onClose = function (e) {
      var swarms = view.connected.get(e.peerId);
      if (swarms) swarms.delete(e.swarmKey);
    };
    engine.on('peer-connect', onConnect);
    engine.on('peer-close', onClose);
    engine.on('peer-banned', logBan);
    view.unsubscribe = function () {
      engine.off('peer-connect', onConnect);
      engine.off('peer-close', onClose);
      engine.off('peer-banned', logBan);
    };
    // Connections made before we listened: a peer with a throughput figure is live in some swarm.
    var stats = view.adapter.stats();
    (stats ? stats.peers : []).forEach(function (p) {
      if (p.throughputBytesPerSec !== undefined) onConnect(p);
    });
  }

  // ---- integrity events ------------------------------------------------------------------------------------
  var MAX_EVENTS = 50;

  /** A peer whose bytes failed a check: the segment came over HTTP, the forged copy was never played. */
  function logBan(e) {
    var item = document.createElement('li');
    var time = document.createElement('time');
    time.textContent = new Date().toLocaleTimeString();
    item.appendChild(time);
    item.appendChild(
      document.createTextNode(
        'Peer ' + e.peerId.slice(0, 8) + ' banned: ' + e.reason + ' (segment ' + e.segmentId + ', fetched over HTTP)',
      ),
    );
    var list = $('events');
    list.insertBefore(item, list.firstChild);
    while (list.children.length > MAX_EVENTS) list.removeChild(list.lastChild);
    $('events-empty').hidden = true;
  }

  function showIntegrity(integrity) {
    if (!integrity) return;
    var methods = integrity.byMethod;
    $('integrity-note').textContent =
      integrity.verified +
      ' P2P segments verified (hash list ' +
      methods['hash-list'] +
      ', spot check ' +
      methods['spot-check'] +
      ') · ' +
      integrity.failed +
      ' failed · checks cost ' +
      fmt(integrity.cdnBytes) +
      ' in ' +
      integrity.cdnRequests +
      ' requests';
  }

  // ---- dashboard -------------------------------------------------------------------------------------------
  var chart = new demo.RateChart($('chart'), COLORS);
  var graph = new demo.PeerGraph($('graph'), COLORS);
  var fmt = demo.formatBytes;
  var lastTickMs = performance.now();
  var lastStats = null;

  function kbps(bytes, seconds) {
    return Math.round((bytes * 8) / 1000 / seconds);
  }

  function tick() {
    var nowMs = performance.now();
    var seconds = Math.max(0.25, (nowMs - lastTickMs) / 1000);
    lastTickMs = nowMs;
    var view = current;
    var stats = null;
    try {
      stats = view && view.adapter.stats();
    } catch {
      stats = null; // the player is between sources
    }
    if (view) subscribe(view);
    var prev = (view && view.prev) || { httpBytes: 0, p2pBytes: 0, uploadedBytes: 0 };
    var rates = stats
      ? [
          kbps(stats.httpBytes - prev.httpBytes, seconds),
          kbps(stats.p2pBytes - prev.p2pBytes, seconds),
          kbps(stats.uploadedBytes - prev.uploadedBytes, seconds),
        ]
      : [0, 0, 0];
    if (stats) view.prev = stats;
    lastStats = stats;
    chart.push(Date.now() / 1000, rates[0], rates[1], rates[2]);

    var s = stats || { httpBytes: 0, p2pBytes: 0, uploadedBytes: 0, p2pRatio: 0, peers: [] };
    $('total-http').textContent = fmt(s.httpBytes);
    $('total-p2p-down').textContent = fmt(s.p2pBytes);
    $('total-p2p-up').textContent = fmt(s.uploadedBytes);
    $('rate-http').textContent = rates[0] + ' kbit/s';
    $('rate-p2p-down').textContent = rates[1] + ' kbit/s';
    $('rate-p2p-up').textContent = rates[2] + ' kbit/s';
    var share = Math.round(100 * s.p2pRatio);
    $('p2p-share').textContent = share + ' %';
    $('share-bar').style.width = share + '%';

    // getStats lists a peer once per swarm (video, audio); the graph wants one node per peer.
    var byPeer = {};
    s.peers.forEach(function (p) {
      var swarms = view && view.connected.get(p.peerId);
      byPeer[p.peerId] = {
        peerId: p.peerId,
        downloadedBytes: p.downloadedBytes,
        uploadedBytes: p.uploadedBytes,
        connected: Boolean(swarms && swarms.size > 0),
      };
    });
    var peers = Object.keys(byPeer).map(function (k) {
      return byPeer[k];
    });
    var connected = peers.filter(function (p) {
      return p.connected;
    }).length;
    showIntegrity(stats && stats.integrity);
    $('peer-count').textContent = String(connected);
    $('peer-note').textContent = peers.length > connected ? peers.length - connected + ' left' : 'connected';
    graph.update(peers);
    $('graph-empty').hidden = peers.length > 0;

    var video = host.querySelector('video');
    if (view && video && !$('status').classList.contains('error')) {
      var position = video.currentTime.toFixed(1) + ' s';
      var buffered = video.buffered.length ? video.buffered.end(video.buffered.length - 1) - video.currentTime : 0;
      setStatus(
        view.player.label +
          ' · ' +
          view.label +
          ' · at ' +
          position +
          ' · buffer ' +
          Math.max(0, buffered).toFixed(1) +
          ' s',
      );
    }
  }

  // ---- wiring ----------------------------------------------------------------------------------------------
  playerSelect.addEventListener('change', start);
  streamSelect.addEventListener('change', function () {
    applyCompatibility();
    if (streamSelect.value === CUSTOM && !customUrl.value) return customUrl.focus();
    start();
  });
  $('toolbar').addEventListener('submit', function (e) {
    e.preventDefault();
    start();
  });
  customUrl.addEventListener('change', start);
  $('add-viewer').addEventListener('click', function () {
    writeQuery();
    window.open(location.href, '_blank');
  });
  window.addEventListener('pagehide', stop);

  // For people poking around in the console and for the e2e test.
  demo.colors = COLORS;
  demo.state = function () {
    var video = host.querySelector('video');
    return {
      player: current ? current.player.id : null,
      stream: streamValue(),
      stats: lastStats,
      currentTimeSec: video ? video.currentTime : 0,
      graphNodes: graph.nodeCount(),
      events: Array.prototype.map.call($('events').children, function (li) {
        return li.textContent;
      }),
    };
  };

  applyCompatibility();
  start();
  setInterval(tick, TICK_MS);
})();
