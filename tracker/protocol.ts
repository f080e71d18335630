/**
 * WebTorrent WebSocket tracker protocol: strict parsing of client messages and encoding of replies.
 * Ids (`info_hash`, `peer_id`, `to_peer_id`, `offer_id`) are 20-character latin1 strings (one code point
 * ≤ U+00FF per byte). Parse failures are data (`ParseError`) and always carry the `action` and, when it
 * was valid, the `info_hash` to echo: a reply without `action` makes the reference client drop its socket.
 */

export type AnnounceEvent = 'started' | 'stopped' | 'completed' | 'paused' | 'update';

export interface Offer {
  offerId: string;
  sdp: string;
}

export interface AnnounceRequest {
  kind: 'announce';
  infoHash: string;
  peerId: string;
  event: AnnounceEvent;
  /** `null` when the client left it out. */
  numwant: number | null;
  seeder: boolean;
  offers: Offer[];
}

export interface AnswerRequest {
  kind: 'answer';
  infoHash: string;
  peerId: string;
  toPeerId: string;
  offerId: string;
  sdp: string;
}

export interface ScrapeRequest {
  kind: 'scrape';
  infoHashes: string[];
}

export type TrackerRequest = AnnounceRequest | AnswerRequest | ScrapeRequest;

export interface ParseError {
  type: 'invalid';
  action: 'announce' | 'scrape';
  infoHash: string | null;
  reason: string;
}

export interface ParseLimits {
  maxOffersInMessage: number;
  maxScrapeHashes: number;
}

const EVENTS = new Set(['started', 'stopped', 'completed', 'paused', 'update']);

/** True for a 20-character string whose code points are all ≤ 0xFF. */
export function isId(v: unknown): v is string {
  if (typeof v !== 'string' || v.length !== 20) return false;
  for (let i = 0; i < 20; i++) if (v.charCodeAt(i) > 0xff) return false;
  return true;
}

export function idToHex(id: string): string {
  return Buffer.from(id, 'latin1').toString('hex');
}

export function hexToId(hex: string): string {
  return Buffer.from(hex, 'hex').toString('latin1');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(action: 'announce' | 'scrape', infoHash: unknown, reason: string): ParseError {
  return { type: 'invalid', action, infoHash: isId(infoHash) ? infoHash : null, reason };
}

function isOptionalNumberish(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'number' && !Number.isNaN(v)) || typeof v === 'string';
}

/** Parses one text frame. Never throws. */
export function parseRequest(text: string, limits: ParseLimits): TrackerRequest | ParseError {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return fail('announce', null, 'invalid JSON');
  }
  if (!isPlainObject(msg)) return fail('announce', null, 'message must be a JSON object');
  if (msg.action === 'scrape') return parseScrape(msg, limits);
  if (msg.action !== 'announce') return fail('announce', msg.info_hash, 'invalid action');

  const infoHash = msg.info_hash;
  if (!isId(infoHash)) return fail('announce', null, 'invalid info_hash');
  if (!isId(msg.peer_id)) return fail('announce', infoHash, 'invalid peer_id');
  const peerId = msg.peer_id;

  if (msg.answer !== undefined) {
    const answer = msg.answer;
    if (!isPlainObject(answer) || answer.type !== 'answer' || typeof answer.sdp !== 'string') {
      return fail('announce', infoHash, 'invalid answer');
    }
    if (!isId(msg.to_peer_id)) return fail('announce', infoHash, 'invalid to_peer_id');
    if (!isId(msg.offer_id)) return fail('announce', infoHash, 'invalid offer_id');
    return { kind: 'answer', infoHash, peerId, toPeerId: msg.to_peer_id, offerId: msg.offer_id, sdp: answer.sdp };
  }

  let event: AnnounceEvent = 'update';
  if (msg.event !== undefined && msg.event !== null && msg.event !== '') {
    if (typeof msg.event !== 'string' || !EVENTS.has(msg.event)) return fail('announce', infoHash, 'invalid event');
    event = msg.event as AnnounceEvent;
  }

  let numwant: number | null = null;
  if (msg.numwant !== undefined && msg.numwant !== null) {
    if (typeof msg.numwant !== 'number' || !Number.isFinite(msg.numwant) || msg.numwant < 0) {
      return fail('announce', infoHash, 'invalid numwant');
    }
    numwant = Math.floor(msg.numwant);
  }

  if (!isOptionalNumberish(msg.left) || !isOptionalNumberish(msg.uploaded) || !isOptionalNumberish(msg.downloaded)) {
    return fail('announce', infoHash, 'invalid left/uploaded/downloaded');
  }
  const left = msg.left === undefined || msg.left === null ? Infinity : Number(msg.left);
  const seeder = left === 0 || event === 'completed';

  const offers: Offer[] = [];
  if (msg.offers !== undefined && msg.offers !== null) {
    if (!Array.isArray(msg.offers)) return fail('announce', infoHash, 'invalid offers');
    if (msg.offers.length > limits.maxOffersInMessage) return fail('announce', infoHash, 'too many offers');
    for (const item of msg.offers as unknown[]) {
      if (!isPlainObject(item) || !isId(item.offer_id)) return fail('announce', infoHash, 'invalid offer');
      const offer = item.offer;
      if (!isPlainObject(offer) || offer.type !== 'offer' || typeof offer.sdp !== 'string') {
        return fail('announce', infoHash, 'invalid offer');
      }
      offers.push({ offerId: item.offer_id, sdp: offer.sdp });
    }
  }
  return { kind: 'announce', infoHash, peerId, event, numwant, seeder, offers };
}

function parseScrape(msg: Record<string, unknown>, limits: ParseLimits): ScrapeRequest | ParseError {
  const raw = msg.info_hash;
  if (raw === undefined || raw === null) return fail('scrape', null, 'full scrape is not supported');
  const list: unknown[] = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  if (list.length === 0) return fail('scrape', null, 'full scrape is not supported');
  if (list.length > limits.maxScrapeHashes) return fail('scrape', null, 'too many info_hashes');
  const infoHashes: string[] = [];
  for (const h of list) {
    if (!isId(h)) return fail('scrape', null, 'invalid info_hash');
    infoHashes.push(h);
  }
  return { kind: 'scrape', infoHashes };
}

export function isParseError(v: TrackerRequest | ParseError): v is ParseError {
  return !('kind' in v);
}

export function encodeError(action: 'announce' | 'scrape', infoHash: string | null, reason: string): string {
  const body: Record<string, string> = { action, 'failure reason': reason };
  if (infoHash !== null) body.info_hash = infoHash;
  return JSON.stringify(body);
}

export function encodeAnnounceResponse(
  infoHash: string,
  intervalSec: number,
  complete: number,
  incomplete: number,
): string {
  return JSON.stringify({ action: 'announce', interval: intervalSec, info_hash: infoHash, complete, incomplete });
}

/** Offer relays of one announce share their head (`info_hash`, `peer_id`): serialise it once. */
export function encodeOfferHead(infoHash: string, fromPeerId: string): string {
  return `{"action":"announce","info_hash":${JSON.stringify(infoHash)},"peer_id":${JSON.stringify(fromPeerId)}`;
}

/**
 * `{action, info_hash, peer_id, offer: {type, sdp}, offer_id, to_peer_id}`, byte-identical to JSON.stringify's
 * output. `to_peer_id` (the target) is ours: clients ignore unknown fields, and a socket pooling several peers
 * of one swarm can tell which of them should answer (only that one's answer is relayed).
 */
export function encodeOffer(head: string, offer: Offer, toPeerId: string): string {
  return `${head},"offer":{"type":"offer","sdp":${JSON.stringify(offer.sdp)}},"offer_id":${JSON.stringify(offer.offerId)},"to_peer_id":${JSON.stringify(toPeerId)}}`;
}

export function encodeAnswer(req: AnswerRequest): string {
  return JSON.stringify({
    action: 'announce',
    info_hash: req.infoHash,
    peer_id: req.peerId,
    answer: { type: 'answer', sdp: req.sdp },
    offer_id: req.offerId,
  });
}

export interface ScrapeFile {
  complete: number;
  incomplete: number;
  downloaded: number;
}

export function encodeScrape(files: Record<string, ScrapeFile>): string {
  return JSON.stringify({ action: 'scrape', files });
}

/**
 * The `info_hash` of a message without parsing all of it (a rate-limited one: its error reply should name
 * the swarm, and parsing 64 KiB per refused frame would make refusing cost as much as serving). Null when
 * there is none or it is not a valid id.
 */
export function peekInfoHash(text: string): string | null {
  const at = text.indexOf('"info_hash"');
  if (at < 0) return null;
  let i = at + 11;
  while (text[i] === ' ' || text[i] === ':' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r') i++;
  if (text[i] !== '"') return null;
  // An id is 20 code points; escaped (\u00XX) it takes at most 120 characters.
  const end = Math.min(text.length, i + 130);
  for (let j = i + 1; j < end; j++) {
    if (text[j] === '\\') {
      j++;
      continue;
    }
    if (text[j] !== '"') continue;
    try {
      const v: unknown = JSON.parse(text.slice(i, j + 1));
      return isId(v) ? v : null;
    } catch {
      return null;
    }
  }
  return null;
}
