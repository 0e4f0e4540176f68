import { S3Error } from '../../errors/s3-error.js';

export interface CopySource {
  bucket: string;
  key: string;
  versionId?: string;
}

/** `x-amz-copy-source`: `[/]bucket/key[?versionId=…]`, URL-encoded. */
export function parseCopySource(value: string | undefined): CopySource {
  if (!value)
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: 'x-amz-copy-source' },
      'Copy Source must mention the source bucket and key: sourcebucket/sourcekey',
    );
  const [path, query] = value.split('?', 2) as [string, string | undefined];
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.replace(/^\//, ''));
  } catch {
    throw new S3Error('InvalidArgument', { ArgumentName: 'x-amz-copy-source' }, 'Invalid copy source encoding');
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) {
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: 'x-amz-copy-source' },
      'Copy Source must mention the source bucket and key: sourcebucket/sourcekey',
    );
  }
  const versionId = query ? (new URLSearchParams(query).get('versionId') ?? undefined) : undefined;
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), versionId };
}
