import {
  AbstractStartedContainer,
  GenericContainer,
  Wait,
  type StartedTestContainer,
  type StopOptions,
  type StoppedTestContainer,
} from 'testcontainers';

export const S3SCRIBE_PORT = 4569;

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

  /** Adds an identity (access key → account, canonical id, ARN); the first one is the client's. */
  withIdentity(identity: S3ScribeIdentity): this {
    this.identities.push(identity);
    const table = this.identities.map(({ secretAccessKey: _secret, ...rest }) => rest);
    return this.withEnvironment({ S3SCRIBE_IDENTITIES: JSON.stringify(table) });
  }

  withRegion(region: string): this {
    this.region = region;
    return this.withEnvironment({ S3SCRIBE_REGION: region });
  }

  withInitialBuckets(...buckets: string[]): this {
    return this.withEnvironment({ S3SCRIBE_INITIAL_BUCKETS: buckets.join(',') });
  }

  override async start(): Promise<StartedS3ScribeContainer> {
    return new StartedS3ScribeContainer(await super.start(), this.region, this.identities[0]);
  }
}

export class StartedS3ScribeContainer extends AbstractStartedContainer {
  constructor(
    started: StartedTestContainer,
    private readonly region: string,
    private readonly identity?: S3ScribeIdentity,
  ) {
    super(started);
  }

  getEndpoint(): string {
    return `http://${this.getHost()}:${this.getMappedPort(S3SCRIBE_PORT)}`;
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
