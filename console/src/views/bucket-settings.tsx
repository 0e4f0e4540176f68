import { useEffect, useState } from 'preact/hooks';
import {
  deletePolicy,
  getLogging,
  getPolicy,
  getSetting,
  getVersioning,
  type Logging,
  listBuckets,
  loggingXml,
  putLogging,
  putPolicy,
  putVersioning,
  READ_ONLY,
} from '../s3.js';
import { href, Note, Section, useAction, useAsync } from '../ui.js';
import { escapeXml, prettyXml } from '../xml.js';

/** Validation AWS applies (or that would make the logs unusable), as messages. */
function loggingProblems(l: Logging, source: string, buckets: string[]): string[] {
  const out: string[] = [];
  if (!l.targetBucket) out.push('Choose a target bucket.');
  else if (!buckets.includes(l.targetBucket)) out.push(`Target bucket ${l.targetBucket} does not exist.`);
  if (l.targetPrefix.startsWith('/')) out.push('The prefix should not start with "/".');
  if (new TextEncoder().encode(l.targetPrefix).length > 1024) out.push('The prefix is longer than 1024 bytes.');
  if (l.targetBucket === source && !l.targetPrefix)
    out.push('Logging a bucket into itself needs a prefix (otherwise every delivery is logged again).');
  return out;
}

function LoggingEditor({ bucket }: { bucket: string }) {
  const current = useAsync(() => getLogging(bucket), [bucket]);
  const buckets = useAsync(async () => (await listBuckets()).map((b) => b.name), []);
  const [draft, setDraft] = useState<Logging>({ targetBucket: '', targetPrefix: 'logs/', format: 'SimplePrefix' });
  const [note, run] = useAction();
  useEffect(() => {
    if (current.value) setDraft(current.value);
  }, [current.value]);
  const problems = loggingProblems(draft, bucket, buckets.value ?? []);
  const save = async (e: Event) => {
    e.preventDefault();
    if (await run(() => putLogging(bucket, loggingXml(draft, escapeXml)), 'Logging configuration saved.'))
      current.reload();
  };
  const off = async () => {
    if (await run(() => putLogging(bucket, loggingXml(undefined, escapeXml)), 'Logging turned off.')) current.reload();
  };
  return (
    <Section title="Server access logging" id="logging">
      <p class="status-line" data-testid="logging-status">
        {current.loading
          ? 'Loading…'
          : current.value
            ? `On: s3://${current.value.targetBucket}/${current.value.targetPrefix} (${current.value.format === 'SimplePrefix' ? 'SimplePrefix' : `PartitionedPrefix, ${current.value.format}`})`
            : 'Off'}
      </p>
      <form class="grid" onSubmit={save}>
        <label>
          Target bucket
          <select
            name="targetBucket"
            value={draft.targetBucket}
            onChange={(e) => setDraft({ ...draft, targetBucket: e.currentTarget.value })}
          >
            <option value="">(choose)</option>
            {buckets.value?.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        <label>
          Target prefix
          <input
            name="targetPrefix"
            value={draft.targetPrefix}
            onInput={(e) => setDraft({ ...draft, targetPrefix: e.currentTarget.value })}
          />
        </label>
        <label>
          Key format
          <select
            name="format"
            value={draft.format}
            onChange={(e) => setDraft({ ...draft, format: e.currentTarget.value as Logging['format'] })}
          >
            <option value="SimplePrefix">SimplePrefix</option>
            <option value="EventTime">PartitionedPrefix (EventTime)</option>
            <option value="DeliveryTime">PartitionedPrefix (DeliveryTime)</option>
          </select>
        </label>
        <div class="row">
          <button type="submit" disabled={problems.length > 0}>
            Save logging
          </button>
          <button type="button" disabled={!current.value} onClick={off}>
            Turn off
          </button>
        </div>
      </form>
      {problems.length > 0 && (
        <ul class="hint">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <Note text={note ?? current.error} />
    </Section>
  );
}

function PolicyEditor({ bucket }: { bucket: string }) {
  const policy = useAsync(() => getPolicy(bucket), [bucket]);
  const [draft, setDraft] = useState('');
  const [note, run] = useAction();
  useEffect(() => {
    setDraft(policy.value ? JSON.stringify(JSON.parse(policy.value), null, 2) : '');
  }, [policy.value]);
  let invalid: string | undefined;
  try {
    if (draft.trim()) JSON.parse(draft);
  } catch (err) {
    invalid = `Not JSON: ${(err as Error).message}`;
  }
  return (
    <Section title="Bucket policy" id="policy">
      <p class="status-line">{policy.loading ? 'Loading…' : policy.value ? 'Set' : 'No policy'}</p>
      <textarea
        class="code"
        rows={10}
        value={draft}
        placeholder='{"Version": "2012-10-17", "Statement": [...]}'
        onInput={(e) => setDraft(e.currentTarget.value)}
        aria-label="Bucket policy JSON"
      />
      <div class="row">
        <button
          type="button"
          disabled={!draft.trim() || !!invalid}
          onClick={async () => (await run(() => putPolicy(bucket, draft), 'Policy saved.')) && policy.reload()}
        >
          Save policy
        </button>
        <button
          type="button"
          disabled={!policy.value}
          onClick={async () => (await run(() => deletePolicy(bucket), 'Policy deleted.')) && policy.reload()}
        >
          Delete policy
        </button>
      </div>
      <Note text={invalid ?? note ?? policy.error} />
    </Section>
  );
}

function VersioningToggle({ bucket }: { bucket: string }) {
  const status = useAsync(() => getVersioning(bucket), [bucket]);
  const [note, run] = useAction();
  const enabled = status.value === 'Enabled';
  return (
    <Section title="Versioning" id="versioning">
      <div class="row">
        <span class="status-line">{status.loading ? 'Loading…' : (status.value ?? 'Never enabled')}</span>
        <button
          type="button"
          disabled={status.loading}
          onClick={async () =>
            (await run(() => putVersioning(bucket, enabled ? 'Suspended' : 'Enabled'))) && status.reload()
          }
        >
          {enabled ? 'Suspend versioning' : 'Enable versioning'}
        </button>
      </div>
      <Note text={note ?? status.error} />
    </Section>
  );
}

function ReadOnly({ bucket, title, sub }: { bucket: string; title: string; sub: string }) {
  const value = useAsync(() => getSetting(bucket, sub), [bucket, sub]);
  return (
    <details class="setting">
      <summary>
        {title}: {value.loading ? '…' : value.error ? 'unavailable' : value.value ? 'set' : 'not set'}
      </summary>
      {value.value && <pre class="code">{prettyXml(value.value)}</pre>}
      {value.error && <p class="note error">{value.error}</p>}
    </details>
  );
}

/** One bucket's configuration: logging, policy and versioning editable, the rest read-only. */
export function BucketSettings({ bucket }: { bucket: string }) {
  return (
    <>
      <nav class="crumbs">
        <a href={href.buckets()}>Buckets</a> / <a href={href.objects(bucket)}>{bucket}</a> / settings
      </nav>
      <LoggingEditor bucket={bucket} />
      <VersioningToggle bucket={bucket} />
      <PolicyEditor bucket={bucket} />
      <Section title="Other settings (read-only)">
        {Object.entries(READ_ONLY).map(([title, sub]) => (
          <ReadOnly key={sub} bucket={bucket} title={title} sub={sub} />
        ))}
      </Section>
    </>
  );
}
