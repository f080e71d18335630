import { SwarmcastError } from '../errors.js';

/** A setting or option was rejected (`type` 'invalid-settings'); the message names the key and what it accepts. */
export class SettingsError extends SwarmcastError {
  constructor(message: string) {
    super('invalid-settings', message);
    this.name = 'SettingsError';
  }
}
