import type { AccessLogRecord } from './record.js';

/** What a subscriber wants to see; every given filter must match. */
export interface TailFilter {
  bucket?: string;
  /** Exact operation, or a prefix ending in `*` (`REST.GET.*`). */
  operation?: string;
  /** Exact status (`404`) or a class (`4xx`); comma-separated alternatives. */
  status?: string;
}

/** One record as the tail shows it: the delivered line and its fields. */
export interface TailEvent {
  line: string;
  record: AccessLogRecord;
  /** The bucket has logging on: this exact line goes into a log object. */
  delivered: boolean;
}

/**
 * Where a subscriber's events go. `write` returns false when the subscriber's buffer is full: the
 * event is then dropped and counted, so a slow or gone reader never slows requests or grows memory.
 */
export interface TailSink {
  write(event: TailEvent, droppedBefore: number): boolean;
}

interface Subscriber {
  filter: TailFilter;
  sink: TailSink;
  dropped: number;
}

function statusMatches(filter: string, status: number | undefined): boolean {
  if (status === undefined) return false;
  return filter.split(',').some((f) => {
    const t = f.trim().toLowerCase();
    return /^\dxx$/.test(t) ? Math.floor(status / 100) === Number(t[0]) : Number(t) === status;
  });
}

export function matchesTail(filter: TailFilter, record: AccessLogRecord): boolean {
  if (filter.bucket !== undefined && filter.bucket !== record.bucket) return false;
  if (filter.operation !== undefined) {
    const op = filter.operation;
    if (op.endsWith('*') ? !record.operation.startsWith(op.slice(0, -1)) : op !== record.operation) return false;
  }
  return filter.status === undefined || statusMatches(filter.status, record.httpStatus);
}

/** Fans access-log records out to live subscribers (the SSE stream, the console). */
export class LiveTail {
  private readonly subscribers = new Set<Subscriber>();
  /** Events not sent because a subscriber was behind, over the process's life. */
  droppedTotal = 0;

  get active(): boolean {
    return this.subscribers.size > 0;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Returns the unsubscribe function. */
  subscribe(filter: TailFilter, sink: TailSink): () => void {
    const subscriber: Subscriber = { filter, sink, dropped: 0 };
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  publish(event: TailEvent): void {
    for (const s of this.subscribers) {
      if (!matchesTail(s.filter, event.record)) continue;
      if (s.sink.write(event, s.dropped)) s.dropped = 0;
      else {
        s.dropped++;
        this.droppedTotal++;
      }
    }
  }
}
