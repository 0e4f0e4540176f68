import type { AccessLogPipeline } from '../logging/index.js';
import type { Storage } from '../storage/storage.js';
import type { RequestContext } from './kit/context.js';

type PromClient = typeof import('prom-client');
type Labels = Record<string, string | number>;
interface Sample {
  labels: Labels;
  value: number;
  metricName?: string;
}
interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  samples: () => Sample[];
}

/** Seconds; the upper bounds of the request duration histogram. */
const DURATION_BOUNDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/**
 * GET /_s3scribe/metrics in Prometheus text format. Each request only bumps a few numbers here;
 * prom-client (about 100 ms to load, so never at start) is loaded at the first scrape and renders
 * these numbers with its own process metrics.
 */
export class ServerMetrics {
  private readonly requests = new Map<string, number>();
  private readonly durations = new Map<string, { buckets: number[]; sum: number; count: number }>();
  private bytesIn = 0;
  private bytesOut = 0;
  private registry?: Promise<InstanceType<PromClient['Registry']>>;

  constructor(
    private readonly pipeline: AccessLogPipeline,
    private readonly storage: Storage,
  ) {}

  /** Called once per finished request. */
  observe(ctx: RequestContext): void {
    const operation = ctx.operation || 'UNKNOWN';
    const key = `${operation}\t${ctx.status ?? '-'}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    if (ctx.endHr !== undefined) {
      const seconds = Number(ctx.endHr - ctx.startHr) / 1e9;
      let d = this.durations.get(operation);
      if (!d) {
        d = { buckets: DURATION_BOUNDS.map(() => 0), sum: 0, count: 0 };
        this.durations.set(operation, d);
      }
      for (let i = 0; i < DURATION_BOUNDS.length; i++) if (seconds <= DURATION_BOUNDS[i]!) d.buckets[i]!++;
      d.sum += seconds;
      d.count++;
    }
    this.bytesIn += ctx.contentLength;
    this.bytesOut += ctx.bytesSent;
  }

  async render(): Promise<{ contentType: string; body: string }> {
    this.registry ??= this.build();
    const registry = await this.registry;
    return { contentType: registry.contentType, body: await registry.metrics() };
  }

  private async build(): Promise<InstanceType<PromClient['Registry']>> {
    const prom = await import('prom-client');
    const registry = new prom.Registry();
    prom.collectDefaultMetrics({ register: registry, prefix: 's3scribe_' });
    for (const family of this.families()) {
      registry.registerMetric({
        name: family.name,
        help: family.help,
        type: family.type,
        aggregator: 'sum',
        get: async () => ({
          name: family.name,
          help: family.help,
          type: family.type,
          aggregator: 'sum',
          values: family.samples(),
        }),
      } as never);
    }
    return registry;
  }

  private families(): Family[] {
    const { pipeline, storage } = this;
    const one = (value: number): Sample[] => [{ labels: {}, value }];
    const usage = (pick: (u: { objects: number; bytes: number }) => number) => () =>
      storage.bucketUsage().map((u) => ({ labels: { bucket: u.bucket }, value: pick(u) }));
    return [
      {
        name: 's3scribe_requests_total',
        help: 'Requests answered, by access-log operation and HTTP status',
        type: 'counter',
        samples: () =>
          [...this.requests].map(([key, value]) => {
            const [operation, status] = key.split('\t') as [string, string];
            return { labels: { operation, status }, value };
          }),
      },
      {
        name: 's3scribe_request_duration_seconds',
        help: 'First request byte to last response byte (the access log Total Time)',
        type: 'histogram',
        samples: () =>
          [...this.durations].flatMap(([operation, d]): Sample[] => [
            ...DURATION_BOUNDS.map((le, i) => ({
              labels: { operation, le },
              value: d.buckets[i]!,
              metricName: 's3scribe_request_duration_seconds_bucket',
            })),
            {
              labels: { operation, le: '+Inf' },
              value: d.count,
              metricName: 's3scribe_request_duration_seconds_bucket',
            },
            { labels: { operation }, value: d.sum, metricName: 's3scribe_request_duration_seconds_sum' },
            { labels: { operation }, value: d.count, metricName: 's3scribe_request_duration_seconds_count' },
          ]),
      },
      {
        name: 's3scribe_received_bytes_total',
        help: 'Request body bytes (Content-Length)',
        type: 'counter',
        samples: () => one(this.bytesIn),
      },
      {
        name: 's3scribe_sent_bytes_total',
        help: 'Response body bytes written',
        type: 'counter',
        samples: () => one(this.bytesOut),
      },
      {
        name: 's3scribe_access_log_records_captured_total',
        help: 'Access-log records spooled for delivery',
        type: 'counter',
        samples: () => one(pipeline.counts.captured),
      },
      {
        name: 's3scribe_access_log_records_delivered_total',
        help: 'Access-log records delivered in log objects',
        type: 'counter',
        samples: () => one(pipeline.counts.delivered),
      },
      {
        name: 's3scribe_access_log_objects_delivered_total',
        help: 'Log objects written into target buckets',
        type: 'counter',
        samples: () => one(pipeline.counts.deliveredObjects),
      },
      {
        name: 's3scribe_access_log_delivery_failures_total',
        help: 'Deliveries that failed (their records stay spooled and are retried)',
        type: 'counter',
        samples: () => one(pipeline.counts.deliveryFailures),
      },
      {
        name: 's3scribe_access_log_records_pending',
        help: 'Records spooled and waiting for their batch to be delivered',
        type: 'gauge',
        samples: () => one(pipeline.pending().records),
      },
      {
        name: 's3scribe_access_log_spool_bytes',
        help: 'Bytes of the pending records in the spool',
        type: 'gauge',
        samples: () => one(pipeline.pending().bytes),
      },
      {
        name: 's3scribe_live_tail_subscribers',
        help: 'Open live-tail streams',
        type: 'gauge',
        samples: () => one(pipeline.tail.subscriberCount),
      },
      {
        name: 's3scribe_live_tail_dropped_total',
        help: 'Live-tail events dropped because their subscriber was behind',
        type: 'counter',
        samples: () => one(pipeline.tail.droppedTotal),
      },
      {
        name: 's3scribe_bucket_objects',
        help: 'Current objects per bucket (buckets listed or written since start)',
        type: 'gauge',
        samples: usage((u) => u.objects),
      },
      {
        name: 's3scribe_bucket_bytes',
        help: 'Bytes of current objects per bucket (buckets listed or written since start)',
        type: 'gauge',
        samples: usage((u) => u.bytes),
      },
    ];
  }
}
