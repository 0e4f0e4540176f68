import { describe, expect, test } from 'vitest';
import { LiveTail, matchesTail, type TailEvent } from '../../../logging/live-tail.js';
import type { AccessLogRecord } from '../../../logging/record.js';

const record = (over: Partial<AccessLogRecord> = {}): AccessLogRecord => ({
  bucketOwner: 'o',
  bucket: 'b',
  time: 0,
  requestId: 'R',
  operation: 'REST.GET.OBJECT',
  hostId: 'H',
  httpStatus: 404,
  ...over,
});
const event = (over: Partial<AccessLogRecord> = {}): TailEvent => ({
  line: 'l\n',
  record: record(over),
  delivered: true,
});

describe('live tail filters', () => {
  test('bucket, exact and prefixed operation, status and status class', () => {
    expect(matchesTail({}, record())).toBe(true);
    expect(matchesTail({ bucket: 'b' }, record())).toBe(true);
    expect(matchesTail({ bucket: 'c' }, record())).toBe(false);
    expect(matchesTail({ operation: 'REST.GET.OBJECT' }, record())).toBe(true);
    expect(matchesTail({ operation: 'REST.GET.*' }, record())).toBe(true);
    expect(matchesTail({ operation: 'REST.PUT.*' }, record())).toBe(false);
    expect(matchesTail({ status: '4xx' }, record())).toBe(true);
    expect(matchesTail({ status: '404' }, record())).toBe(true);
    expect(matchesTail({ status: '200,5xx' }, record())).toBe(false);
    expect(matchesTail({ status: '4xx' }, record({ httpStatus: undefined }))).toBe(false);
  });
});

describe('live tail fan-out', () => {
  test('a full subscriber loses events, counted, and hears how many once it keeps up again', () => {
    const tail = new LiveTail();
    let full = true;
    const seen: number[] = [];
    const unsubscribe = tail.subscribe(
      {},
      {
        write: (_e, droppedBefore) => {
          if (full) return false;
          seen.push(droppedBefore);
          return true;
        },
      },
    );
    expect(tail.active).toBe(true);
    tail.publish(event());
    tail.publish(event());
    full = false;
    tail.publish(event());
    tail.publish(event());
    expect(seen).toEqual([2, 0]);
    expect(tail.droppedTotal).toBe(2);
    unsubscribe();
    expect(tail.active).toBe(false);
  });
});
