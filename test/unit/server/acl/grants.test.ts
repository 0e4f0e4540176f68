import { describe, expect, it } from 'vitest';
import {
  aclFromHeaders,
  ALL_USERS,
  allowsEveryone,
  AUTHENTICATED_USERS,
  LOG_DELIVERY,
  ownerGrant,
} from '../../../../server/acl/grants.js';
import { S3Error } from '../../../../errors/s3-error.js';
import type { AclGrant } from '../../../../storage/storage.js';

const group = (uri: string, permission: AclGrant['permission']): AclGrant => ({
  grantee: { type: 'Group', uri },
  permission,
});

function aclError(h: Record<string, string>): S3Error {
  try {
    aclFromHeaders(h);
  } catch (err) {
    if (err instanceof S3Error) return err;
    throw err;
  }
  throw new Error('headers were accepted');
}

describe('aclFromHeaders', () => {
  it('no ACL headers → undefined', () => {
    expect(aclFromHeaders({})).toBeUndefined();
    expect(aclFromHeaders({ 'content-type': 'text/plain' })).toBeUndefined();
  });

  it('group URIs are the AWS ones', () => {
    expect(ALL_USERS).toBe('http://acs.amazonaws.com/groups/global/AllUsers');
    expect(AUTHENTICATED_USERS).toBe('http://acs.amazonaws.com/groups/global/AuthenticatedUsers');
    expect(LOG_DELIVERY).toBe('http://acs.amazonaws.com/groups/s3/LogDelivery');
  });

  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl
  it.each([
    ['private', []],
    ['public-read', [group(ALL_USERS, 'READ')]],
    ['public-read-write', [group(ALL_USERS, 'READ'), group(ALL_USERS, 'WRITE')]],
    ['authenticated-read', [group(AUTHENTICATED_USERS, 'READ')]],
    ['log-delivery-write', [group(LOG_DELIVERY, 'WRITE'), group(LOG_DELIVERY, 'READ_ACP')]],
    ['aws-exec-read', []],
    ['bucket-owner-read', []],
    ['bucket-owner-full-control', []],
  ])('canned %s', (canned, grants) => {
    expect(aclFromHeaders({ 'x-amz-acl': canned })).toEqual(grants);
  });

  it('an unknown canned ACL → InvalidArgument (400)', () => {
    const err = aclError({ 'x-amz-acl': 'public' });
    expect(err.code).toBe('InvalidArgument');
    expect(err.status).toBe(400);
    expect(err.details).toEqual({ ArgumentName: 'x-amz-acl', ArgumentValue: 'public' });
  });

  it('x-amz-grant-read with id="…" and uri="…"', () => {
    expect(aclFromHeaders({ 'x-amz-grant-read': `id="${'a'.repeat(64)}"` })).toEqual([
      { grantee: { type: 'CanonicalUser', id: 'a'.repeat(64) }, permission: 'READ' },
    ]);
    expect(aclFromHeaders({ 'x-amz-grant-read': `uri="${ALL_USERS}"` })).toEqual([group(ALL_USERS, 'READ')]);
  });

  it('several grantees in one header, unquoted values, emailAddress', () => {
    expect(
      aclFromHeaders({ 'x-amz-grant-read': `id="abc", uri=${AUTHENTICATED_USERS},emailAddress="x@example.com"` }),
    ).toEqual([
      { grantee: { type: 'CanonicalUser', id: 'abc' }, permission: 'READ' },
      group(AUTHENTICATED_USERS, 'READ'),
      { grantee: { type: 'AmazonCustomerByEmail', emailAddress: 'x@example.com' }, permission: 'READ' },
    ]);
  });

  it('each grant header gives its permission', () => {
    expect(
      aclFromHeaders({
        'x-amz-grant-full-control': 'id="o"',
        'x-amz-grant-read': 'id="r"',
        'x-amz-grant-write': `uri="${LOG_DELIVERY}"`,
        'x-amz-grant-read-acp': 'id="ra"',
        'x-amz-grant-write-acp': 'id="wa"',
      })?.map((g) => g.permission),
    ).toEqual(['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP']);
  });

  it('a grant value that is not key="value" → InvalidArgument', () => {
    expect(aclError({ 'x-amz-grant-read': 'everyone' }).code).toBe('InvalidArgument');
    expect(aclError({ 'x-amz-grant-read': 'name="x"' }).code).toBe('InvalidArgument');
  });

  it('a canned ACL together with grant headers → InvalidRequest (400)', () => {
    const err = aclError({ 'x-amz-acl': 'private', 'x-amz-grant-read': 'id="abc"' });
    expect(err.code).toBe('InvalidRequest');
    expect(err.status).toBe(400);
    expect(err.message).toBe('Specifying both Canned ACLs and Header Grants is not allowed');
  });
});

describe('allowsEveryone', () => {
  it('AllUsers READ/WRITE or FULL_CONTROL grants it; other groups and users do not', () => {
    expect(allowsEveryone(undefined, 'READ')).toBe(false);
    expect(allowsEveryone([], 'READ')).toBe(false);
    expect(allowsEveryone(aclFromHeaders({ 'x-amz-acl': 'public-read' }), 'READ')).toBe(true);
    expect(allowsEveryone(aclFromHeaders({ 'x-amz-acl': 'public-read' }), 'WRITE')).toBe(false);
    expect(allowsEveryone(aclFromHeaders({ 'x-amz-acl': 'public-read-write' }), 'WRITE')).toBe(true);
    expect(allowsEveryone([group(ALL_USERS, 'FULL_CONTROL')], 'WRITE')).toBe(true);
    expect(allowsEveryone([group(ALL_USERS, 'READ_ACP')], 'READ')).toBe(false);
    expect(allowsEveryone(aclFromHeaders({ 'x-amz-acl': 'authenticated-read' }), 'READ')).toBe(false);
    expect(allowsEveryone([{ grantee: { type: 'CanonicalUser', id: ALL_USERS }, permission: 'READ' }], 'READ')).toBe(
      false,
    );
  });
});

describe('ownerGrant', () => {
  it('FULL_CONTROL for the owner as a canonical user', () => {
    expect(ownerGrant({ id: 'abc', displayName: 'me' })).toEqual({
      grantee: { type: 'CanonicalUser', id: 'abc', displayName: 'me' },
      permission: 'FULL_CONTROL',
    });
  });
});
