import { describe, expect, it } from 'vitest';
import { eventDay, logObjectKey, type LogObjectKeyOptions } from '../../../logging/object-key.js';

const options: LogObjectKeyOptions = {
  targetPrefix: 'logs/',
  format: { kind: 'SimplePrefix' },
  deliveryTime: Date.UTC(2013, 10, 1, 21, 32, 16, 750),
  eventTime: Date.UTC(2013, 9, 31, 23, 59, 59),
  sourceAccountId: '157578228094',
  sourceRegion: 'us-east-1',
  sourceBucket: 'source-bucket',
  uniqueString: 'E568B2907131C0C0',
};

describe('logObjectKey', () => {
  it('SimplePrefix: prefix + delivery time (UTC) + unique string, as in the AWS example', () => {
    expect(logObjectKey(options)).toBe('logs/2013-11-01-21-32-16-E568B2907131C0C0');
  });

  it('uses the prefix verbatim: no / added, empty prefix allowed', () => {
    expect(logObjectKey({ ...options, targetPrefix: 'logs' })).toBe('logs2013-11-01-21-32-16-E568B2907131C0C0');
    expect(logObjectKey({ ...options, targetPrefix: '' })).toBe('2013-11-01-21-32-16-E568B2907131C0C0');
  });

  it('PartitionedPrefix EventTime: event day in folders and name, time of day 00-00-00', () => {
    const key = logObjectKey({ ...options, format: { kind: 'PartitionedPrefix', dateSource: 'EventTime' } });
    expect(key).toBe('logs/157578228094/us-east-1/source-bucket/2013/10/31/2013-10-31-00-00-00-E568B2907131C0C0');
  });

  it('PartitionedPrefix DeliveryTime: delivery date and time', () => {
    const key = logObjectKey({
      ...options,
      targetPrefix: 'p',
      format: { kind: 'PartitionedPrefix', dateSource: 'DeliveryTime' },
    });
    expect(key).toBe('p157578228094/us-east-1/source-bucket/2013/11/01/2013-11-01-21-32-16-E568B2907131C0C0');
  });

  it('partitioned keys have the documented path shape', () => {
    for (const dateSource of ['EventTime', 'DeliveryTime'] as const) {
      const key = logObjectKey({ ...options, format: { kind: 'PartitionedPrefix', dateSource } });
      expect(key).toMatch(
        /^logs\/\d{12}\/[a-z0-9-]+\/[a-z0-9.-]+\/(\d{4})\/(\d{2})\/(\d{2})\/\1-\2-\3-\d{2}-\d{2}-\d{2}-[0-9A-F]{16}$/,
      );
    }
  });

  it('pads single-digit months, days and times', () => {
    const key = logObjectKey({ ...options, deliveryTime: Date.UTC(2024, 0, 2, 3, 4, 5) });
    expect(key).toBe('logs/2024-01-02-03-04-05-E568B2907131C0C0');
  });
});

describe('eventDay', () => {
  it('is the UTC day of the event', () => {
    expect(eventDay(Date.UTC(2024, 1, 29, 23, 59, 59, 999))).toBe('2024-02-29');
    expect(eventDay(Date.UTC(2025, 0, 1))).toBe('2025-01-01');
  });
});
