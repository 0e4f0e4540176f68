// The NotificationConfiguration document:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html,
// event names: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
import { randomUUID } from 'node:crypto';
import { S3Error } from '../../../errors/s3-error.js';
import type { BucketConfig } from '../../../storage/storage.js';
import type { ParsedXml } from '../parse.js';
import type { XmlElement } from '../render.js';
import { expectRoot, fieldsOf, many, one, onlyFields, requiredText, textField, textValue } from './elements.js';

export type NotificationConfig = NonNullable<BucketConfig['notification']>;
type Destination = NotificationConfig['configurations'][number];

const KINDS = [
  { kind: 'Topic', element: 'TopicConfiguration', service: 'sns' },
  { kind: 'Queue', element: 'QueueConfiguration', service: 'sqs' },
  { kind: 'CloudFunction', element: 'CloudFunctionConfiguration', service: 'lambda' },
] as const;

const EVENTS = new Set([
  's3:TestEvent',
  's3:ReducedRedundancyLostObject',
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*',
  's3:ObjectRestore:Post',
  's3:ObjectRestore:Completed',
  's3:ObjectRestore:Delete',
  's3:Replication:*',
  's3:Replication:OperationFailedReplication',
  's3:Replication:OperationNotTracked',
  's3:Replication:OperationMissedThreshold',
  's3:Replication:OperationReplicatedAfterThreshold',
  's3:LifecycleExpiration:*',
  's3:LifecycleExpiration:Delete',
  's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:LifecycleTransition',
  's3:IntelligentTiering',
  's3:ObjectTagging:*',
  's3:ObjectTagging:Put',
  's3:ObjectTagging:Delete',
  's3:ObjectAcl:Put',
]);

const invalidArgument = (name: string, value: string, message: string): S3Error =>
  new S3Error('InvalidArgument', { ArgumentName: name, ArgumentValue: value }, message);

function destinationFrom(value: unknown, kind: (typeof KINDS)[number]): Destination {
  const fields = fieldsOf(value);
  // The ARN element is named after the kind (Topic, Queue, CloudFunction); Lambda's is also spelled CloudFunction.
  onlyFields(fields, ['Id', kind.kind, 'Event', 'Filter']);
  const arn = requiredText(fields, kind.kind);
  // S3 checks that it can publish to the destination; here only that the ARN names the right service.
  if (!new RegExp(`^arn:aws[a-z-]*:${kind.service}:`).test(arn))
    throw invalidArgument(kind.kind, arn, 'Unable to validate the following destination configurations');
  const events = many(fields, 'Event').map(textValue);
  if (events.length === 0) throw new S3Error('MalformedXML');
  for (const event of events) {
    if (!EVENTS.has(event)) throw invalidArgument('Event', event, 'The event is not supported for notifications');
  }
  const filterRules: Destination['filterRules'] = [];
  const filter = one(fields, 'Filter');
  if (filter !== undefined) {
    const filterFields = fieldsOf(filter);
    onlyFields(filterFields, ['S3Key']);
    const key = one(filterFields, 'S3Key');
    const keyFields = key === undefined ? {} : fieldsOf(key);
    onlyFields(keyFields, ['FilterRule']);
    for (const r of many(keyFields, 'FilterRule')) {
      const rule = fieldsOf(r);
      onlyFields(rule, ['Name', 'Value']);
      const name = requiredText(rule, 'Name');
      const value = textField(rule, 'Value') ?? '';
      const lower = name.toLowerCase();
      if (lower !== 'prefix' && lower !== 'suffix')
        throw invalidArgument('FilterRule', name, 'filter rule name must be either prefix or suffix');
      if (filterRules.some((f) => f.name.toLowerCase() === lower))
        throw invalidArgument('FilterRule', name, `Cannot specify more than one ${lower} rule in a filter.`);
      filterRules.push({ name, value });
    }
  }
  return {
    kind: kind.kind,
    id: textField(fields, 'Id') || Buffer.from(randomUUID()).toString('base64'),
    arn,
    events,
    filterRules,
  };
}

/** Parses and lightly validates a notification configuration; an empty one turns notifications off. */
export function notificationFrom(root: string, body: ParsedXml): NotificationConfig {
  expectRoot(root, 'NotificationConfiguration');
  onlyFields(body, [...KINDS.map((k) => k.element), 'EventBridgeConfiguration']);
  const configurations = KINDS.flatMap((kind) => many(body, kind.element).map((c) => destinationFrom(c, kind)));
  const ids = new Set(configurations.map((c) => c.id));
  if (ids.size !== configurations.length)
    throw invalidArgument('Id', '', 'Configuration Id must be unique within a notification configuration');
  const eventBridge = one(body, 'EventBridgeConfiguration');
  if (eventBridge !== undefined) onlyFields(fieldsOf(eventBridge), []);
  return { configurations, eventBridge: eventBridge !== undefined };
}

export function notificationXml(c: NotificationConfig | undefined): XmlElement {
  if (!c) return {};
  const out: XmlElement = {};
  for (const kind of KINDS) {
    const list = c.configurations.filter((d) => d.kind === kind.kind);
    if (!list.length) continue;
    out[kind.element] = list.map((d) => ({
      Id: d.id,
      [kind.kind]: d.arn,
      Event: d.events,
      Filter: d.filterRules.length
        ? { S3Key: { FilterRule: d.filterRules.map((f) => ({ Name: f.name, Value: f.value })) } }
        : undefined,
    }));
  }
  if (c.eventBridge) out.EventBridgeConfiguration = {};
  return out;
}
