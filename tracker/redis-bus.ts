/**
 * Multi-node bus over Redis pub/sub. Each node subscribes to its own channel `<prefix>node:<id>` and
 * publishes batched envelopes (one PUBLISH per destination per event-loop turn) to other nodes' channels.
 * Membership: every `nodeHeartbeatMs` a node refreshes `<prefix>hb:<id>` (PX `nodeTimeoutMs`) and lists
 * `<prefix>nodes`; nodes whose heartbeat key is gone are dead. While Redis is unreachable the node sees
 * only itself (node-local swarms) and rejoins when Redis comes back.
 */
import { Redis } from 'ioredis';
import type { TrackerConfig } from './config.js';
import type { Bus, BusEnvelope } from './router.js';

type RedisBusConfig = Pick<TrackerConfig, 'redisUrl' | 'redisPrefix' | 'nodeHeartbeatMs' | 'nodeTimeoutMs'>;

export class RedisBus implements Bus {
  onEnvelope: (env: BusEnvelope) => void = () => undefined;
  onMembership: (nodes: readonly string[]) => void = () => undefined;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private live: string[];
  private heartbeatOk = false;
  private readonly outbox = new Map<string, BusEnvelope[]>();
  private flushScheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private destroyed = false;
  private beating = false;

  constructor(
    private readonly cfg: RedisBusConfig,
    readonly selfId: string,
    private readonly warn: (m: string) => void,
  ) {
    const url = cfg.redisUrl ?? 'redis://127.0.0.1:6379';
    const common = {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: (times: number) => Math.min(100 * times, 1000),
    };
    this.pub = new Redis(url, common);
    this.sub = new Redis(url, { ...common, enableOfflineQueue: true });
    this.live = [selfId];
    for (const r of [this.pub, this.sub]) {
      r.on('error', () => undefined);
      r.on('close', () => {
        this.degrade();
      });
    }
    this.sub.on('message', (_channel: string, message: string) => {
      this.onMessage(message);
    });
  }

  private channel(node: string): string {
    return `${this.cfg.redisPrefix}node:${node}`;
  }

  nodes(): readonly string[] {
    return this.live;
  }

  healthy(): boolean {
    return this.heartbeatOk && this.pub.status === 'ready' && this.sub.status === 'ready';
  }

  async start(): Promise<void> {
    try {
      await Promise.all([this.pub.connect(), this.sub.connect()]);
      await this.sub.subscribe(this.channel(this.selfId));
    } catch (err) {
      this.warn(`redis unavailable, running node-local until it is back: ${(err as Error).message}`);
    }
    this.timer = setInterval(() => {
      void this.heartbeat();
    }, this.cfg.nodeHeartbeatMs);
    this.timer.unref();
    await this.heartbeat();
  }

  send(node: string, env: BusEnvelope): void {
    const list = this.outbox.get(node);
    if (list) list.push(env);
    else this.outbox.set(node, [env]);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flush();
      });
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const [node, batch] of this.outbox) {
      if (this.pub.status !== 'ready') break;
      this.pub.publish(this.channel(node), JSON.stringify(batch)).catch(() => undefined);
    }
    this.outbox.clear();
  }

  private onMessage(message: string): void {
    let batch: unknown;
    try {
      batch = JSON.parse(message);
    } catch {
      return;
    }
    if (!Array.isArray(batch)) return;
    for (const env of batch as BusEnvelope[]) {
      try {
        this.onEnvelope(env);
      } catch {
        // A malformed envelope from a peer node must not stop the others.
      }
    }
  }

  private async heartbeat(): Promise<void> {
    if (this.destroyed || this.beating) return;
    this.beating = true;
    try {
      if (this.pub.status !== 'ready' || this.sub.status !== 'ready') {
        this.degrade();
        return;
      }
      // (Re)subscribe after a reconnect; ioredis usually does it, this is idempotent.
      await this.sub.subscribe(this.channel(this.selfId));
      const p = this.cfg.redisPrefix;
      const [, , members] = await Promise.all([
        this.pub.set(`${p}hb:${this.selfId}`, '1', 'PX', this.cfg.nodeTimeoutMs),
        this.pub.sadd(`${p}nodes`, this.selfId),
        this.pub.smembers(`${p}nodes`),
      ]);
      const alive = members.length ? await this.pub.mget(...members.map((m) => `${p}hb:${m}`)) : [];
      const live: string[] = [];
      const dead: string[] = [];
      members.forEach((m, i) => (alive[i] === null ? dead : live).push(m));
      if (dead.length) await this.pub.srem(`${p}nodes`, ...dead);
      if (!live.includes(this.selfId)) live.push(this.selfId);
      live.sort();
      this.heartbeatOk = true;
      this.setLive(live);
    } catch {
      this.degrade();
    } finally {
      this.beating = false;
    }
  }

  private degrade(): void {
    this.heartbeatOk = false;
    this.setLive([this.selfId]);
  }

  private setLive(live: string[]): void {
    if (live.length === this.live.length && live.every((n, i) => n === this.live[i])) return;
    this.live = live;
    this.onMembership(live);
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.timer) clearInterval(this.timer);
    this.flush();
    try {
      if (this.pub.status === 'ready') {
        await this.pub.del(`${this.cfg.redisPrefix}hb:${this.selfId}`);
        await this.pub.srem(`${this.cfg.redisPrefix}nodes`, this.selfId);
      }
    } catch {
      // Redis may be gone already; the heartbeat key expires by itself.
    }
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
