// The access-log pipeline's public face: the server imports logging/ through this file only.
export type { LoggedRequest, ExtraLogRecord } from './logged-request.js';
export { type LoggingConfig, logKeysFit, type TargetGrant } from './logging-config.js';
export type { LogObjectKeyFormat } from './object-key.js';
export { AccessLogPipeline, type FlushResult, type PipelineOptions } from './pipeline.js';
export type { DeliveryTarget } from './spool.js';
export { type LiveTail, type TailEvent, type TailFilter, type TailSink, matchesTail } from './live-tail.js';
