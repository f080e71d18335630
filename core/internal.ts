/**
 * What the integrations share with core beyond the public API (core/index.ts): the config schema machinery their
 * options are defined with, and the settings merge they validate `core` with. Not a public contract and not a
 * package entry: it may change in any release.
 */
export { Schema, describeSpec, spec, type ConfigOf, type Spec } from './config/schema.js';
export { DYNAMIC_SETTING_KEYS, mergeSettings } from './settings.js';
export { defaultStorageBudgetBytes } from './storage/memory.js';
export { storageKey } from './storage/types.js';
