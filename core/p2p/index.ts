export { createP2PNetwork, PROTOCOL_VERSION, type P2PNetworkInternals } from './network.js';
export { infoHashFromSwarmKey, toHex } from './ids.js';
export type * from './types.js';
