import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  PutBucketAclCommand,
  PutBucketLoggingCommand,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { describe } from 'vitest';
import { adminFlush, readLogObjects } from '../helpers/access-logs.js';
import { bodyText, expect, freshBucket, test } from '../helpers/server.js';

/** A browser's form POST: fields in order, the file last. */
async function postForm(url: string, fields: Record<string, string>, file: string | Buffer, filename = 'f.txt') {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([file]), filename);
  const res = await fetch(url, { method: 'POST', body: form, redirect: 'manual' });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('PostObject (browser-based uploads)', () => {
  test('PostObject: a presigned POST from the SDK uploads within its conditions', async ({ s3, server, bucket }) => {
    const { url, fields } = await createPresignedPost(s3, {
      Bucket: bucket,
      Key: 'uploads/${filename}',
      Conditions: [
        ['starts-with', '$key', 'uploads/'],
        ['content-length-range', 0, 1024],
      ],
      Fields: { 'Content-Type': 'text/plain' },
      Expires: 600,
    });
    expect(url).toContain(server.url.replace('http://', ''));
    const res = await postForm(url, fields, 'hello', 'greeting.txt');
    expect(res.status).toBe(204);
    expect(res.headers.get('etag')).toBe('"5d41402abc4b2a76b9719d911017c592"');
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'uploads/greeting.txt' }));
    expect(got.ContentType).toBe('text/plain');
    expect(await bodyText(got.Body)).toBe('hello');
  });

  test('PostObject: a file over content-length-range is EntityTooLarge and nothing is stored', async ({
    s3,
    raw,
    bucket,
  }) => {
    const { url, fields } = await createPresignedPost(s3, {
      Bucket: bucket,
      Key: 'small',
      Conditions: [['content-length-range', 0, 4]],
    });
    const res = await postForm(url, fields, 'too large');
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>EntityTooLarge</Code>');
    expect((await raw('HEAD', `/${bucket}/small`)).status).toBe(404);
  });

  test('PostObject: an expired policy, a failed condition and an extra field are AccessDenied', async ({
    s3,
    bucket,
  }) => {
    const expired = await createPresignedPost(s3, { Bucket: bucket, Key: 'k', Expires: -60 });
    expect((await postForm(expired.url, expired.fields, 'v')).text).toContain('Policy expired');
    const strict = await createPresignedPost(s3, {
      Bucket: bucket,
      Key: 'k',
      Conditions: [['starts-with', '$Content-Type', 'image/']],
      Fields: { 'Content-Type': 'text/plain' },
    });
    const failed = await postForm(strict.url, strict.fields, 'v');
    expect(failed.status).toBe(403);
    expect(failed.text).toContain('Policy Condition failed');
    const plain = await createPresignedPost(s3, { Bucket: bucket, Key: 'k' });
    const extra = await postForm(plain.url, { ...plain.fields, 'x-amz-meta-color': 'red' }, 'v');
    expect(extra.status).toBe(403);
    expect(extra.text).toContain('Extra input fields: x-amz-meta-color');
  });

  test('PostObject: success_action_status 201 answers a PostResponse; a redirect answers 303 with bucket, key and etag', async ({
    s3,
    bucket,
  }) => {
    const created = await createPresignedPost(s3, {
      Bucket: bucket,
      Key: 'c',
      Fields: { success_action_status: '201' },
    });
    const res = await postForm(created.url, created.fields, 'v');
    expect(res.status).toBe(201);
    expect(res.text).toMatch(/^<\?xml[^>]*\?><PostResponse><Location>[^<]+<\/Location><Bucket>/);
    expect(res.text).toContain('<Key>c</Key>');
    const redirect = await createPresignedPost(s3, {
      Bucket: bucket,
      Key: 'r',
      Fields: { success_action_redirect: 'http://app.example/done' },
    });
    const moved = await postForm(redirect.url, redirect.fields, 'v');
    expect(moved.status).toBe(303);
    const target = new URL(moved.headers.get('location')!);
    expect([
      target.origin + target.pathname,
      target.searchParams.get('bucket'),
      target.searchParams.get('key'),
    ]).toEqual(['http://app.example/done', bucket, 'r']);
  });

  test('PostObject: anonymous form uploads need a bucket that grants them; tagging applies', async ({
    s3,
    server,
    bucket,
  }) => {
    const denied = await postForm(`${server.url}/${bucket}`, { key: 'anon' }, 'v');
    expect(denied.status).toBe(403);
    await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read-write' }));
    const tagging = '<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>';
    const ok = await postForm(`${server.url}/${bucket}`, { key: 'anon', tagging }, 'v');
    expect(ok.status).toBe(204);
    const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'anon' }));
    expect(tags.TagSet).toEqual([{ Key: 'a', Value: 'b' }]);
  });

  test('PostObject: a body that is not multipart/form-data is PreconditionFailed', async ({ raw, bucket }) => {
    const res = await raw('POST', `/${bucket}`, { headers: { 'content-type': 'text/plain' }, body: 'key=a' });
    expect(res.status).toBe(412);
  });

  test('Access log: REST.POST.OBJECT with the key from the form', async ({ s3, server, bucket }) => {
    const logs = await freshBucket(s3, 'logs');
    await s3.send(
      new PutBucketLoggingCommand({
        Bucket: bucket,
        BucketLoggingStatus: { LoggingEnabled: { TargetBucket: logs, TargetPrefix: 'p/' } },
      }),
    );
    const { url, fields } = await createPresignedPost(s3, { Bucket: bucket, Key: 'logged.txt' });
    expect((await postForm(url, fields, 'v')).status).toBe(204);
    await adminFlush(server.url);
    const records = (await readLogObjects(s3, logs, 'p/')).flatMap((o) => o.records);
    expect(records.find((r) => r.operation === 'REST.POST.OBJECT')).toMatchObject({
      key: 'logged.txt',
      httpStatus: '204',
      requestUri: `POST /${bucket} HTTP/1.1`,
    });
  });
});
