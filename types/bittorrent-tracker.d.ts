/**
 * The parts of bittorrent-tracker@10.0.12 that tests, benchmarks and the demo use (it ships no types).
 * Shared by everyone: extend this file rather than declaring the module again elsewhere.
 */
declare module 'bittorrent-tracker' {
  import type { EventEmitter } from 'node:events';
  import type { AddressInfo } from 'node:net';

  /** The simple-peer instance the client emits on 'peer'. */
  export interface SimplePeer extends EventEmitter {
    id: string;
    connected: boolean;
    send(data: string | Uint8Array): void;
    destroy(): void;
  }

  export interface ServerOptions {
    udp?: boolean;
    http?: boolean;
    ws?: boolean | Record<string, unknown>;
    stats?: boolean;
    trustProxy?: boolean;
    interval?: number;
    filter?: (infoHash: string, params: unknown, cb: (err: Error | null) => void) => void;
  }

  export class Server extends EventEmitter {
    constructor(options?: ServerOptions);
    listen(port?: number, hostname?: string, onlistening?: () => void): void;
    close(cb?: (err?: Error | null) => void): void;
    torrents: Record<string, { complete: number; incomplete: number; peers: { keys: string[] } }>;
    ws: {
      address(): AddressInfo;
      clients?: Set<{ terminate(): void }>;
      on(event: 'connection', listener: () => void): unknown;
    } | null;
    http: import('node:http').Server | null;
  }

  export interface ClientOptions {
    infoHash: string | Uint8Array;
    peerId: string | Uint8Array;
    announce: string | string[];
    port?: number;
    wrtc?: unknown;
    rtcConfig?: Record<string, unknown>;
    getAnnounceOpts?: () => Record<string, unknown>;
  }

  export class Client extends EventEmitter {
    constructor(options: ClientOptions);
    start(opts?: Record<string, unknown>): void;
    stop(opts?: Record<string, unknown>): void;
    complete(opts?: Record<string, unknown>): void;
    update(opts?: Record<string, unknown>): void;
    scrape(opts?: Record<string, unknown>): void;
    destroy(cb?: () => void): void;
  }

  export default Client;
}
