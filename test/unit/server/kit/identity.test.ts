import { describe, expect, it } from 'vitest';
import { canonicalIdOf, DEFAULT_IDENTITY, IdentityTable } from '../../../../server/kit/identity.js';

describe('IdentityTable', () => {
  it('an identity of another account gets its own stable canonical id, name and root ARN', () => {
    const table = new IdentityTable([{ accessKeyId: 'k1', accountId: '111122223333' }]);
    const id = table.resolve('k1');
    expect(id.canonicalId).toMatch(/^[0-9a-f]{64}$/);
    expect(id.canonicalId).not.toBe(DEFAULT_IDENTITY.canonicalId);
    expect(id.canonicalId).toBe(canonicalIdOf('111122223333'));
    expect(id.displayName).toBe('111122223333');
    expect(id.arn).toBe('arn:aws:iam::111122223333:root');
    expect(table.accountIdOf(id.canonicalId)).toBe('111122223333');
  });

  it('two keys of one account share its canonical id; given values win', () => {
    const table = new IdentityTable([
      { accessKeyId: 'a', accountId: '111122223333' },
      { accessKeyId: 'b', accountId: '111122223333', arn: 'arn:aws:iam::111122223333:user/bob' },
      { accessKeyId: 'c', accountId: '444455556666', canonicalId: 'c'.repeat(64), displayName: 'carol' },
    ]);
    expect(table.resolve('a').canonicalId).toBe(table.resolve('b').canonicalId);
    expect(table.resolve('b').arn).toBe('arn:aws:iam::111122223333:user/bob');
    expect(IdentityTable.requesterOf(table.resolve('b'))).toBe('arn:aws:iam::111122223333:user/bob');
    expect(table.resolve('c')).toMatchObject({ canonicalId: 'c'.repeat(64), displayName: 'carol' });
  });

  it('unknown keys and identities of the default account act as the documented default identity', () => {
    const table = new IdentityTable([{ accessKeyId: 'd', accountId: DEFAULT_IDENTITY.accountId }]);
    expect(table.resolve('d').canonicalId).toBe(DEFAULT_IDENTITY.canonicalId);
    expect(table.resolve('anything')).toMatchObject({ ...DEFAULT_IDENTITY, accessKeyId: 'anything' });
  });
});
