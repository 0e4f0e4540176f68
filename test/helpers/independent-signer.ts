import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** Node's SHA-256 / HMAC-SHA-256 in the shape the Smithy signer takes. */
class NodeSha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: string | Uint8Array) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(data: string | Uint8Array): void {
    this.h.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return this.h.digest();
  }
}

/**
 * The AWS SDK's own SigV4 signer, so the server is checked against an implementation that is
 * not its own. S3 signs the path as given (no double encoding).
 */
export function independentSigner(accessKeyId: string, secretAccessKey: string, region = 'us-east-1'): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId, secretAccessKey },
    region,
    service: 's3',
    sha256: NodeSha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
}

export const hmacHex = (key: Uint8Array | string, data: string): string =>
  createHmac('sha256', key).update(data).digest('hex');
export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
