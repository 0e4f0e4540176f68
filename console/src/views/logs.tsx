import { useState } from 'preact/hooks';
import { getLogging, getObjectText, listAllKeys, listBuckets } from '../s3.js';
import { bytes, Note, Section, useAction, useAsync, when } from '../ui.js';
import { LiveTail } from './live-tail.js';

interface Target {
  bucket: string;
  prefix: string;
  sources: string[];
}

/** Every (target bucket, prefix) some bucket logs into. */
async function targets(): Promise<Target[]> {
  const buckets = await listBuckets();
  const found = new Map<string, Target>();
  await Promise.all(
    buckets.map(async (b) => {
      const l = await getLogging(b.name).catch(() => undefined);
      if (!l) return;
      const id = `${l.targetBucket}/${l.targetPrefix}`;
      const t = found.get(id) ?? { bucket: l.targetBucket, prefix: l.targetPrefix, sources: [] };
      t.sources.push(b.name);
      found.set(id, t);
    }),
  );
  return [...found.values()].sort((a, b) => `${a.bucket}/${a.prefix}`.localeCompare(`${b.bucket}/${b.prefix}`));
}

function Delivered({ version }: { version: number }) {
  const list = useAsync(async () => {
    const ts = await targets();
    return Promise.all(ts.map(async (t) => ({ ...t, keys: (await listAllKeys(t.bucket, t.prefix)).reverse() })));
  }, [version]);
  const [viewing, setViewing] = useState<{ bucket: string; key: string; text?: string; error?: string }>();
  const view = async (bucket: string, key: string) => {
    setViewing({ bucket, key });
    try {
      setViewing({ bucket, key, text: await getObjectText(bucket, key) });
    } catch (err) {
      setViewing({ bucket, key, error: (err as Error).message });
    }
  };
  return (
    <Section title="Delivered log objects" id="delivered">
      <button type="button" onClick={list.reload}>
        Refresh
      </button>
      <Note text={list.error} />
      {list.value?.length === 0 && <p class="hint">No bucket has logging on.</p>}
      {list.value?.map((t) => (
        <div key={`${t.bucket}/${t.prefix}`} class="target">
          <h3>
            s3://{t.bucket}/{t.prefix} <small>from {t.sources.join(', ')}</small>
          </h3>
          {t.keys.length === 0 && <p class="hint">Nothing delivered yet.</p>}
          <ul class="log-objects">
            {t.keys.slice(0, 50).map((o) => (
              <li key={o.key}>
                <button type="button" class="link" onClick={() => view(t.bucket, o.key)}>
                  {o.key}
                </button>{' '}
                <small>
                  {bytes(o.size)}, {when(o.modified)}
                </small>
              </li>
            ))}
          </ul>
          {t.keys.length > 50 && <p class="hint">and {t.keys.length - 50} older</p>}
        </div>
      ))}
      {viewing && (
        <div class="viewer" data-testid="log-viewer">
          <h3>
            s3://{viewing.bucket}/{viewing.key}{' '}
            <button type="button" onClick={() => setViewing(undefined)}>
              Close
            </button>
          </h3>
          {viewing.error && <p class="note error">{viewing.error}</p>}
          <pre class="code">{viewing.text ?? 'Loading…'}</pre>
        </div>
      )}
    </Section>
  );
}

/** The access-log screen: live tail and charts, Deliver now, and the delivered log objects. */
export function Logs() {
  const [note, run] = useAction();
  const [version, setVersion] = useState(0);
  const [flushed, setFlushed] = useState<string>();
  const flush = () =>
    run(async () => {
      const res = await fetch('/_s3scribe/logs/flush', { method: 'POST', headers: { 'x-s3scribe-admin': '1' } });
      const body = (await res.json()) as { flushed?: { records: number; objects: number }; error?: string };
      if (!res.ok || !body.flushed) throw new Error(body.error ?? `HTTP ${res.status}`);
      setFlushed(`Delivered ${body.flushed.records} record(s) in ${body.flushed.objects} log object(s).`);
      setVersion((v) => v + 1);
    });
  return (
    <>
      <Section title="Access logs: live tail">
        <div class="row">
          <button type="button" class="primary" onClick={flush}>
            Deliver now
          </button>
          <span class="hint">Writes every pending record to its log object (POST /_s3scribe/logs/flush).</span>
        </div>
        <Note text={note ?? flushed} />
        <LiveTail />
      </Section>
      <Delivered version={version} />
    </>
  );
}
