import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface TlsFiles {
  cert: string;
  key: string;
  /** The certificate clients should trust (printed at start). */
  certPath: string;
}

/**
 * The certificate and key HTTPS serves: the configured PEM files, or a self-signed certificate
 * for localhost and 127.0.0.1 made once into the data directory and reused on every start, so a
 * client can trust it once (`aws --ca-bundle <data-dir>/tls/localhost.crt`).
 */
export async function tlsFiles(dataDir: string, certFile?: string, keyFile?: string): Promise<TlsFiles> {
  if (certFile !== undefined || keyFile !== undefined) {
    if (certFile === undefined || keyFile === undefined) throw new Error('--tls-cert and --tls-key go together');
    return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8'), certPath: certFile };
  }
  const dir = join(dataDir, 'tls');
  const certPath = join(dir, 'localhost.crt');
  const keyPath = join(dir, 'localhost.key');
  const existing = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]).catch(() => undefined);
  if (existing) return { cert: existing[0], key: existing[1], certPath };
  // Loaded only when a certificate has to be made: its WebCrypto stack costs start time.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    notAfterDate: new Date(Date.now() + 3650 * 24 * 3600 * 1000),
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 2, value: '*.localhost' },
          { type: 2, value: '*.s3.localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  await mkdir(dir, { recursive: true });
  await writeFile(keyPath, pems.private, { mode: 0o600 });
  await writeFile(certPath, pems.cert);
  return { cert: pems.cert, key: pems.private, certPath };
}
