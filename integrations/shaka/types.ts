/**
 * Shaka types (type-only: nothing here imports shaka-player at runtime, so the UMD bundle works with the page's
 * `shaka` global and ESM users pass their own copy) plus the slice of the engine this integration talks to.
 */
import type * as shakaModule from 'shaka-player';

// shaka-player's typings are `export default shaka` in a CommonJS package. A default import is the namespace under
// `bundler` resolution but the whole module under `node16`/`nodenext`; a namespace import's `.default` is the
// namespace under all three, so these declarations compile in every consumer setup without skipLibCheck.
/** The namespace value (`shaka`): one `.default` deep under `bundler`, two under `node16` (the CommonJS wrapper). */
type Unwrap<M> = M extends { Player: unknown } ? M : M extends { default: infer D } ? Unwrap<D> : never;
export type ShakaNamespace = Unwrap<typeof shakaModule>;
export type ShakaPlayer = shakaModule.default.Player;
export type ShakaStream = shakaModule.default.extern.Stream;
export type ShakaVariant = shakaModule.default.extern.Variant;
export type ShakaManifest = shakaModule.default.extern.Manifest;
export type ShakaRequest = shakaModule.default.extern.Request;
export type ShakaResponse = shakaModule.default.extern.Response;
export type ShakaRequestContext = shakaModule.default.extern.RequestContext;
export type ShakaSegmentReference = shakaModule.default.media.SegmentReference;
export type ShakaSchemePlugin = shakaModule.default.extern.SchemePlugin;
export type ShakaProgressUpdated = shakaModule.default.extern.ProgressUpdated;
export type ShakaHeadersReceived = shakaModule.default.extern.HeadersReceived;
export type ShakaRequestType = shakaModule.default.net.NetworkingEngine.RequestType;
export type ShakaOperation = shakaModule.default.extern.IAbortableOperation<ShakaResponse>;

export type { EngineLike } from '../common/playback.js';
