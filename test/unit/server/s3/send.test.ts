import { describe, expect, it } from 'vitest';
import { S3Error } from '../../../../errors/s3-error.js';
import type { RequestContext } from '../../../../server/kit/context.js';
import { errorDocument } from '../../../../server/s3/send.js';

const ctx = { requestId: '4442587FB7D0A2F9', hostId: 'cXVpdGUgYSBob3N0IGlk' } as RequestContext;
const DECL = '<?xml version="1.0" encoding="UTF-8"?>';

describe('errorDocument', () => {
  it('Code, Message, details in order, Resource, RequestId, HostId; no namespace', () => {
    const err = new S3Error('NoSuchKey', { Key: 'photos/2006/February/sample.jpg' });
    expect(errorDocument(ctx, err, '/bkt/photos/2006/February/sample.jpg')).toBe(
      `${DECL}<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>` +
        '<Key>photos/2006/February/sample.jpg</Key><Resource>/bkt/photos/2006/February/sample.jpg</Resource>' +
        '<RequestId>4442587FB7D0A2F9</RequestId><HostId>cXVpdGUgYSBob3N0IGlk</HostId></Error>',
    );
  });

  it('several details keep their order; numbers become text; undefined details are left out', () => {
    const err = new S3Error('InvalidRange', { RangeRequested: 'bytes=10-20', Missing: undefined, ActualObjectSize: 5 });
    expect(errorDocument(ctx, err, '/bkt/k')).toBe(
      `${DECL}<Error><Code>InvalidRange</Code><Message>The requested range is not satisfiable</Message>` +
        '<RangeRequested>bytes=10-20</RangeRequested><ActualObjectSize>5</ActualObjectSize><Resource>/bkt/k</Resource>' +
        '<RequestId>4442587FB7D0A2F9</RequestId><HostId>cXVpdGUgYSBob3N0IGlk</HostId></Error>',
    );
  });

  it('no details; a custom message; markup escaped', () => {
    const err = new S3Error('InvalidArgument', {}, 'Bad <value> & more');
    expect(errorDocument(ctx, err, '/bkt/a&b')).toBe(
      `${DECL}<Error><Code>InvalidArgument</Code><Message>Bad &lt;value&gt; &amp; more</Message>` +
        '<Resource>/bkt/a&amp;b</Resource><RequestId>4442587FB7D0A2F9</RequestId><HostId>cXVpdGUgYSBob3N0IGlk</HostId></Error>',
    );
  });
});
