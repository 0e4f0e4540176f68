import {
  AbstractStartedContainer,
  GenericContainer,
  Wait,
  type StartedTestContainer,
  type StopOptions,
  type StoppedTestContainer,
} from 'testcontainers';

export const S3SCRIBE_PORT = 4569;
export const S3SCRIBE_HTTPS_PORT = 4570;
/** Where the image's self-signed certificate is made (in the `/data` volume, kept across restarts). */
const CERTIFICATE_PATH = '/data/tls/localhost.crt';

export interface S3ScribeIdentity {
  accessKeyId: string;
  secretAccessKey?: string;
  accountId?: string;
  canonicalId?: string;
  displayName?: string;
  arn?: string;
}

/** Config ready to spread into `new S3Client({...})`. */
export interface S3ScribeConnectionConfig {
  endpoint: string;
  region: string;
  forcePathStyle: boolean;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/**
 * s3scribe in a container for integration tests, like `@testcontainers/minio` for MinIO:
 * `const c = await new S3ScribeContainer().withFlushInterval('1s').start()`.
 */
export class S3ScribeContainer extends GenericContainer {
  private readonly identities: S3ScribeIdentity[] = [];
  private region = 'us-east-1';
  private https = false;

  constructor(image = 's3scribe:latest') {
    super(image);
    this.withExposedPorts(S3SCRIBE_PORT)
      .withWaitStrategy(Wait.forHttp('/_s3scribe/health', S3SCRIBE_PORT).forStatusCode(200))
      .withStartupTimeout(60_000);
  }

  /** Delay before an access-log batch is delivered: `'5s'`, `'500ms'` or a number of milliseconds. */
  withFlushInterval(interval: string | number): this {
    return this.withEnvironment({
      S3SCRIBE_LOG_FLUSH_INTERVAL: typeof interval === 'number' ? `${interval}ms` : interval,
    });
  }

  /** Adds an identity (access key → secret, account, canonical id, ARN); the first one is the client's. */
  withIdentity(identity: S3ScribeIdentity): this {
    this.identities.push(identity);
    return this.withEnvironment({ S3SCRIBE_IDENTITIES: JSON.stringify(this.identities) });
  }

  /** Checks every signature against the identities' secrets, as S3 does (each identity needs one). */
  withSignatureVerification(): this {
    return this.withEnvironment({ S3SCRIBE_VERIFY_SIGNATURES: 'true' });
  }

  /**
   * Also serves HTTPS (port 4570 in the container) with a self-signed localhost certificate;
   * `getHttpsEndpoint()` and `getCaCertificate()` give what a client needs to trust it.
   */
  withHttps(): this {
    this.https = true;
    return this.withExposedPorts(S3SCRIBE_PORT, S3SCRIBE_HTTPS_PORT).withEnvironment({
      S3SCRIBE_HTTPS_PORT: String(S3SCRIBE_HTTPS_PORT),
    });
  }

  withRegion(region: string): this {
    this.region = region;
    return this.withEnvironment({ S3SCRIBE_REGION: region });
  }

  withInitialBuckets(...buckets: string[]): this {
    return this.withEnvironment({ S3SCRIBE_INITIAL_BUCKETS: buckets.join(',') });
  }

  override async start(): Promise<StartedS3ScribeContainer> {
    return new StartedS3ScribeContainer(await super.start(), this.region, this.identities[0], this.https);
  }
}

export class StartedS3ScribeContainer extends AbstractStartedContainer {
  constructor(
    started: StartedTestContainer,
    private readonly region: string,
    private readonly identity?: S3ScribeIdentity,
    private readonly https = false,
  ) {
    super(started);
  }

  getEndpoint(): string {
    return `http://${this.getHost()}:${this.getMappedPort(S3SCRIBE_PORT)}`;
  }

  /** With `withHttps()`: the HTTPS endpoint (the certificate names `localhost` and `127.0.0.1`). */
  getHttpsEndpoint(): string {
    if (!this.https) throw new Error('HTTPS is off: start the container withHttps()');
    return `https://${this.getHost()}:${this.getMappedPort(S3SCRIBE_HTTPS_PORT)}`;
  }

  /** With `withHttps()`: the self-signed certificate (PEM) to trust, e.g. as an https.Agent's `ca`. */
  async getCaCertificate(): Promise<string> {
    if (!this.https) throw new Error('HTTPS is off: start the container withHttps()');
    const { output, exitCode } = await this.exec(['cat', CERTIFICATE_PATH]);
    if (exitCode !== 0) throw new Error(`cannot read ${CERTIFICATE_PATH}: ${output}`);
    return output;
  }

  getConnectionConfig(): S3ScribeConnectionConfig {
    const accessKeyId = this.identity?.accessKeyId ?? 's3scribe';
    return {
      endpoint: this.getEndpoint(),
      region: this.region,
      forcePathStyle: true,
      credentials: { accessKeyId, secretAccessKey: this.identity?.secretAccessKey ?? accessKeyId },
    };
  }

  /** Delivers every pending access-log record now. */
  async flushLogs(): Promise<{ records: number; objects: number }> {
    const res = await fetch(`${this.getEndpoint()}/_s3scribe/logs/flush`, {
      method: 'POST',
      headers: { 'x-s3scribe-admin': '1' },
    });
    if (!res.ok) throw new Error(`flush failed: HTTP ${res.status}`);
    return ((await res.json()) as { flushed: { records: number; objects: number } }).flushed;
  }

  /** Stops gracefully (SIGTERM, then up to 10 s) so pending access logs are delivered. */
  override async stop(options: Partial<StopOptions> = {}): Promise<StoppedTestContainer> {
    return super.stop({ timeout: 10_000, ...options });
  }
}
