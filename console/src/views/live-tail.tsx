import { useEffect, useRef, useState } from 'preact/hooks';
import { LineChart, type Series } from './chart.js';

/** The JSON of one `record` event from GET /_s3scribe/logs/stream. */
export interface TailRecord {
  line: string;
  delivered: boolean;
  fields: Record<string, string | number | undefined>;
}

const KEEP = 500;
const WINDOW = 60;

interface Filter {
  bucket: string;
  operation: string;
  status: string;
}

/** Counts per second per series, for the charts; old seconds fall off. */
class PerSecond {
  readonly counts = new Map<number, Map<string, number>>();
  add(second: number, series: string) {
    const m = this.counts.get(second) ?? new Map<string, number>();
    m.set(series, (m.get(series) ?? 0) + 1);
    this.counts.set(second, m);
  }
  series(now: number, top = 6): Series[] {
    const totals = new Map<string, number>();
    for (const [s, m] of this.counts) {
      if (s <= now - WINDOW) this.counts.delete(s);
      else for (const [k, v] of m) totals.set(k, (totals.get(k) ?? 0) + v);
    }
    const names = [...totals].sort((a, b) => b[1] - a[1]).map(([k]) => k);
    const shown = names.slice(0, top);
    const other = names.slice(top);
    const line = (keys: string[]) =>
      Array.from({ length: WINDOW }, (_, i) => {
        const m = this.counts.get(now - WINDOW + 1 + i);
        return keys.reduce((sum, k) => sum + (m?.get(k) ?? 0), 0);
      });
    const out = shown.sort().map((name) => ({ name, values: line([name]) }));
    if (other.length) out.push({ name: 'other', values: line(other) });
    return out;
  }
}

function query(f: Filter): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v.trim()) q.set(k, v.trim());
  const s = q.toString();
  return s ? `?${s}` : '';
}

const COLUMNS: [string, string][] = [
  ['time', 'Time'],
  ['bucket', 'Bucket'],
  ['operation', 'Operation'],
  ['key', 'Key'],
  ['httpStatus', 'Status'],
  ['errorCode', 'Error'],
  ['bytesSent', 'Bytes'],
  ['totalTimeMs', 'ms'],
];

function cell(name: string, v: string | number | undefined): string {
  if (v === undefined || v === '') return '-';
  if (name === 'time') return new Date(String(v)).toLocaleTimeString();
  return String(v);
}

/** The live access-log tail: filters, charts, and a table of records that expand into fields. */
export function LiveTail() {
  const [filter, setFilter] = useState<Filter>({ bucket: '', operation: '', status: '' });
  const [applied, setApplied] = useState<Filter>(filter);
  const [records, setRecords] = useState<(TailRecord & { id: number })[]>([]);
  const [state, setState] = useState('connecting');
  const [dropped, setDropped] = useState(0);
  const [open, setOpen] = useState<number>();
  const [now, setNow] = useState(() => Math.floor(Date.now() / 1000));
  const byOperation = useRef(new PerSecond());
  const byStatus = useRef(new PerSecond());
  const nextId = useRef(0);

  useEffect(() => {
    const source = new EventSource(`/_s3scribe/logs/stream${query(applied)}`);
    setState('connecting');
    source.onopen = () => setState('live');
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    source.addEventListener('dropped', (e) => setDropped((d) => d + Number((e as MessageEvent).data)));
    source.addEventListener('record', (e) => {
      const record = JSON.parse((e as MessageEvent).data) as TailRecord;
      const second = Math.floor(Date.now() / 1000);
      byOperation.current.add(second, String(record.fields.operation));
      const status = Number(record.fields.httpStatus);
      byStatus.current.add(second, Number.isFinite(status) ? `${Math.floor(status / 100)}xx` : 'none');
      setRecords((rs) => [{ ...record, id: nextId.current++ }, ...rs].slice(0, KEEP));
    });
    return () => source.close();
  }, [applied]);

  useEffect(() => {
    const t = setInterval(() => setNow(Math.floor(Date.now() / 1000)), 1000);
    return () => clearInterval(t);
  }, []);

  return (
    <>
      <form
        class="row filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filter);
        }}
      >
        {(['bucket', 'operation', 'status'] as const).map((k) => (
          <input
            key={k}
            name={k}
            aria-label={`Filter by ${k}`}
            placeholder={
              { bucket: 'bucket', operation: 'operation (REST.GET.*)', status: 'status (404, 4xx, 403,5xx)' }[k]
            }
            value={filter[k]}
            onInput={(e) => setFilter({ ...filter, [k]: e.currentTarget.value })}
          />
        ))}
        <button type="submit">Apply filters</button>
        <button type="button" onClick={() => setRecords([])}>
          Clear
        </button>
        <span class={`pill ${state}`} data-testid="tail-state">
          {state}
        </span>
        {dropped > 0 && <span class="hint">{dropped} dropped</span>}
      </form>
      <div class="charts">
        <LineChart title="Requests per second by operation" series={byOperation.current.series(now)} seconds={WINDOW} />
        <LineChart title="Requests per second by status class" series={byStatus.current.series(now)} seconds={WINDOW} />
      </div>
      <table class="tail">
        <thead>
          <tr>
            {COLUMNS.map(([, label]) => (
              <th key={label}>{label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {records.map((r) => [
            <tr
              key={r.id}
              class={`record s${String(r.fields.httpStatus ?? '')[0]}`}
              onClick={() => setOpen(open === r.id ? undefined : r.id)}
              title={r.delivered ? 'Goes into a log object' : 'The bucket has logging off: not delivered'}
            >
              {COLUMNS.map(([name]) => (
                <td key={name}>{cell(name, r.fields[name])}</td>
              ))}
            </tr>,
            open === r.id && (
              <tr key={`${r.id}-fields`} class="fields">
                <td colSpan={COLUMNS.length}>
                  <pre class="code line">{r.line}</pre>
                  <p class="hint">
                    {r.delivered ? 'Delivered to the log target.' : 'Not delivered: logging is off for this bucket.'}
                  </p>
                  <table class="kv">
                    <tbody>
                      {Object.entries(r.fields).map(([k, v]) => (
                        <tr key={k}>
                          <th>{k}</th>
                          <td>
                            <code>{v === undefined ? '-' : String(v)}</code>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </td>
              </tr>
            ),
          ])}
          {records.length === 0 && (
            <tr>
              <td colSpan={COLUMNS.length} class="empty">
                Waiting for requests…
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </>
  );
}
