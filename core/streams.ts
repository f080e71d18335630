import { contentIdFromUrl, renditionKey, swarmKey, type StreamType } from './ids.js';
import type { SegmentDescriptor, SegmentListOptions, StreamDescriptor } from './types.js';

/** One rendition / track of the current content, as the engine keeps it. */
export interface StreamState extends StreamDescriptor {
  readonly id: string;
  readonly swarmKey: string;
  /** The content it belongs to (integrity checks find the origin's hash list from it). */
  readonly content: Content;
  readonly segments: Map<string, SegmentDescriptor>;
  /** The segments by ascending start. */
  order: SegmentDescriptor[];
  live: boolean;
  /** When the stream stopped being active (Infinity while active, 0 = never active). */
  inactiveSinceMs: number;
}

/** The content being played, as the integration gave it to `setContent`. */
export interface Content {
  manifestUrl: string;
  /** Swarm id shared by every viewer of the content (default: the manifest URL without scheme and query). */
  swarmId?: string;
  /** The origin's hash list for this content (default: `segments-sha256.json` next to the manifest). */
  hashListUrl?: string;
}

/**
 * The content and its streams: content id, one stream per rendition key (adding the same rendition again returns
 * the same stream, so integrations need no lookup of their own), segment lists, and which stream of each type is
 * playing.
 */
export class Streams {
  private contentId = '';
  private content: Content = { manifestUrl: '' };
  private nextId = 1;
  private readonly byId = new Map<string, StreamState>();
  private readonly byRendition = new Map<string, string>();
  private readonly active = new Map<StreamType, string>();

  /** Sets the content id: `swarmId` if given (tokenised URLs), else the manifest URL without query. */
  setContent(content: Content): void {
    this.content = { ...content };
    this.byId.clear();
    this.byRendition.clear();
    this.active.clear();
    this.contentId = content.swarmId ?? contentIdFromUrl(content.manifestUrl);
  }

  /** The stream of this rendition: created on first sight, the same id afterwards. */
  add(stream: StreamDescriptor): string {
    const rendition = renditionKey(stream.type, stream.rendition);
    const known = this.byRendition.get(rendition);
    if (known !== undefined) return known;
    const id = String(this.nextId++);
    this.byRendition.set(rendition, id);
    this.byId.set(id, {
      ...stream,
      id,
      swarmKey: swarmKey(this.contentId, rendition),
      content: this.content,
      segments: new Map(),
      order: [],
      live: false,
      inactiveSinceMs: 0,
    });
    return id;
  }

  get(id: string): StreamState | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<StreamState> {
    return this.byId.values();
  }

  /** Adds / replaces segments; live: segments missing from the new list are forgotten. */
  update(id: string, segments: readonly SegmentDescriptor[], options: SegmentListOptions): StreamState | undefined {
    const st = this.byId.get(id);
    if (!st) return undefined;
    st.live = options.live;
    if (options.live) st.segments.clear();
    for (const seg of segments) st.segments.set(seg.id, seg);
    st.order = [...st.segments.values()].sort((a, b) => a.startSec - b.startSec);
    return st;
  }

  /** Marks the stream now playing (one per stream type); the previous one becomes inactive at `nowMs`. */
  setActive(id: string, nowMs: number): boolean {
    const st = this.byId.get(id);
    if (!st) return false;
    const prev = this.byId.get(this.active.get(st.type) ?? '');
    if (prev && prev !== st) prev.inactiveSinceMs = nowMs;
    this.active.set(st.type, id);
    st.inactiveSinceMs = Infinity;
    return true;
  }

  /** Swarm keys of the playing streams (storage eviction keeps what is ahead of the playhead there). */
  activeSwarmKeys(): string[] {
    const out: string[] = [];
    for (const id of this.active.values()) {
      const st = this.byId.get(id);
      if (st) out.push(st.swarmKey);
    }
    return out;
  }
}
