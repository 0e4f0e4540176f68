import type { Credentials } from './sigv4.js';

const KEY = 's3scribe.console.credentials';
const DEFAULTS: Credentials = { accessKeyId: 'test', secretAccessKey: 'test', region: 'us-east-1' };

/** The credentials the console signs with, remembered in this browser's localStorage. */
export function loadCredentials(): Credentials {
  try {
    return { ...DEFAULTS, ...JSON.parse(localStorage.getItem(KEY) ?? '{}') };
  } catch {
    return { ...DEFAULTS };
  }
}

export function saveCredentials(c: Credentials): void {
  localStorage.setItem(KEY, JSON.stringify(c));
}
