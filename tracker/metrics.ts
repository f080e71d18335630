/**
 * Prometheus text-format metrics: labelled counters, callback gauges and one latency histogram.
 * Labels never carry info_hashes or peer ids.
 */

type Labels = Readonly<Record<string, string>>;

function labelKey(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

export class Counter {
  readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  /** Pre-computes the series key of `labels`, for hot paths (`incKey`). */
  static key(labels: Labels): string {
    return labelKey(labels);
  }

  inc(labels: Labels = {}, by = 1): void {
    this.incKey(labelKey(labels), by);
  }

  incKey(key: string, by = 1): void {
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [k, v] of this.values) lines.push(`${this.name}${k} ${v}`);
    return lines.join('\n');
  }
}

export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bucketsSec: readonly number[],
  ) {
    this.counts = bucketsSec.map(() => 0);
  }

  observe(sec: number): void {
    this.sum += sec;
    this.count++;
    for (let i = 0; i < this.bucketsSec.length; i++) {
      if (sec <= (this.bucketsSec[i] ?? Infinity)) {
        this.counts[i] = (this.counts[i] ?? 0) + 1;
        return;
      }
    }
  }

  get observations(): number {
    return this.count;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    let cumulative = 0;
    this.bucketsSec.forEach((le, i) => {
      cumulative += this.counts[i] ?? 0;
      lines.push(`${this.name}_bucket{le="${le}"} ${cumulative}`);
    });
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`);
    lines.push(`${this.name}_sum ${this.sum}`);
    lines.push(`${this.name}_count ${this.count}`);
    return lines.join('\n');
  }
}

export interface Gauge {
  name: string;
  help: string;
  read: () => number | Readonly<Record<string, number>>;
}

const P = 'swarmcast_tracker_';

export class TrackerMetrics {
  readonly connectionsTotal = new Counter(`${P}connections_total`, 'WebSocket connections accepted');
  readonly connectionsRejected = new Counter(`${P}connections_rejected_total`, 'Upgrades refused, by reason');
  readonly received = new Counter(`${P}messages_received_total`, 'Client messages received, by type');
  readonly sent = new Counter(`${P}messages_sent_total`, 'Messages sent to clients, by type');
  readonly errors = new Counter(`${P}errors_total`, 'Error replies and protocol violations, by reason');
  readonly dropped = new Counter(`${P}messages_dropped_total`, 'Messages dropped, by reason');
  readonly bus = new Counter(`${P}bus_messages_total`, 'Messages exchanged with other workers/nodes, by direction');
  readonly relayLatency = new Histogram(
    `${P}relay_latency_seconds`,
    'Time from receiving an offer/answer to writing it to the target socket',
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );
  private readonly gauges: Gauge[] = [];

  addGauge(g: Gauge): void {
    this.gauges.push(g);
  }

  render(): string {
    const parts = [
      this.connectionsTotal.render(),
      this.connectionsRejected.render(),
      this.received.render(),
      this.sent.render(),
      this.errors.render(),
      this.dropped.render(),
      this.bus.render(),
      this.relayLatency.render(),
    ];
    for (const g of this.gauges) {
      const lines = [`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`];
      const v = g.read();
      if (typeof v === 'number') lines.push(`${g.name} ${v}`);
      else for (const [k, n] of Object.entries(v)) lines.push(`${g.name}{type="${k}"} ${n}`);
      parts.push(lines.join('\n'));
    }
    return parts.join('\n') + '\n';
  }
}
