/**
 * What the integrations share with core beyond the public API (core/index.ts): the config schema machinery their
 * options are defined with. Not a public contract: it may change in any release.
 */
export { Schema, describeSpec, spec, type ConfigOf, type Spec } from './config/schema.js';
