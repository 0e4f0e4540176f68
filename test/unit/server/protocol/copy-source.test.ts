import { describe, expect, it } from 'vitest';
import { S3Error } from '../../../../errors/s3-error.js';
import { parseCopySource } from '../../../../server/protocol/copy-source.js';

describe('parseCopySource', () => {
  it('with and without the leading slash', () => {
    expect(parseCopySource('/src/dir/key.txt')).toEqual({ bucket: 'src', key: 'dir/key.txt', versionId: undefined });
    expect(parseCopySource('src/dir/key.txt')).toEqual({ bucket: 'src', key: 'dir/key.txt', versionId: undefined });
  });

  it('versionId', () => {
    expect(parseCopySource('/src/key?versionId=3HL4kqtJlcpXroDTDmjVBH40Nrjfkd')).toEqual({
      bucket: 'src',
      key: 'key',
      versionId: '3HL4kqtJlcpXroDTDmjVBH40Nrjfkd',
    });
  });

  it('the key is URL-decoded; + stays a plus', () => {
    expect(parseCopySource('src/a%20b%2Fc').key).toBe('a b/c');
    expect(parseCopySource('src/caf%C3%A9').key).toBe('café');
    expect(parseCopySource('src/a%3Fb?versionId=v').key).toBe('a?b');
    expect(parseCopySource('src/a+b').key).toBe('a+b');
    expect(parseCopySource('src/a%2Bb').key).toBe('a+b');
  });

  it('a key that starts with a slash', () => {
    expect(parseCopySource('/src//k')).toEqual({ bucket: 'src', key: '/k', versionId: undefined });
  });

  it.each([undefined, '', 'src', '/src', 'src/', '/src/', '/', '//key', 'src/%E0%A4%A'])(
    '%j → InvalidArgument',
    (value) => {
      let err: unknown;
      try {
        parseCopySource(value);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(S3Error);
      expect((err as S3Error).code).toBe('InvalidArgument');
      expect((err as S3Error).status).toBe(400);
    },
  );
});
