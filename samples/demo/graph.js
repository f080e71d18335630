// Peer graph (Cytoscape.js): "you" in the middle, one node per peer this engine has met. Two edges per peer in
// the chart's colours: peer → you = bytes downloaded from it, you → peer = bytes uploaded to it; width grows with
// the bytes. Peers that left stay, dimmed, with their totals.
(function () {
  'use strict';

  function formatBytes(n) {
    if (n >= 1e6) return (n / 1e6).toFixed(1) + ' MB';
    if (n >= 1e3) return (n / 1e3).toFixed(0) + ' kB';
    return n + ' B';
  }

  function edgeWidth(bytes) {
    return bytes > 0 ? Math.min(9, 1.5 + Math.log10(1 + bytes / 1e4) * 2.5) : 1;
  }

  function PeerGraph(container, colors) {
    this.colors = colors;
    this.layoutKey = '';
    this.cy = window.cytoscape({
      container: container,
      userZoomingEnabled: false,
      // Few nodes: fitting them would zoom in until one peer fills the box.
      maxZoom: 1,
      userPanningEnabled: false,
      boxSelectionEnabled: false,
      autoungrabify: false,
      elements: [{ data: { id: 'me', label: 'you' }, classes: 'me' }],
      style: [
        {
          selector: 'node',
          style: {
            width: 34,
            height: 34,
            'background-color': colors.peer,
            'border-width': 2,
            'border-color': '#0f1720',
            label: 'data(label)',
            color: '#cbd5e1',
            'font-size': 11,
            'font-family': 'system-ui, sans-serif',
            'text-valign': 'bottom',
            'text-margin-y': 6,
          },
        },
        {
          selector: 'node.me',
          style: { width: 46, height: 46, 'background-color': colors.me, 'font-weight': 'bold', color: '#e6edf5' },
        },
        { selector: 'node.gone', style: { 'background-opacity': 0.35, 'border-style': 'dashed', color: '#64748b' } },
        {
          selector: 'edge',
          style: {
            'curve-style': 'bezier',
            'control-point-step-size': 26,
            width: 'data(width)',
            'line-color': 'data(color)',
            'target-arrow-shape': 'triangle',
            'target-arrow-color': 'data(color)',
            'arrow-scale': 0.8,
            label: 'data(label)',
            'font-size': 10,
            'font-family': 'system-ui, sans-serif',
            color: 'data(color)',
            'text-rotation': 'autorotate',
            'text-margin-y': -8,
          },
        },
        { selector: 'edge.gone', style: { 'line-style': 'dashed', opacity: 0.4 } },
      ],
    });
    new ResizeObserver(() => {
      this.cy.resize();
      this.relayout(true);
    }).observe(container);
  }

  /** peers: [{ peerId, downloadedBytes, uploadedBytes, connected }] (one entry per peer). */
  PeerGraph.prototype.update = function (peers) {
    var cy = this.cy;
    var colors = this.colors;
    var keep = { me: true };
    cy.batch(function () {
      peers.forEach(function (p) {
        var id = 'peer-' + p.peerId;
        keep[id] = true;
        var edges = [
          { id: id + '-down', source: id, target: 'me', bytes: p.downloadedBytes, arrow: '↓ ', color: colors.p2pDown },
          { id: id + '-up', source: 'me', target: id, bytes: p.uploadedBytes, arrow: '↑ ', color: colors.p2pUp },
        ];
        var node = cy.getElementById(id);
        if (node.empty()) {
          node = cy.add({ data: { id: id, label: 'peer ' + p.peerId.slice(-4) } });
          edges.forEach(function (e) {
            cy.add({ data: { id: e.id, source: e.source, target: e.target, color: e.color } });
          });
        }
        node.toggleClass('gone', !p.connected);
        edges.forEach(function (e) {
          keep[e.id] = true;
          var edge = cy.getElementById(e.id);
          edge.data({ width: edgeWidth(e.bytes), label: e.bytes > 0 ? e.arrow + formatBytes(e.bytes) : '' });
          edge.toggleClass('gone', !p.connected);
        });
      });
      cy.elements()
        .filter(function (ele) {
          return !keep[ele.id()];
        })
        .remove();
    });
    this.relayout(false);
  };

  /**
   * Re-places the nodes when the set of peers changed (or the box was resized), not on every byte update: "you"
   * in the middle, peers on an ellipse that suits the wide box, the first one to the right.
   */
  PeerGraph.prototype.relayout = function (force) {
    var peers = this.cy.nodes().filter(function (n) {
      return n.id() !== 'me';
    });
    var key = peers
      .map(function (n) {
        return n.id();
      })
      .join(',');
    if (!force && key === this.layoutKey) return;
    this.layoutKey = key;
    var positions = { me: { x: 0, y: 0 } };
    peers.forEach(function (n, i) {
      var angle = (2 * Math.PI * i) / peers.length;
      positions[n.id()] = { x: 190 * Math.cos(angle), y: 80 * Math.sin(angle) };
    });
    this.cy
      .layout({
        name: 'preset',
        positions: function (n) {
          return positions[n.id()];
        },
        fit: true,
        padding: 34,
        animate: false,
      })
      .run();
  };

  PeerGraph.prototype.nodeCount = function () {
    return this.cy.nodes().length;
  };

  window.swarmcastDemo = window.swarmcastDemo || {};
  window.swarmcastDemo.PeerGraph = PeerGraph;
  window.swarmcastDemo.formatBytes = formatBytes;
})();
