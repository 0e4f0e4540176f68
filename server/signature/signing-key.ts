import { createHmac, hash } from 'node:crypto';

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

export const sha256Hex = (data: string | Buffer): string => hash('sha256', data);

/** SHA-256 of the empty string: the payload hash of a bodiless request and of each chunk's "previous data". */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * Derived keys live a day per scope; four HMACs saved per request matter on small requests. The
 * cache is cleared rather than grown when a flood of scopes (dates × regions × keys) arrives.
 */
const cache = new Map<string, Buffer>();
const MAX_CACHED = 1024;

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const id = `${secret}\n${date}\n${region}\n${service}`;
  let key = cache.get(id);
  if (!key) {
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(id, key);
  }
  return key;
}

export const signHex = (key: Buffer, stringToSign: string): string =>
  createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
