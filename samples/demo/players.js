// The demo's player catalogue: for each supported player, the scripts it needs (loaded on first use, from
// node_modules and dist/umd like the per-player sample pages) and an adapter that builds it with swarmcast inside
// a host element. Every adapter answers { stats(), engine(), video(), destroy() } so the dashboard is
// player-agnostic; destroy() goes through the player's own teardown, which also destroys our engine.
(function () {
  'use strict';
  var HLSJS = '/node_modules/hls.js/dist/hls.min.js';
  var umd = function (name) {
    return '/dist/umd/swarmcast-' + name + '.min.js';
  };

  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] === true) node.setAttribute(k, '');
      else node.setAttribute(k, attrs[k]);
    });
    return node;
  }

  function videoEl() {
    return el('video', { controls: true, muted: true, autoplay: true, playsinline: true });
  }

  function refused() {
    // Autoplay may be refused until the user interacts; the controls are there.
  }

  function autoplay(video) {
    video.muted = true;
    video.play().catch(refused);
  }

  var PLAYERS = [
    {
      id: 'hlsjs',
      label: 'hls.js',
      formats: ['hls'],
      scripts: [HLSJS, umd('hlsjs')],
      create: function (host, src) {
        var video = host.appendChild(videoEl());
        var hls = new (swarmcast.hlsjs.withP2P(Hls))({ p2p: src.p2p });
        hls.loadSource(src.url);
        hls.attachMedia(video);
        autoplay(video);
        return {
          stats: function () {
            return hls.p2p.getStats();
          },
          engine: function () {
            return hls.p2p.engine;
          },
          destroy: function () {
            hls.destroy();
          },
        };
      },
    },
    {
      id: 'videojs',
      label: 'Video.js (VHS)',
      formats: ['hls', 'dash'],
      styles: ['/node_modules/video.js/dist/video-js.min.css'],
      scripts: ['/node_modules/video.js/dist/video.min.js', umd('videojs')],
      create: function (host, src) {
        var video = host.appendChild(
          el('video', { class: 'video-js', controls: true, muted: true, playsinline: true }),
        );
        var player = videojs(video, { fill: true, muted: true, plugins: { p2p: src.p2p } });
        player.src({ src: src.url, type: src.isDash ? 'application/dash+xml' : 'application/x-mpegURL' });
        player.ready(function () {
          player.play().catch(refused);
        });
        return {
          stats: function () {
            return player.p2p().stats();
          },
          engine: function () {
            return player.p2p().p2p.engine;
          },
          destroy: function () {
            player.dispose();
          },
        };
      },
    },
    {
      id: 'shaka',
      label: 'Shaka Player',
      formats: ['hls', 'dash'],
      scripts: ['/node_modules/shaka-player/dist/shaka-player.compiled.js', umd('shaka')],
      create: function (host, src) {
        shaka.polyfill.installAll();
        var video = host.appendChild(videoEl());
        var player = new shaka.Player();
        // Live: play further from the edge so the swarm has time to spread each segment.
        player.configure({ manifest: { defaultPresentationDelay: 18 } });
        var p2p = swarmcast.shaka.attach(player, src.p2p);
        player
          .attach(video)
          .then(function () {
            return player.load(src.url);
          })
          .then(function () {
            autoplay(video);
          })
          .catch(function (e) {
            console.error('Shaka', e);
          });
        return {
          stats: function () {
            return p2p.getStats();
          },
          engine: function () {
            return p2p.engine;
          },
          destroy: function () {
            p2p.destroy();
            return player.destroy();
          },
        };
      },
    },
    {
      id: 'dashjs',
      label: 'dash.js',
      formats: ['dash'],
      scripts: ['/node_modules/dashjs/dist/modern/umd/dash.all.min.js', umd('dashjs')],
      create: function (host, src) {
        var video = host.appendChild(videoEl());
        var player = dashjs.MediaPlayer().create();
        // Live: play further from the edge so the swarm has time to spread each segment.
        player.updateSettings({ streaming: { delay: { liveDelay: 18 } } });
        // Before initialize(): dash.js applies the loader extension to the loaders it creates next.
        var p2p = swarmcast.dashjs.attach(player, src.p2p);
        player.initialize(video, src.url, true);
        autoplay(video);
        return {
          stats: function () {
            return p2p.getStats();
          },
          engine: function () {
            return p2p.engine;
          },
          destroy: function () {
            p2p.destroy();
            player.destroy();
          },
        };
      },
    },
    {
      id: 'clappr',
      label: 'Clappr',
      formats: ['hls'],
      scripts: ['/node_modules/@clappr/player/dist/clappr.min.js', umd('clappr')],
      create: function (host, src) {
        var player = new Clappr.Player({
          parent: host.appendChild(el('div', { class: 'player-box' })),
          source: src.url,
          width: '100%',
          height: '100%',
          mute: true,
          autoPlay: true,
          plugins: [swarmcast.clappr.SwarmcastClappr],
          p2p: src.p2p,
        });
        // The swarmcast playback builds its engine with the first hls.js instance (on play).
        var playback = function () {
          var p = player.core && player.core.activePlayback;
          return p && p.p2p ? p : undefined;
        };
        return {
          stats: function () {
            var p = playback();
            return p && p.p2pStats();
          },
          engine: function () {
            var p = playback();
            return p && p.p2p.engine;
          },
          destroy: function () {
            player.destroy();
          },
        };
      },
    },
    {
      id: 'mediaelement',
      label: 'MediaElement.js',
      formats: ['hls'],
      styles: ['/node_modules/mediaelement/build/mediaelementplayer.min.css'],
      // hls.js first: the version we ship, so MediaElement never loads hls.js@latest from a CDN.
      scripts: [HLSJS, '/node_modules/mediaelement/build/mediaelement-and-player.min.js', umd('mediaelement')],
      create: function (host, src) {
        // preload="none": a browser that plays HLS natively would otherwise fetch segments before hls.js.
        var video = host.appendChild(el('video', { muted: true, playsinline: true, preload: 'none' }));
        video.src = src.url;
        var player = new MediaElementPlayer(video, {
          renderers: ['native_hls', 'html5'],
          stretching: 'fill',
          // Looked up relative to the page by default.
          iconSprite: '/node_modules/mediaelement/build/mejs-controls.svg',
          features: ['playpause', 'current', 'progress', 'duration', 'volume', 'fullscreen', 'p2p'],
          p2p: src.p2p,
          success: function (media) {
            media.muted = true;
            var started = media.play();
            if (started && started.catch) started.catch(refused);
          },
        });
        return {
          stats: function () {
            return player.p2pStats && player.p2pStats();
          },
          engine: function () {
            return player.p2p && player.p2p.engine;
          },
          destroy: function () {
            player.pause();
            player.remove();
          },
        };
      },
    },
    {
      id: 'flowplayer7',
      label: 'Flowplayer 7',
      formats: ['hls'],
      // Flowplayer 7 and 3.x both own window.flowplayer: one of them per page load.
      exclusive: 'flowplayer',
      styles: ['/node_modules/flowplayer/dist/skin/skin.css'],
      scripts: [HLSJS, '/node_modules/flowplayer/dist/flowplayer.min.js', umd('flowplayer')],
      create: function (host, src) {
        var player = flowplayer(host.appendChild(el('div', { class: 'player-box' })), {
          autoplay: true,
          muted: true,
          clip: { sources: [{ type: 'application/x-mpegurl', src: src.url }] },
          p2p: src.p2p,
        });
        return {
          stats: function () {
            return player.p2pStats && player.p2pStats();
          },
          engine: function () {
            return player.p2p && player.p2p.engine;
          },
          destroy: function () {
            player.shutdown();
          },
        };
      },
    },
    {
      id: 'flowplayer3',
      label: 'Flowplayer 3.x',
      formats: ['hls'],
      exclusive: 'flowplayer',
      styles: ['/node_modules/@flowplayer/player/flowplayer.css'],
      scripts: [
        '/node_modules/@flowplayer/player/default.js',
        '/node_modules/@flowplayer/player/plugins/hls.js',
        umd('flowplayer'),
      ],
      create: function (host, src) {
        // plugins/hls.js registered itself when its script loaded; only our plugin is passed.
        var player = flowplayer(swarmcast.flowplayer.SwarmcastFlowplayer)(
          host.appendChild(el('div', { class: 'player-box' })),
          { src: src.url, autoplay: true, muted: true, p2p: src.p2p },
        );
        return {
          stats: function () {
            return player.p2pStats && player.p2pStats();
          },
          engine: function () {
            return player.p2p && player.p2p.engine;
          },
          destroy: function () {
            player.destroy();
          },
        };
      },
    },
    {
      id: 'jwplayer',
      label: 'JW Player 8',
      formats: ['hls'],
      unavailable: 'proprietary, not installed',
    },
  ];

  var loaded = {};
  function loadOnce(url) {
    if (!loaded[url]) {
      loaded[url] = new Promise(function (resolve, reject) {
        var isCss = /\.css$/.test(url);
        var node = isCss ? el('link', { rel: 'stylesheet', href: url }) : el('script', { src: url });
        if (!isCss) node.async = false;
        node.onload = function () {
          resolve();
        };
        node.onerror = function () {
          reject(new Error('could not load ' + url));
        };
        document.head.appendChild(node);
      });
    }
    return loaded[url];
  }

  var exclusiveLoaded = {};
  window.swarmcastDemo = window.swarmcastDemo || {};
  window.swarmcastDemo.players = {
    list: PLAYERS,
    byId: function (id) {
      return PLAYERS.find(function (p) {
        return p.id === id;
      });
    },
    /** False when another player that owns the same globals was loaded in this page (then reload instead). */
    canLoadHere: function (player) {
      var owner = player.exclusive && exclusiveLoaded[player.exclusive];
      return !owner || owner === player.id;
    },
    /** Loads the player's styles and scripts (each once per page), in order. */
    load: function (player) {
      if (player.exclusive) exclusiveLoaded[player.exclusive] = player.id;
      var styles = (player.styles || []).map(loadOnce);
      return (player.scripts || [])
        .reduce(function (prev, url) {
          return prev.then(function () {
            return loadOnce(url);
          });
        }, Promise.resolve())
        .then(function () {
          return Promise.all(styles);
        });
    },
  };
})();
