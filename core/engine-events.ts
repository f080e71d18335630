import type { SwarmcastError } from './errors.js';
import type { SegmentSource } from './types.js';

/** Typed event map of the engine. Listeners that throw are isolated (reported as `listener-error`). */
export interface EngineEvents {
  'segment-loaded': (e: {
    streamId: string;
    segmentId: string;
    source: SegmentSource;
    peerId?: string;
    bytes: number;
    /** Bytes of the segment that came from peers (the rest came over HTTP); 0 for cache deliveries. */
    p2pBytes?: number;
    durationMs: number;
  }) => void;
  'segment-error': (e: { streamId: string; segmentId: string; error: SwarmcastError }) => void;
  /** The player aborted its request (signal). */
  'segment-abort': (e: { streamId: string; segmentId: string }) => void;
  'peer-connect': (e: { swarmKey: string; peerId: string }) => void;
  'peer-close': (e: { swarmKey: string; peerId: string; reason: string }) => void;
  /** A peer was turned away at handshake (incompatible protocol version: see SWARM_KEY_VERSION / PROTOCOL.md). */
  'peer-refused': (e: { swarmKey: string; peerId: string; reason: string }) => void;
  /**
   * A transfer from a peer failed (`error.type`: peer-absent, peer-closed, peer-protocol-error); the engine went on
   * with HTTP or another peer.
   */
  'peer-error': (e: { swarmKey: string; peerId: string; segmentId: string; error: SwarmcastError }) => void;
  /**
   * A peer sent bytes that failed a check (size, the validator, or the origin's hash list / spot check) and was
   * banned from the swarm; the segment came over HTTP and the bytes were never used. Once per peer per swarm: at
   * the ban, whatever else that peer had sent or was sending us is thrown away and fetched again without a verdict.
   */
  'peer-banned': (e: { swarmKey: string; peerId: string; segmentId: string; reason: string }) => void;
  'bytes-downloaded': (e: { source: 'http' | 'p2p'; bytes: number; peerId?: string }) => void;
  'bytes-uploaded': (e: { peerId: string; bytes: number }) => void;
  'tracker-error': (e: { trackerUrl: string; message: string }) => void;
  'tracker-warning': (e: { trackerUrl: string; message: string }) => void;
  /** Non-fatal engine problems (P2P unavailable, storage failure). */
  warning: (e: { message: string }) => void;
  'listener-error': (e: { event: string; error: unknown }) => void;
}
