import { S3Error } from '../../../errors/s3-error.js';
import type { LogObjectKeyFormat, LoggingConfig, TargetGrant } from '../../../logging/index.js';
import { asArray, textOf, type ParsedXml } from '../parse.js';
import type { XmlElement } from '../render.js';

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const GRANTEE_TYPES = ['CanonicalUser', 'AmazonCustomerByEmail', 'Group'] as const;
const PERMISSIONS = ['FULL_CONTROL', 'READ', 'WRITE'] as const;
const DATE_SOURCES = ['EventTime', 'DeliveryTime'] as const;

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

function grantFrom(g: unknown): TargetGrant {
  const grantee = obj(obj(g).Grantee);
  const attrs = obj(grantee.$);
  const type = (attrs['xsi:type'] ?? attrs.type) as string | undefined;
  const permission = textOf(obj(g).Permission);
  if (!GRANTEE_TYPES.includes(type as never) || !PERMISSIONS.includes(permission as never))
    throw new S3Error('MalformedXML');
  return {
    granteeType: type as TargetGrant['granteeType'],
    id: textOf(grantee.ID),
    displayName: textOf(grantee.DisplayName),
    emailAddress: textOf(grantee.EmailAddress),
    uri: textOf(grantee.URI),
    permission: permission as TargetGrant['permission'],
  };
}

function keyFormatFrom(v: unknown): LogObjectKeyFormat | undefined {
  if (v === undefined) return undefined;
  const f = obj(v);
  const simple = 'SimplePrefix' in f;
  const partitioned = 'PartitionedPrefix' in f;
  if (simple === partitioned) throw new S3Error('MalformedXML');
  if (simple) return { kind: 'SimplePrefix' };
  const source = textOf(obj(f.PartitionedPrefix).PartitionDateSource) || 'EventTime';
  if (!DATE_SOURCES.includes(source as never)) throw new S3Error('MalformedXML');
  return { kind: 'PartitionedPrefix', dateSource: source as 'EventTime' | 'DeliveryTime' };
}

/** BucketLoggingStatus → config, or undefined for an empty status (logging off). */
export function loggingConfigFrom(root: string, body: ParsedXml): LoggingConfig | undefined {
  if (root !== 'BucketLoggingStatus') throw new S3Error('MalformedXML');
  if (body.LoggingEnabled === undefined) return undefined;
  const e = obj(body.LoggingEnabled);
  const targetBucket = textOf(e.TargetBucket);
  const targetPrefix = textOf(e.TargetPrefix);
  if (!targetBucket || targetPrefix === undefined) throw new S3Error('MalformedXML');
  // Ceph RGW's extension: only its default, AWS-format `Standard` logging exists here.
  const loggingType = textOf(e.LoggingType);
  if (loggingType !== undefined && loggingType !== 'Standard')
    throw new S3Error('NotImplemented', {}, `LoggingType ${loggingType} is not implemented`);
  return {
    targetBucket,
    targetPrefix,
    targetGrants: asArray(obj(e.TargetGrants).Grant as unknown[]).map(grantFrom),
    keyFormat: keyFormatFrom(e.TargetObjectKeyFormat),
  };
}

export function loggingConfigXml(c: LoggingConfig | undefined): XmlElement {
  if (!c) return {};
  const grants = c.targetGrants.map((g) => ({
    Grantee: {
      $: { 'xmlns:xsi': XSI, 'xsi:type': g.granteeType },
      ID: g.id,
      EmailAddress: g.emailAddress,
      URI: g.uri,
    },
    Permission: g.permission,
  }));
  // Only a format that was set is returned, so the AWS CLI's put/get round-trips exactly
  // (ceph/s3-tests expects SimplePrefix by default; AWS's documentation does not say).
  const format =
    c.keyFormat?.kind === 'SimplePrefix'
      ? { SimplePrefix: '' }
      : c.keyFormat
        ? { PartitionedPrefix: { PartitionDateSource: c.keyFormat.dateSource } }
        : undefined;
  return {
    LoggingEnabled: {
      TargetBucket: c.targetBucket,
      TargetPrefix: c.targetPrefix,
      TargetGrants: grants.length ? { Grant: grants } : undefined,
      TargetObjectKeyFormat: format,
    },
  };
}
