import { deleteObject, downloadUrl, headObject, listVersions } from '../s3.js';
import { bytes, href, Note, Section, useAction, useAsync, when } from '../ui.js';

const SHOWN =
  /^(content-|etag|last-modified|x-amz-(meta-|checksum-|version-id|server-side|storage-class|object-lock|tagging-count|delete-marker|restore|expiration)|cache-control|expires)/;

/** One object: its HEAD (checksums requested) and its versions. */
export function ObjectDetails({ bucket, objectKey }: { bucket: string; objectKey: string }) {
  const head = useAsync(() => headObject(bucket, objectKey), [bucket, objectKey]);
  const versions = useAsync(() => listVersions(bucket, objectKey), [bucket, objectKey]);
  const [note, run] = useAction();
  const dir = objectKey.includes('/') ? objectKey.slice(0, objectKey.lastIndexOf('/') + 1) : '';
  const headers = head.value?.filter(([k]) => SHOWN.test(k)).sort(([a], [b]) => a.localeCompare(b));
  const size = head.value?.find(([k]) => k === 'content-length')?.[1];

  return (
    <>
      <nav class="crumbs">
        <a href={href.buckets()}>Buckets</a> / <a href={href.objects(bucket)}>{bucket}</a>
        {dir && (
          <>
            {' / '}
            <a href={href.objects(bucket, dir)}>{dir}</a>
          </>
        )}
      </nav>
      <Section title={objectKey}>
        <div class="row">
          <button type="button" onClick={async () => location.assign(await downloadUrl(bucket, objectKey))}>
            Download
          </button>
          <button
            type="button"
            class="danger"
            onClick={async () => {
              if (confirm(`Delete ${objectKey}?`) && (await run(() => deleteObject(bucket, objectKey), 'Deleted.'))) {
                head.reload();
                versions.reload();
              }
            }}
          >
            Delete
          </button>
          {size && <span class="hint">{bytes(Number(size))}</span>}
        </div>
        <Note text={note ?? head.error} />
        {headers && (
          <table class="kv">
            <tbody>
              {headers.map(([k, v]) => (
                <tr key={k}>
                  <th>{k}</th>
                  <td>
                    <code>{v}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section title="Versions">
        <Note text={versions.error} />
        <table>
          <thead>
            <tr>
              <th>Version ID</th>
              <th />
              <th class="num">Size</th>
              <th>Last modified</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {versions.value?.map((v) => (
              <tr key={v.versionId}>
                <td>
                  <code>{v.versionId}</code>
                </td>
                <td>
                  {v.latest && <span class="tag">latest</span>}
                  {v.deleteMarker && <span class="tag">delete marker</span>}
                </td>
                <td class="num">{bytes(v.size)}</td>
                <td>{when(v.modified)}</td>
                <td class="actions">
                  {!v.deleteMarker && (
                    <button
                      type="button"
                      onClick={async () => location.assign(await downloadUrl(bucket, objectKey, v.versionId))}
                    >
                      Download
                    </button>
                  )}
                  <button
                    type="button"
                    class="danger"
                    onClick={async () => {
                      if (
                        confirm(`Permanently delete version ${v.versionId}?`) &&
                        (await run(() => deleteObject(bucket, objectKey, v.versionId), 'Version deleted.'))
                      ) {
                        versions.reload();
                        head.reload();
                      }
                    }}
                  >
                    Delete version
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </>
  );
}
