import { parseAccessLogObject } from './access-log-parser.js';
import type { Ledger, Op, RawS3 } from './crash-s3.js';

/**
 * Reads every delivered log object of a target bucket (strictly parsed, cached by key; a log
 * object that changes afterwards is a violation: logs are never overwritten) and matches the
 * records against a Ledger by request id. A record is kept as its identity only,
 * `requestId operation bucket key` (no field holds a space), so a long soak fits in memory.
 */
export class LogReader {
  private readonly cache = new Map<string, { etag: string; records: string[] }>();
  constructor(
    readonly bucket: string,
    readonly prefix = '',
  ) {}

  get objects(): number {
    return this.cache.size;
  }

  async read(s3: RawS3): Promise<{ records: string[]; violations: string[] }> {
    const violations: string[] = [];
    const { res, entries } = await s3.list(this.bucket, this.prefix);
    if (res.status !== 200) return { records: [], violations: [`listing ${this.bucket} answered ${res.status}`] };
    const present = new Set(entries.map((e) => e.key));
    for (const key of this.cache.keys())
      if (!present.has(key)) violations.push(`log object ${key} disappeared from ${this.bucket}`);
    for (const e of entries) {
      const cached = this.cache.get(e.key);
      if (cached) {
        if (cached.etag !== e.etag)
          violations.push(`log object ${e.key} was overwritten (ETag ${cached.etag} → ${e.etag})`);
        continue;
      }
      const got = await s3.get(this.bucket, e.key);
      if (got.status !== 200) {
        violations.push(`GET log object ${e.key} answered ${got.status}`);
        continue;
      }
      let records: string[] = [];
      try {
        records = parseAccessLogObject(got.body!.toString('utf8')).map(
          (r) => `${r.requestId} ${r.operation} ${r.bucket} ${r.key}`,
        );
      } catch (err) {
        violations.push(`log object ${e.key} does not parse: ${(err as Error).message.slice(0, 300)}`);
      }
      this.cache.set(e.key, { etag: e.etag, records });
    }
    const records: string[] = [];
    for (const { records: r } of this.cache.values()) for (const x of r) records.push(x);
    return { records, violations };
  }
}

export interface LogCheck {
  violations: string[];
  /** Acknowledged requests whose record had to be there (and was, exactly once, unless violated). */
  required: number;
  /** Requests in flight at a kill (or optional) whose record was delivered / not delivered. */
  optionalDelivered: number;
  optionalAbsent: number;
  records: number;
}

const MAX_LISTED = 25;

/**
 * Exactly once for every acknowledged request (state `acked`, expect `required`) acknowledged at
 * or before `upTo` (the ledger clock when the flush was sent); at most once for any other request
 * of the ledger; and no record (request id, operation, bucket, key) delivered twice at all.
 */
export function checkLogs(ledger: Ledger, records: string[], upTo: number): LogCheck {
  const violations: string[] = [];
  const tuples = new Map<string, number>();
  const byOp = new Map<string, number>();
  for (const t of records) {
    tuples.set(t, (tuples.get(t) ?? 0) + 1);
    const o = t.slice(0, t.lastIndexOf(' '));
    byOp.set(o, (byOp.get(o) ?? 0) + 1);
  }
  const dups = [...tuples.entries()].filter(([, n]) => n > 1);
  for (const [t, n] of dups.slice(0, MAX_LISTED)) violations.push(`record delivered ${n} times: ${t}`);
  if (dups.length > MAX_LISTED) violations.push(`… ${dups.length - MAX_LISTED} more duplicated records`);

  let required = 0;
  let optionalDelivered = 0;
  let optionalAbsent = 0;
  const missing: Op[] = [];
  for (const op of ledger.ops) {
    if (op.expect === 'none' || !op.requestId) continue;
    if (op.state === 'acked' && op.ackedAt! > upTo) continue; // checked by a later flush
    const n = byOp.get(`${op.requestId} ${op.op} ${op.bucket}`) ?? 0;
    if (op.expect === 'required' && op.state === 'acked') {
      required++;
      if (n === 0 && !op.missingReported) missing.push(op);
      else if (n === 1 && op.missingReported) {
        violations.push(`record of ${op.requestId} (${op.op}), missing at an earlier check, was delivered later`);
        op.missingReported = false;
      } else if (n > 1 && dups.length === 0)
        violations.push(`acknowledged request ${op.requestId} (${op.op}) delivered ${n} times`);
    } else if (n > 1) {
      if (dups.length === 0) violations.push(`request ${op.requestId} (${op.op}, ${op.state}) delivered ${n} times`);
    } else if (n === 1) optionalDelivered++;
    else optionalAbsent++;
  }
  for (const op of missing) op.missingReported = true;
  for (const op of missing.slice(0, MAX_LISTED)) {
    const kill = ledger.killMs[op.epoch];
    const gap = kill !== undefined && op.ackedMs !== undefined ? kill - op.ackedMs : undefined;
    const when =
      gap === undefined
        ? ''
        : `, answered ${gap.toFixed(1)} ms before kill #${op.epoch + 1}${gap < 5 ? '; the response-before-spool window, F1 in /work/notes/crash-findings.md' : ''}`;
    violations.push(
      `record missing for acknowledged request ${op.requestId} ${op.op} ${op.what ?? op.bucket} (HTTP ${op.status}, server run ${op.epoch + 1}${when})`,
    );
  }
  if (missing.length > MAX_LISTED) violations.push(`… ${missing.length - MAX_LISTED} more missing records`);
  return { violations, required, optionalDelivered, optionalAbsent, records: records.length };
}
