import { createHash } from 'node:crypto';
import { isAbsolute, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Layout } from '../../../../storage/fs/layout.js';

const ROOT = join('/', 'srv', 's3scribe-data');
const layout = new Layout(ROOT);
const sha = (key: string): string => createHash('sha256').update(key).digest('hex');

const inside = (dir: string, file: string): boolean => {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

describe('Layout', () => {
  it('fixed files and directories', () => {
    expect(layout.formatFile).toBe(join(ROOT, 'format.json'));
    expect(layout.tmpDir).toBe(join(ROOT, 'tmp'));
    expect(layout.bucketsDir).toBe(join(ROOT, 'buckets'));
    expect(layout.bucketDir('bkt')).toBe(join(ROOT, 'buckets', 'bkt'));
    expect(layout.bucketFile('bkt')).toBe(join(ROOT, 'buckets', 'bkt', 'bucket.json'));
    expect(layout.objectsDir('bkt')).toBe(join(ROOT, 'buckets', 'bkt', 'objects'));
    expect(layout.uploadsDir('bkt')).toBe(join(ROOT, 'buckets', 'bkt', 'uploads'));
  });

  it('golden: an object file is objects/<first 2 hex>/<sha256 of the key>', () => {
    expect(sha('a')).toBe('ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb');
    expect(layout.objectFile('bkt', 'a')).toBe(
      join(ROOT, 'buckets', 'bkt', 'objects', 'ca', 'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb'),
    );
  });

  const KEYS = [
    '../../etc/passwd',
    '..',
    '.',
    '/',
    '/abs/path',
    'a',
    'a/b',
    'a/',
    'a\\..\\..\\b',
    '\u0000',
    'x'.repeat(1024),
    'é'.repeat(512),
    '😀/../..',
  ];

  it.each(
    KEYS.map((k) => [k.length > 40 ? `${k.slice(0, 12)}… (${Buffer.byteLength(k)} bytes)` : JSON.stringify(k), k]),
  )("key %s stays under the bucket's objects dir", (_label, key) => {
    const file = layout.objectFile('bkt', key);
    expect(inside(layout.objectsDir('bkt'), file)).toBe(true);
    expect(relative(layout.objectsDir('bkt'), file)).toBe(join(sha(key).slice(0, 2), sha(key)));
  });

  it('distinct keys get distinct files: a beside a/b, a beside a/, .. beside .', () => {
    const files = KEYS.map((k) => layout.objectFile('bkt', k));
    expect(new Set(files).size).toBe(KEYS.length);
    expect(layout.objectFile('bkt', 'a')).not.toBe(layout.objectFile('bkt', 'a/b'));
  });

  it('the same key in two buckets lives in two places', () => {
    expect(layout.objectFile('one', 'k')).not.toBe(layout.objectFile('two', 'k'));
  });

  it.each([
    '..',
    '.',
    '',
    'a/b',
    '../x',
    'x/..',
    'ab',
    'ABC',
    'a..b',
    '-ab',
    'ab-',
    'a b',
    'a\\b',
    'a'.repeat(64),
    '/abs',
  ])('unsafe bucket name %j throws', (bucket) => {
    expect(Layout.isSafeBucketName(bucket)).toBe(false);
    expect(() => layout.bucketDir(bucket)).toThrow(/unsafe bucket name/);
    expect(() => layout.objectFile(bucket, 'k')).toThrow(/unsafe bucket name/);
  });

  it('upload ids must be 32 lower-case hex digits', () => {
    const id = '0123456789abcdef0123456789abcdef';
    expect(Layout.isUploadId(id)).toBe(true);
    expect(layout.uploadDir('bkt', id)).toBe(join(ROOT, 'buckets', 'bkt', 'uploads', id));
    for (const bad of ['../x', id.toUpperCase(), id.slice(1), `${id}0`, '']) {
      expect(Layout.isUploadId(bad)).toBe(false);
      expect(() => layout.uploadDir('bkt', bad)).toThrow(/unsafe upload id/);
    }
  });

  it('part files are zero-padded', () => {
    const id = '0123456789abcdef0123456789abcdef';
    expect(layout.partFile('bkt', id, 7)).toBe(join(ROOT, 'buckets', 'bkt', 'uploads', id, 'part-00007'));
    expect(layout.partFile('bkt', id, 10000)).toBe(join(ROOT, 'buckets', 'bkt', 'uploads', id, 'part-10000'));
  });
});
