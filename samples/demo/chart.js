// Live rate chart (uPlot), one-second buckets over the last minute, in kbit/s. Download is stacked: HTTP at the
// bottom, P2P down on top of it, so the teal part of the total is what peers delivered (like the share bar) and
// no series can hide another; P2P up is a line.
(function () {
  'use strict';
  var WINDOW_SEC = 60;
  var HEIGHT_PX = 190;
  var FILL_ALPHA_HEX = 'b3'; // 70 %

  function clock(tSec) {
    var d = new Date(tSec * 1000);
    var pad = function (n) {
      return (n < 10 ? '0' : '') + n;
    };
    return d.getHours() + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }

  function kbps(v) {
    return v == null ? '–' : v.toFixed(0) + ' kbit/s';
  }

  /** uPlot's legend formatter: (plot, value, series index, data index). */
  function legendKbps(_u, v) {
    return kbps(v);
  }

  function RateChart(container, colors) {
    var uPlot = window.uPlot;
    // Unstacked rates (what the legend shows): time, HTTP down, P2P down, P2P up.
    this.raw = [[], [], [], []];
    // The minute before the page opened had no traffic from this viewer: the window starts full, at zero.
    var nowSec = Math.floor(Date.now() / 1000);
    for (var t = nowSec - WINDOW_SEC; t < nowSec; t++) [t, 0, 0, 0].forEach((v, i) => this.raw[i].push(v));
    var raw = this.raw;
    var axis = {
      stroke: '#8b98a9',
      font: '12px system-ui, sans-serif',
      grid: { stroke: 'rgba(148, 163, 184, 0.12)', width: 1 },
      ticks: { stroke: 'rgba(148, 163, 184, 0.25)', width: 1, size: 4 },
    };
    this.plot = new uPlot(
      {
        width: Math.max(container.clientWidth, 200),
        height: HEIGHT_PX,
        cursor: { drag: { x: false, y: false }, points: { size: 6 } },
        legend: { live: true },
        scales: {
          // A fixed one-minute window that scrolls, so the time axis does not stretch while it fills up.
          x: {
            time: true,
            range: function (_u, _min, max) {
              return [max - WINDOW_SEC, max];
            },
          },
          y: {
            range: function (_u, _min, max) {
              return [0, Math.max(100, max * 1.15)];
            },
          },
        },
        axes: [
          Object.assign({}, axis, {
            space: 70,
            size: 32,
            values: function (_u, ticks) {
              return ticks.map(clock);
            },
          }),
          Object.assign({}, axis, {
            size: 74,
            values: function (_u, ticks) {
              return ticks.map(function (v) {
                if (v < 1000) return v + ' kb/s';
                return (v / 1000).toFixed(v % 1000 === 0 || v >= 10000 ? 0 : 1) + ' Mb/s';
              });
            },
          }),
        ],
        series: [
          {},
          {
            label: 'HTTP down',
            stroke: colors.http,
            fill: colors.http + FILL_ALPHA_HEX,
            width: 1.5,
            value: legendKbps,
          },
          {
            label: 'P2P down',
            stroke: colors.p2pDown,
            fill: colors.p2pDown + FILL_ALPHA_HEX,
            width: 1.5,
            // Plotted stacked on HTTP; the legend shows its own rate.
            value: function (_u, _v, _si, idx) {
              return idx == null ? '–' : kbps(raw[2][idx]);
            },
          },
          { label: 'P2P up', stroke: colors.p2pUp, width: 2, value: legendKbps },
        ],
        // P2P down fills down to HTTP's line, not to zero.
        bands: [{ series: [2, 1] }],
      },
      this.stacked(),
      container,
    );
    // The legend shows the newest values unless the pointer is over the plot (then uPlot shows those).
    this.hovering = false;
    container.addEventListener('mouseenter', () => {
      this.hovering = true;
    });
    container.addEventListener('mouseleave', () => {
      this.hovering = false;
    });
    new ResizeObserver(() => {
      this.plot.setSize({ width: Math.max(container.clientWidth, 200), height: HEIGHT_PX });
    }).observe(container);
  }

  /** What uPlot draws: time, HTTP, HTTP + P2P down, P2P up. */
  RateChart.prototype.stacked = function () {
    var r = this.raw;
    return [
      r[0],
      r[1],
      r[2].map(function (v, i) {
        return v + r[1][i];
      }),
      r[3],
    ];
  };

  /** Appends one bucket (unix seconds, three rates in kbit/s) and drops what left the window. */
  RateChart.prototype.push = function (tSec, httpKbps, p2pDownKbps, p2pUpKbps) {
    var r = this.raw;
    [tSec, httpKbps, p2pDownKbps, p2pUpKbps].forEach(function (v, i) {
      r[i].push(v);
    });
    while (r[0].length > WINDOW_SEC + 1) r.forEach((s) => s.shift());
    this.plot.setData(this.stacked());
    if (!this.hovering) this.plot.setLegend({ idx: r[0].length - 1 });
  };

  window.swarmcastDemo = window.swarmcastDemo || {};
  window.swarmcastDemo.RateChart = RateChart;
})();
