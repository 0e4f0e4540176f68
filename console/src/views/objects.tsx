import { useState } from 'preact/hooks';
import { deleteObject, downloadUrl, listObjects, upload } from '../s3.js';
import { bytes, href, Note, Section, useAction, useAsync, when } from '../ui.js';

interface Progress {
  name: string;
  sent: number;
  total: number;
}

function Breadcrumbs({ bucket, prefix }: { bucket: string; prefix: string }) {
  const parts = prefix.split('/').filter(Boolean);
  return (
    <nav class="crumbs">
      <a href={href.buckets()}>Buckets</a> / <a href={href.objects(bucket)}>{bucket}</a>
      {parts.map((p, i) => (
        <span key={i}>
          {' / '}
          <a href={href.objects(bucket, `${parts.slice(0, i + 1).join('/')}/`)}>{p}</a>
        </span>
      ))}
      <a class="right" href={href.settings(bucket)}>
        Bucket settings
      </a>
    </nav>
  );
}

/** Browse a bucket by prefix (delimiter `/`), a page at a time; upload by drop or picker. */
export function Objects({ bucket, prefix }: { bucket: string; prefix: string }) {
  // Tokens of the pages before this one: Previous pops, Next pushes.
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const token = pages[pages.length - 1];
  const list = useAsync(() => listObjects(bucket, prefix, token), [bucket, prefix, token]);
  const [note, run] = useAction();
  const [progress, setProgress] = useState<Progress>();
  const [over, setOver] = useState(false);

  const uploadFiles = async (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      setProgress({ name: file.name, sent: 0, total: file.size });
      await run(
        () =>
          upload(bucket, prefix + file.name, file, (sent) => setProgress({ name: file.name, sent, total: file.size })),
        `Uploaded ${prefix + file.name} (${bytes(file.size)}).`,
      );
    }
    setProgress(undefined);
    list.reload();
  };
  const remove = async (key: string) => {
    if (!confirm(`Delete ${key}?`)) return;
    if (await run(() => deleteObject(bucket, key), `Deleted ${key}.`)) list.reload();
  };
  const download = async (key: string) => {
    location.assign(await downloadUrl(bucket, key));
  };

  return (
    <>
      <Breadcrumbs bucket={bucket} prefix={prefix} />
      <Section title={`s3://${bucket}/${prefix}`}>
        <label
          class={over ? 'drop over' : 'drop'}
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            void uploadFiles(e.dataTransfer?.files ?? null);
          }}
        >
          Drop files here or <u>choose files</u> to upload to <code>{prefix || '/'}</code> (over 8 MiB: multipart)
          <input
            type="file"
            multiple
            name="upload"
            hidden
            onChange={(e) => {
              void uploadFiles(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
          />
        </label>
        {progress && (
          <div class="progress" role="progressbar" aria-valuenow={progress.sent} aria-valuemax={progress.total}>
            <span>
              {progress.name}: {bytes(progress.sent)} of {bytes(progress.total)}
            </span>
            <progress max={progress.total || 1} value={progress.sent} />
          </div>
        )}
        <Note text={note ?? list.error} />
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th class="num">Size</th>
              <th>Last modified</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.value?.prefixes.map((p) => (
              <tr key={p}>
                <td colSpan={4}>
                  <a href={href.objects(bucket, p)}>📁 {p.slice(prefix.length)}</a>
                </td>
              </tr>
            ))}
            {list.value?.objects.map((o) => (
              <tr key={o.key} data-key={o.key}>
                <td>
                  <a href={href.object(bucket, o.key)}>{o.key.slice(prefix.length)}</a>
                </td>
                <td class="num">{bytes(o.size)}</td>
                <td>{when(o.modified)}</td>
                <td class="actions">
                  <button type="button" onClick={() => download(o.key)}>
                    Download
                  </button>
                  <button type="button" class="danger" onClick={() => remove(o.key)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
            {list.value && !list.value.prefixes.length && !list.value.objects.length && (
              <tr>
                <td colSpan={4} class="empty">
                  Nothing here.
                </td>
              </tr>
            )}
          </tbody>
        </table>
        <div class="row">
          <button type="button" disabled={pages.length < 2} onClick={() => setPages(pages.slice(0, -1))}>
            Previous
          </button>
          <span class="hint">Page {pages.length}</span>
          <button
            type="button"
            disabled={!list.value?.next}
            onClick={() => list.value?.next && setPages([...pages, list.value.next])}
          >
            Next
          </button>
        </div>
      </Section>
    </>
  );
}
