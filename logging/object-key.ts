/**
 * Names of delivered log objects (reference §5). Pure: the caller supplies the clock readings and
 * the unique string (see `unique-string.ts`), so golden tests can pin every byte.
 */

/** `TargetObjectKeyFormat` of a logging configuration (reference §6). */
export type LogObjectKeyFormat =
  | { kind: 'SimplePrefix' }
  | { kind: 'PartitionedPrefix'; dateSource: 'EventTime' | 'DeliveryTime' };

export interface LogObjectKeyOptions {
  /** Used verbatim: AWS adds no `/` (§5), so `logs` yields `logs2013-11-01-…`. */
  targetPrefix: string;
  format: LogObjectKeyFormat;
  /** ms since epoch, when the object is written. */
  deliveryTime: number;
  /** ms since epoch of any record in the object; with EventTime all records share its UTC day. */
  eventTime: number;
  /** 12-digit account ID, not the canonical user ID (§5, inferred from Athena setups). */
  sourceAccountId: string;
  sourceRegion: string;
  sourceBucket: string;
  /** 16 uppercase hex in AWS names (§5). */
  uniqueString: string;
}

interface UtcParts {
  yyyy: string;
  mm: string;
  dd: string;
  hh: string;
  mi: string;
  ss: string;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function utcParts(time: number): UtcParts {
  const d = new Date(time);
  return {
    yyyy: pad(d.getUTCFullYear(), 4),
    mm: pad(d.getUTCMonth() + 1, 2),
    dd: pad(d.getUTCDate(), 2),
    hh: pad(d.getUTCHours(), 2),
    mi: pad(d.getUTCMinutes(), 2),
    ss: pad(d.getUTCSeconds(), 2),
  };
}

/**
 * `YYYY-MM-DD` of `time` in UTC. With `PartitionDateSource` EventTime a log object holds one
 * day's events (§5 [PP]), so batchers key their pending objects on this value.
 */
export function eventDay(time: number): string {
  const p = utcParts(time);
  return `${p.yyyy}-${p.mm}-${p.dd}`;
}

/**
 * The key of a log object.
 *
 * - SimplePrefix: `[TargetPrefix]YYYY-mm-DD-HH-MM-SS-UniqueString`, delivery time, UTC [SL].
 * - PartitionedPrefix: `[TargetPrefix][SourceAccountId]/[SourceRegion]/[SourceBucket]/[YYYY]/[MM]/[DD]/`
 *   then `[YYYY]-[MM]-[DD]-[hh]-[mm]-[ss]-[UniqueString]` [PP]. EventTime uses the event day with a
 *   `00-00-00` time of day (the object stands for the whole day); DeliveryTime uses the delivery
 *   date and time for both the folders and the name.
 */
export function logObjectKey(opts: LogObjectKeyOptions): string {
  const { format } = opts;
  if (format.kind === 'SimplePrefix') {
    const p = utcParts(opts.deliveryTime);
    return `${opts.targetPrefix}${p.yyyy}-${p.mm}-${p.dd}-${p.hh}-${p.mi}-${p.ss}-${opts.uniqueString}`;
  }
  const p =
    format.dateSource === 'EventTime'
      ? { ...utcParts(opts.eventTime), hh: '00', mi: '00', ss: '00' }
      : utcParts(opts.deliveryTime);
  const folders = `${opts.sourceAccountId}/${opts.sourceRegion}/${opts.sourceBucket}/${p.yyyy}/${p.mm}/${p.dd}/`;
  return `${opts.targetPrefix}${folders}${p.yyyy}-${p.mm}-${p.dd}-${p.hh}-${p.mi}-${p.ss}-${opts.uniqueString}`;
}
