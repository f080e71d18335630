/**
 * Tracker metrics on prom-client: one registry per tracker (several trackers may share a process in tests),
 * the default process and Node metrics (CPU, memory, event-loop lag and utilisation, GC, handles), our
 * counters, the relay-latency histogram and gauges read at scrape time. With `--workers` the primary merges
 * every worker's registry (prom-client's AggregatorRegistry), so one `/metrics` shows the whole group.
 * Labels never carry info_hashes or peer ids.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Aggregator } from 'prom-client';

const P = 'swarmcast_tracker_';

export interface GaugeSpec {
  name: string;
  help: string;
  read: () => number | Readonly<Record<string, number>>;
  /** How a `--workers` group combines the workers' values (default: sum). */
  aggregator?: Aggregator;
}

/**
 * A counter with at most one label, counted in a plain map on the hot path (one increment per relayed frame)
 * and handed to its prom-client Counter when scraped. Reads are synchronous (`get`), for stats and tests.
 */
export class CountSeries {
  private readonly values = new Map<string, number>();

  constructor(
    registry: Registry,
    name: string,
    help: string,
    private readonly label: string | null,
  ) {
    const values = this.values;
    new Counter({
      name: `${P}${name}`,
      help,
      labelNames: label ? [label] : [],
      registers: [registry],
      collect() {
        this.reset();
        for (const [v, n] of values) {
          if (label) this.inc({ [label]: v }, n);
          else this.inc(n);
        }
      },
    });
  }

  inc(labels: Readonly<Record<string, string>> = {}, by = 1): void {
    const key = this.label ? (labels[this.label] ?? '') : '';
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  get(labels: Readonly<Record<string, string>> = {}): number {
    return this.values.get(this.label ? (labels[this.label] ?? '') : '') ?? 0;
  }
}

export class TrackerMetrics {
  readonly registry = new Registry();
  readonly connectionsTotal = new CountSeries(
    this.registry,
    'connections_total',
    'WebSocket connections accepted',
    null,
  );
  readonly connectionsRejected = this.counter('connections_rejected_total', 'Connections refused, by reason', 'reason');
  readonly received = this.counter('messages_received_total', 'Client messages received, by type', 'type');
  readonly sent = this.counter('messages_sent_total', 'Messages sent to clients, by type', 'type');
  readonly errors = this.counter('errors_total', 'Error replies, protocol violations and closes, by reason', 'reason');
  readonly dropped = this.counter('messages_dropped_total', 'Messages dropped, by reason', 'reason');
  readonly bus = this.counter('bus_messages_total', 'Messages exchanged with other workers/nodes', 'direction');
  readonly relayLatency = new Histogram({
    name: `${P}relay_latency_seconds`,
    help: 'Time from receiving an offer/answer to writing it to the target socket',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  private counter(name: string, help: string, label: string): CountSeries {
    return new CountSeries(this.registry, name, help, label);
  }

  /** A gauge read when scraped; a record value gives one series per key, labelled `type`. */
  addGauge(spec: GaugeSpec): void {
    new Gauge({
      name: spec.name,
      help: spec.help,
      labelNames: ['type'],
      aggregator: spec.aggregator ?? 'sum',
      registers: [this.registry],
      collect() {
        const v = spec.read();
        this.reset();
        if (typeof v === 'number') this.set(v);
        else for (const [type, n] of Object.entries(v)) this.set({ type }, n);
      },
    });
  }

  /** Prometheus text of this process's registry. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
