import { randomId } from './ids.js';
import type { Peer } from './peer.js';
import { createAnswer, createOffer, isSdp, type Sdp } from './signalling.js';
import type { TrackerMessage, TrackerSocket, TrackerUser } from './tracker-client.js';

export const OFFER_TTL_MS = 50_000;
/** Answers being built at once; a burst of relayed offers must not spawn unbounded RTCPeerConnections. */
export const MAX_CONCURRENT_ANSWERS = 4;
/**
 * Relayed offers waiting for an answer slot. Several viewers joining at once used to lose their connection to us
 * until the next announce; beyond this many the oldest is dropped (its offerer's other offers still stand).
 */
export const MAX_QUEUED_OFFERS = 32;
/** Announce interval until the tracker tells its own. */
export const DEFAULT_ANNOUNCE_INTERVAL_MS = 30_000;
/**
 * First delay before announcing again when the tracker counts other viewers but we have no peer at all: a relayed
 * offer can fail (a handshake lost on a busy machine, a NAT) and the tracker's interval (2 min on ours) is too long
 * to play without peers. Doubles on each retry that still finds nobody, up to the tracker's interval.
 */
export const STARVED_RETRY_MIN_MS = 4_000;
/**
 * First delay before announcing again after the tracker refused one of our announces (rate limited, our peer id
 * still bound to a socket of ours it has not seen close, full): doubles with each refusal in a row, up to the
 * tracker's interval, with jitter so the viewers refused together do not come back together.
 */
export const REFUSED_RETRY_MIN_MS = 5_000;

export interface ConnectorHost {
  readonly peerId: string;
  readonly rtcConfig: RTCConfiguration;
  readonly RTCPeerConnection: typeof RTCPeerConnection;
  readonly random: () => number;
  /** How many new offers the swarm wants now (free peer slots minus connections already under way). */
  wantedOffers(): number;
  /** Whether a connection to `remoteId` may be started or completed now. */
  accepts(remoteId: string): boolean;
  /**
   * `remoteId` answered our offer while the connection it offered us is still handshaking: the two offers
   * crossed. Both sides keep the one initiated by the lower peer id; returns whether that is ours (the other
   * side's is then closed, freeing its slot).
   */
  settleCrossedOffers(remoteId: string): boolean;
  /** Resolves in a later task (see next-task.ts); offers are made one per task. */
  nextTask(): Promise<void>;
  /** Peers connected or completing their handshake (offers still unanswered excluded). */
  peerCount(): number;
  /** Registers a connection still completing its handshake. */
  connect(remoteId: string, initiatorId: string, pc: RTCPeerConnection): Peer;
  onTrackerProblem(url: string, kind: 'error' | 'warning', message: string): void;
}

interface PendingOffer {
  pc: RTCPeerConnection;
  channel: RTCDataChannel;
  timer: ReturnType<typeof setTimeout>;
}

interface Announcing {
  timer?: ReturnType<typeof setTimeout>;
  busy?: boolean;
  intervalMs?: number;
  minIntervalMs?: number;
  /** Checks, after an announce, for too few peers for the others counted; see `checkPeersLater`. */
  peerCheckTimer?: ReturnType<typeof setTimeout>;
  peerCheckRetries?: number;
  /** `started` went out without offers; the response's counts say how many to make. */
  probing?: boolean;
  /** Refusals from the tracker since its last announce response. */
  refusals?: number;
  /** Other viewers the tracker counted in its last response; undefined if it gave no counts. */
  others?: number;
  /**
   * The count our last offers were capped to. The tracker relays them among everyone there by then, so viewers
   * joining while we made them may have got none, and they may have counted too few to offer to us.
   */
  offersCappedAt?: number;
}

interface RelayedOffer {
  tracker: TrackerSocket;
  from: string;
  offerId: string;
  offer: Sdp;
}

/** One swarm's signalling over all its trackers: announces, our offers, and answers to relayed offers. */
export class Connector implements TrackerUser {
  private readonly offers = new Map<string, PendingOffer>();
  private readonly state = new Map<TrackerSocket, Announcing>();
  private destroyed = false;
  private answering = 0;
  private readonly waitingOffers: RelayedOffer[] = [];

  constructor(
    readonly infoHashBinary: string,
    private readonly host: ConnectorHost,
    private readonly trackers: readonly TrackerSocket[],
  ) {
    for (const t of trackers) t.add(this);
  }

  private isDestroyed(): boolean {
    return this.destroyed;
  }

  get pendingOffers(): number {
    return this.offers.size;
  }

  /** Every tracker counted nobody else in its last response. */
  get alone(): boolean {
    return this.trackers.every((t) => this.state.get(t)?.others === 0);
  }

  /** The most other viewers any tracker counted in its last response (trackers may each see part of the swarm). */
  get othersCounted(): number | undefined {
    const counts = this.trackers.map((t) => this.state.get(t)?.others).filter((n) => n !== undefined);
    return counts.length > 0 ? Math.max(...counts) : undefined;
  }

  onTrackerOpen(tracker: TrackerSocket): void {
    void this.announce(tracker, 'started');
  }

  onTrackerProblem(url: string, kind: 'error' | 'warning', message: string): void {
    this.host.onTrackerProblem(url, kind, message);
  }

  /** The tracker refused something of ours: announce again after a growing delay instead of a whole interval. */
  onTrackerFailure(tracker: TrackerSocket, _reason: string): void {
    if (this.destroyed) return;
    const s = this.stateOf(tracker);
    const refusals = (s.refusals = (s.refusals ?? 0) + 1);
    const capMs = s.intervalMs ?? DEFAULT_ANNOUNCE_INTERVAL_MS;
    const delayMs = Math.min(capMs, REFUSED_RETRY_MIN_MS * 2 ** (refusals - 1)) * (0.5 + 0.5 * this.host.random());
    const rejoin = s.probing === true;
    clearTimeout(s.timer);
    s.timer = setTimeout(() => void this.announce(tracker, rejoin ? 'started' : undefined), delayMs);
  }

  onTrackerMessage(tracker: TrackerSocket, m: TrackerMessage): void {
    const from = m.peer_id;
    const offerId = m.offer_id;
    if (typeof from === 'string' && from.length === 20 && typeof offerId === 'string') {
      if (isSdp(m.offer, 'offer')) this.queueAnswer({ tracker, from, offerId, offer: m.offer });
      else if (isSdp(m.answer, 'answer')) this.accept(from, offerId, m.answer);
      return;
    }
    const s = this.stateOf(tracker);
    const interval = Number(m.interval);
    if (interval > 0) {
      s.refusals = 0;
      const min = Number(m['min interval']) || 0;
      s.intervalMs = Math.min(3600, Math.max(1, interval, min)) * 1000;
      s.minIntervalMs = Math.min(3600, Math.max(0, min)) * 1000;
      this.schedule(tracker, s.intervalMs);
    }
    // The tracker's counts include us.
    const counted = typeof m.complete === 'number' || typeof m.incomplete === 'number';
    const others = counted ? Math.max(0, (Number(m.complete) || 0) + (Number(m.incomplete) || 0) - 1) : undefined;
    if (counted || interval > 0) s.others = others;
    if (s.probing) {
      s.probing = false;
      if (others !== 0) void this.announce(tracker);
    }
    // Everyone else gone: nobody to retry for.
    if (others === 0) clearTimeout(s.peerCheckTimer);
    else if (others !== undefined) this.checkPeersLater(tracker);
  }

  private stateOf(tracker: TrackerSocket): Announcing {
    const s = this.state.get(tracker) ?? {};
    this.state.set(tracker, s);
    return s;
  }

  /**
   * Answers to our relayed offers arrive after the announce response, so whether anyone connected is judged a
   * little later. Still no peer then means every attempt failed, and waiting out the interval would play the
   * whole time from HTTP. Fewer peers than others counted, after offers capped to a smaller count, means viewers
   * joined alongside us and may never have been offered to (see `offersCappedAt`): once more, for the new count.
   */
  private checkPeersLater(tracker: TrackerSocket): void {
    const s = this.stateOf(tracker);
    clearTimeout(s.peerCheckTimer);
    const retries = s.peerCheckRetries ?? 0;
    const capMs = s.intervalMs ?? DEFAULT_ANNOUNCE_INTERVAL_MS;
    const delayMs = Math.max(s.minIntervalMs ?? 0, Math.min(capMs, STARVED_RETRY_MIN_MS * 2 ** retries));
    if (delayMs >= capMs) return; // the periodic announce comes as soon
    s.peerCheckTimer = setTimeout(() => {
      if (this.destroyed) return;
      const peers = this.host.peerCount();
      const others = s.others ?? 0;
      const missedJoiners = s.offersCappedAt !== undefined && others > s.offersCappedAt && peers < others;
      if (peers > 0 && !missedJoiners) {
        s.peerCheckRetries = 0;
        return;
      }
      s.peerCheckRetries = retries + 1;
      void this.announce(tracker);
    }, delayMs);
  }

  private schedule(tracker: TrackerSocket, ms: number): void {
    const s = this.stateOf(tracker);
    clearTimeout(s.timer);
    s.timer = setTimeout(() => void this.announce(tracker), ms);
  }

  private async announce(tracker: TrackerSocket, event?: 'started'): Promise<void> {
    const s = this.stateOf(tracker);
    // Offers made while the socket is down would only expire; reconnecting announces again.
    if (s.busy || this.destroyed || !tracker.open) return;
    this.schedule(tracker, s.intervalMs ?? DEFAULT_ANNOUNCE_INTERVAL_MS);
    if (event === 'started') {
      // Join without offers first: the response says how many others there are. Offers beyond that are never
      // relayed, yet each costs its RTCPeerConnection (~50 ms of a starting player's main thread on a loaded
      // machine) and is held for 50 s; in a swarm of 3, 8 of 10 were wasted. One extra tracker round trip.
      s.probing = true;
      this.send(tracker, { numwant: 0, event, offers: [] });
      return;
    }
    s.busy = true;
    const offers: { offer: unknown; offer_id: string }[] = [];
    // Setting up a peer connection blocks the main thread (a few ms idle, ~50 ms on a loaded machine). Ten at once
    // held a newcomer's page for up to half a second while its player processed the first segment, so each gets a
    // task of its own, after the page's queued work (announces come from WebSocket and timer tasks).
    const making: ReturnType<typeof createOffer>[] = [];
    const wantedByHost = this.host.wantedOffers();
    s.offersCappedAt = s.others !== undefined && s.others < wantedByHost ? s.others : undefined;
    const wanted = Math.max(0, Math.min(wantedByHost, s.others ?? Infinity));
    for (let i = 0; i < wanted; i++) {
      await this.host.nextTask();
      if (this.isDestroyed()) break;
      making.push(createOffer(this.host.RTCPeerConnection, this.host.rtcConfig));
    }
    const made = await Promise.allSettled(making);
    s.busy = false;
    // Re-read after the await: destroy() may have run meanwhile.
    const destroyed = this.isDestroyed();
    for (const r of made) {
      if (r.status !== 'fulfilled') continue;
      if (destroyed) {
        r.value.pc.close();
        continue;
      }
      const id = randomId(this.host.random);
      const { pc, channel } = r.value;
      const timer = setTimeout(() => {
        this.offers.delete(id);
        pc.close();
      }, OFFER_TTL_MS);
      this.offers.set(id, { pc, channel, timer });
      offers.push({ offer: r.value.offer, offer_id: id });
    }
    if (destroyed) return;
    this.send(tracker, { numwant: offers.length, offers });
  }

  private send(tracker: TrackerSocket, fields: TrackerMessage): void {
    tracker.send({
      action: 'announce',
      info_hash: this.infoHashBinary,
      peer_id: this.host.peerId,
      uploaded: 0,
      downloaded: 0,
      left: 1,
      ...fields,
    });
  }

  private queueAnswer(relayed: RelayedOffer): void {
    if (!this.host.accepts(relayed.from)) return;
    // One waiting offer per offerer: a newer one replaces it (the older may already have expired there).
    const same = this.waitingOffers.findIndex((o) => o.from === relayed.from);
    if (same >= 0) this.waitingOffers.splice(same, 1);
    else if (this.waitingOffers.length >= MAX_QUEUED_OFFERS) this.waitingOffers.shift();
    this.waitingOffers.push(relayed);
    this.answerNextWaiting();
  }

  private answerNextWaiting(): void {
    while (!this.destroyed && this.answering < MAX_CONCURRENT_ANSWERS) {
      const next = this.waitingOffers.shift();
      if (!next) return;
      if (next.tracker.open && this.host.accepts(next.from)) void this.answer(next);
    }
  }

  private async answer({ tracker, from, offerId, offer }: RelayedOffer): Promise<void> {
    this.answering++;
    let peer: Peer | undefined;
    let early: RTCDataChannel | undefined;
    try {
      // Like offers, after the page's queued work: the relayed offer arrives in a WebSocket task of its own.
      await this.host.nextTask();
      if (this.isDestroyed() || !this.host.accepts(from)) return;
      const { pc, answer } = await createAnswer(this.host.RTCPeerConnection, this.host.rtcConfig, offer, (ch) =>
        peer ? peer.attach(ch) : (early = ch),
      );
      if (this.isDestroyed() || !this.host.accepts(from)) {
        pc.close();
        return;
      }
      peer = this.host.connect(from, from, pc);
      if (early) peer.attach(early);
      this.send(tracker, { to_peer_id: from, answer, offer_id: offerId });
    } catch (e) {
      this.host.onTrackerProblem(tracker.url, 'warning', `cannot answer offer: ${String(e)}`);
    } finally {
      this.answering--;
      this.answerNextWaiting();
    }
  }

  private accept(from: string, offerId: string, answer: Sdp): void {
    const offer = this.offers.get(offerId);
    if (!offer) return;
    this.offers.delete(offerId);
    clearTimeout(offer.timer);
    // Settled before the capacity check: at maxPeers 1 each side's handshaking answer filled its only slot, both
    // refused the other's answer, and the two connections left both sides waiting out the connect timeout.
    if (!this.host.settleCrossedOffers(from) || !this.host.accepts(from)) {
      offer.pc.close();
      return;
    }
    const peer = this.host.connect(from, this.host.peerId, offer.pc);
    peer.attach(offer.channel);
    offer.pc.setRemoteDescription(answer).catch(() => peer.close('invalid answer'));
  }

  /** Sends `stopped` to every tracker and releases offers and timers. */
  destroy(): void {
    this.destroyed = true;
    this.waitingOffers.length = 0;
    for (const t of this.trackers) {
      this.send(t, { event: 'stopped', numwant: 0 });
      clearTimeout(this.state.get(t)?.timer);
      clearTimeout(this.state.get(t)?.peerCheckTimer);
      t.remove(this);
    }
    for (const o of this.offers.values()) {
      clearTimeout(o.timer);
      o.pc.close();
    }
    this.offers.clear();
  }
}
