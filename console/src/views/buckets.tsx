import { useState } from 'preact/hooks';
import { createBucket, deleteBucket, listBuckets } from '../s3.js';
import { href, Note, Section, useAction, useAsync, when } from '../ui.js';

const BUCKET_NAME = /^(?!xn--|sthree-)(?!.*(-s3alias|--ol-s3|--x-s3)$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The bucket list: create, open, delete. */
export function Buckets() {
  const buckets = useAsync(listBuckets, []);
  const [name, setName] = useState('');
  const [note, run] = useAction();
  const valid = BUCKET_NAME.test(name) && !name.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(name);

  const create = async (e: Event) => {
    e.preventDefault();
    if (await run(() => createBucket(name), `Created bucket ${name}.`)) {
      setName('');
      buckets.reload();
    }
  };
  const remove = async (bucket: string) => {
    if (!confirm(`Delete bucket ${bucket}? It must be empty.`)) return;
    if (await run(() => deleteBucket(bucket), `Deleted bucket ${bucket}.`)) buckets.reload();
  };

  return (
    <Section title="Buckets">
      <form class="row" onSubmit={create}>
        <input
          name="bucket"
          placeholder="new-bucket-name"
          value={name}
          onInput={(e) => setName(e.currentTarget.value.trim())}
          aria-label="New bucket name"
        />
        <button type="submit" disabled={!valid}>
          Create bucket
        </button>
        {name && !valid && <span class="hint">3-63 characters: a-z, 0-9, dots and hyphens</span>}
      </form>
      <Note text={note ?? buckets.error} />
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {buckets.value?.map((b) => (
            <tr key={b.name} data-bucket={b.name}>
              <td>
                <a href={href.objects(b.name)}>{b.name}</a>
              </td>
              <td>{when(b.created)}</td>
              <td class="actions">
                <a href={href.settings(b.name)}>Settings</a>
                <button type="button" class="danger" onClick={() => remove(b.name)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
          {buckets.value?.length === 0 && (
            <tr>
              <td colSpan={3} class="empty">
                No buckets yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </Section>
  );
}
