/**
 * The page-wide part. Shaka's scheme plugins are static (one per scheme for the whole page) and never see the
 * request context, so a bound player's request filter tags each request it wants served by swarmcast with a
 * route (a symbol-keyed property on Shaka's request object), and this single http/https plugin serves tagged
 * requests through that route and hands everything else, untouched, to Shaka's own HTTP plugin.
 */
import type { ShakaNamespace, ShakaOperation, ShakaRequest, ShakaSchemePlugin } from './types.js';

/** `Symbol.for`, so two copies of this bundle on one page still understand each other's tags. */
export const ROUTE = Symbol.for('swarmcast.shaka.route');

export interface Route {
  /** Serves the request; may call `fallback()` to let Shaka's HTTP plugin do it after all. */
  serve(uri: string, request: ShakaRequest, requestType: number, fallback: () => ShakaOperation): ShakaOperation;
}

type Tagged = ShakaRequest & { [ROUTE]?: Route | undefined };

export function tag(request: ShakaRequest, route: Route | undefined): void {
  // Assigned, never deleted: Shaka may reuse the request object, and undefined reads as "not ours".
  (request as Tagged)[ROUTE] = route;
}

export function routeOf(request: ShakaRequest): Route | undefined {
  return (request as Tagged)[ROUTE];
}

/** NetworkingEngine classes (one per shaka copy on the page) we registered on. */
const registered = new WeakSet<object>();

/** Registers the http/https plugin on this shaka copy once; later calls are no-ops. */
export function registerSchemePlugin(shaka: ShakaNamespace): void {
  const NetworkingEngine = shaka.net.NetworkingEngine;
  if (registered.has(NetworkingEngine)) return;
  registered.add(NetworkingEngine);
  // Shaka's preferred HTTP plugin (fetch, else XHR) is what would have served these requests without us.
  const http = shaka.net.HttpFetchPlugin.isSupported() ? shaka.net.HttpFetchPlugin : shaka.net.HttpXHRPlugin;
  const plugin: ShakaSchemePlugin = (uri, request, requestType, progressUpdated, headersReceived, config) => {
    const fallback = (): ShakaOperation =>
      http.parse(uri, request, requestType, progressUpdated, headersReceived, config) as ShakaOperation;
    const route = routeOf(request);
    return route ? route.serve(uri, request, requestType, fallback) : fallback();
  };
  // progressSupport = true, as Shaka registers its own HTTP plugins: passed-through requests keep Shaka's
  // connection and stall timeouts. Routed requests never report progress (peer speed must not reach ABR), so
  // only the connection timeout applies to them; the engine answers (HTTP fallback) long before it.
  const priority = NetworkingEngine.PluginPriority.APPLICATION;
  NetworkingEngine.registerScheme('http', plugin, priority, true);
  NetworkingEngine.registerScheme('https', plugin, priority, true);
}
