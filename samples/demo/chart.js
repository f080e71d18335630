// Live rate chart (uPlot): HTTP down, P2P down and P2P up in kbit/s, one point per second, the last minute.
(function () {
  'use strict';
  var WINDOW_SEC = 60;
  var HEIGHT_PX = 190;

  function clock(tSec) {
    var d = new Date(tSec * 1000);
    var pad = function (n) {
      return (n < 10 ? '0' : '') + n;
    };
    return d.getHours() + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }

  function RateChart(container, colors) {
    var uPlot = window.uPlot;
    // The minute before the page opened had no traffic from this viewer: start with a flat baseline.
    var nowSec = Math.floor(Date.now() / 1000);
    this.data = [[], [], [], []];
    for (var t = nowSec - WINDOW_SEC; t < nowSec; t++) [t, 0, 0, 0].forEach((v, i) => this.data[i].push(v));
    var axis = {
      stroke: '#8b98a9',
      font: '12px system-ui, sans-serif',
      grid: { stroke: 'rgba(148, 163, 184, 0.12)', width: 1 },
      ticks: { stroke: 'rgba(148, 163, 184, 0.25)', width: 1, size: 4 },
    };
    var series = function (label, color) {
      return {
        label: label,
        stroke: color,
        // Lines only: a fill over the lower series would tint its line and hide where the series cross.
        width: 2,
        points: { show: false },
        value: function (_u, v) {
          return v == null ? '–' : v.toFixed(0) + ' kbit/s';
        },
      };
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
          series('HTTP down', colors.http),
          series('P2P down', colors.p2pDown),
          series('P2P up', colors.p2pUp),
        ],
      },
      this.data,
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

  /** Appends one sample (unix seconds, three rates in kbit/s) and drops what left the window. */
  RateChart.prototype.push = function (tSec, httpKbps, p2pDownKbps, p2pUpKbps) {
    var d = this.data;
    d[0].push(tSec);
    d[1].push(httpKbps);
    d[2].push(p2pDownKbps);
    d[3].push(p2pUpKbps);
    while (d[0].length > WINDOW_SEC + 1) d.forEach((s) => s.shift());
    this.plot.setData(d);
    if (!this.hovering) this.plot.setLegend({ idx: d[0].length - 1 });
  };

  RateChart.prototype.pointCount = function () {
    return this.data[0].length;
  };

  window.swarmcastDemo = window.swarmcastDemo || {};
  window.swarmcastDemo.RateChart = RateChart;
})();
