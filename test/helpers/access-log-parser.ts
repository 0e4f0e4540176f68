import { isIP } from 'node:net';

/**
 * Strict parser for the access log lines s3scribe writes (docs/s3-access-log-reference.md §1-2).
 * Integration tests use it to catch any deviation, so it validates the shape of every field
 * instead of merely splitting. Quoted fields may hold raw `"` (AWS does not escape, §2.2), so the
 * line is parsed from its fixed structure: a head of 8 fields, a tail of 9 (or 10) unquoted
 * tokens taken from the right, and the quoted middle located between them.
 */
export interface ParsedAccessLogRecord {
  bucketOwner: string;
  bucket: string;
  /** Without the brackets: `06/Feb/2019:00:00:38 +0000`. */
  time: string;
  remoteIp: string;
  requester: string;
  requestId: string;
  operation: string;
  key: string;
  /** Without the quotes; `-` when absent (bare or quoted). */
  requestUri: string;
  httpStatus: string;
  errorCode: string;
  bytesSent: string;
  objectSize: string;
  totalTime: string;
  turnAroundTime: string;
  referer: string;
  userAgent: string;
  versionId: string;
  hostId: string;
  signatureVersion: string;
  cipherSuite: string;
  authType: string;
  hostHeader: string;
  tlsVersion: string;
  accessPointArn: string;
  aclRequired: string;
  region?: string;
}

type Field = Exclude<keyof ParsedAccessLogRecord, 'region'> | 'region';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HEAD = /^(\S+) (\S+) \[([^\]]*)\] (\S+) (\S+) (\S+) (\S+) (\S+) /;
const TIME = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) \+0000$/;
// Status to Turn-Around Time, then the opening of the Referer field (quoted or bare).
const NUMERIC = /(\d{3}|-) (\S+) (\d+|-) (\d+|-) (\d+|-) (\d+|-) (?=["-])/y;
const TAIL: readonly Field[] = [
  'versionId',
  'hostId',
  'signatureVersion',
  'cipherSuite',
  'authType',
  'hostHeader',
  'tlsVersion',
  'accessPointArn',
  'aclRequired',
];

const UNSIGNED = /^(-|0|[1-9]\d*)$/;
const TOKEN = /^[^\s"]+$/;
const SHAPES: Partial<Record<Field, RegExp>> = {
  bucketOwner: /^[0-9a-f]{64}$/,
  bucket: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  requester: /^(-|[0-9a-f]{64}|AmazonS3|arn:aws[a-z-]*:(iam|sts)::\d{12}:\S+)$/,
  requestId: /^(?!-$)[^\s"]+$/,
  operation: /^(REST|WEBSITE|BATCH|S3)\.[A-Z_]+(\.[A-Z_]+)?$/,
  key: /^(-|(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})+)$/,
  requestUri: /^(-|[A-Z]+ [^ ].* HTTP\/\d\.\d)$/,
  httpStatus: /^(-|[1-5]\d\d)$/,
  errorCode: /^(-|[A-Za-z][A-Za-z0-9.]*)$/,
  bytesSent: /^(-|[1-9]\d*)$/,
  objectSize: UNSIGNED,
  totalTime: UNSIGNED,
  turnAroundTime: UNSIGNED,
  referer: /^[^\r\n]+$/,
  userAgent: /^[^\r\n]+$/,
  versionId: TOKEN,
  hostId: /^(?!-$)[A-Za-z0-9+/=._-]+$/,
  signatureVersion: /^(-|SigV2|SigV4)$/,
  cipherSuite: /^(-|[A-Z0-9_-]+)$/,
  authType: /^(-|AuthHeader|QueryString)$/,
  hostHeader: TOKEN,
  tlsVersion: /^(-|TLS[vV]1(\.[0-3])?)$/,
  accessPointArn: /^(-|arn:aws[a-z-]*:s3:[a-z0-9-]+:\d{12}:accesspoint\/\S+)$/,
  aclRequired: /^(-|Yes)$/,
  region: /^(-|[a-z]{2}(-[a-z]+)+-\d+)$/,
};

function fail(line: string, why: string): never {
  throw new Error(`malformed access log line: ${why}\n  ${JSON.stringify(line)}`);
}

/** Strips the quotes of a quoted field; reports whether it was quoted. */
function unquote(line: string, name: Field, raw: string): { value: string; quoted: boolean } {
  if (raw === '-') return { value: '-', quoted: false };
  if (raw.length < 3 || !raw.startsWith('"') || !raw.endsWith('"'))
    fail(line, `${name} is neither - nor a non-empty quoted value: ${raw}`);
  return { value: raw.slice(1, -1), quoted: true };
}

/** Fields 9-17: `URI STATUS ERROR BYTES SIZE TOTAL TURN REFERER UA`. */
function parseMiddle(line: string, middle: string): Partial<ParsedAccessLogRecord> & { quoted: boolean[] } {
  let uriEnd: number; // index just past the Request-URI field
  if (middle.startsWith('- ')) {
    uriEnd = 1;
  } else if (middle.startsWith('"')) {
    // The URI ends at the first `" ` followed by a well-formed status..turn-around run.
    uriEnd = -1;
    for (let j = middle.indexOf('" ', 1); j > 0; j = middle.indexOf('" ', j + 1)) {
      NUMERIC.lastIndex = j + 2;
      if (NUMERIC.test(middle)) {
        uriEnd = j + 1;
        break;
      }
    }
    if (uriEnd < 0) fail(line, 'no status..turn-around fields after the Request-URI');
  } else {
    return fail(line, 'Request-URI is neither - nor quoted');
  }
  NUMERIC.lastIndex = uriEnd + 1;
  const m = NUMERIC.exec(middle) ?? fail(line, 'status..turn-around fields out of shape');
  const rest = middle.slice(NUMERIC.lastIndex);
  // Referer ends at the first `" ` (or `- `) that leaves a well-formed User-Agent field: referers
  // are URLs, which browsers percent-encode, so a stray `"` is likelier in the User-Agent.
  let refEnd = -1;
  const validUa = (s: string) => s === '-' || (s.length >= 3 && s.startsWith('"') && s.endsWith('"'));
  if (rest.startsWith('- ')) refEnd = 1;
  else
    for (let j = rest.indexOf('" ', 1); j > 0 && refEnd < 0; j = rest.indexOf('" ', j + 1)) {
      if (validUa(rest.slice(j + 2))) refEnd = j + 1;
    }
  if (refEnd < 0 || !validUa(rest.slice(refEnd + 1))) fail(line, 'Referer/User-Agent out of shape');
  const uri = unquote(line, 'requestUri', middle.slice(0, uriEnd));
  const ref = unquote(line, 'referer', rest.slice(0, refEnd));
  const ua = unquote(line, 'userAgent', rest.slice(refEnd + 1));
  return {
    requestUri: uri.value,
    httpStatus: m[1],
    errorCode: m[2],
    bytesSent: m[3],
    objectSize: m[4],
    totalTime: m[5],
    turnAroundTime: m[6],
    referer: ref.value,
    userAgent: ua.value,
    quoted: [uri.quoted, ref.quoted, ua.quoted],
  };
}

function checkTime(line: string, time: string): void {
  const t = TIME.exec(time) ?? fail(line, `time out of shape: [${time}]`);
  const month = MONTHS.indexOf(t[2]);
  const [day, year, h, mi, s] = [t[1], t[3], t[4], t[5], t[6]].map(Number);
  const d = new Date(Date.UTC(year, month, day, h, mi, s));
  if (month < 0 || d.getUTCDate() !== day || d.getUTCMonth() !== month || h > 23 || mi > 59 || s > 59) {
    fail(line, `time is not a valid UTC date: [${time}]`);
  }
}

/** Parses one record (a trailing `\n` is allowed) with exactly `fieldCount` fields. */
export function parseAccessLogLine(line: string, fieldCount: 26 | 27 = 26): ParsedAccessLogRecord {
  const body = line.endsWith('\n') ? line.slice(0, -1) : line;
  if (/[\r\n]/.test(body)) fail(line, 'raw CR or LF inside the record');
  const head = HEAD.exec(body) ?? fail(line, 'fields 1-8 out of shape');
  let rest = body.slice(head[0].length);
  const tailNames = fieldCount === 27 ? [...TAIL, 'region' as const] : TAIL;
  const tail: Partial<Record<Field, string>> = {};
  for (let i = tailNames.length - 1; i >= 0; i--) {
    const sp = rest.lastIndexOf(' ');
    if (sp < 0) fail(line, `too few fields for ${fieldCount}`);
    tail[tailNames[i]] = rest.slice(sp + 1);
    rest = rest.slice(0, sp);
  }
  const { quoted, ...middle } = parseMiddle(line, rest);
  const record = {
    bucketOwner: head[1],
    bucket: head[2],
    time: head[3],
    remoteIp: head[4],
    requester: head[5],
    requestId: head[6],
    operation: head[7],
    key: head[8],
    ...middle,
    ...tail,
  } as ParsedAccessLogRecord;

  checkTime(line, record.time);
  for (const [name, shape] of Object.entries(SHAPES) as [Field, RegExp][]) {
    const value = record[name];
    if (value === undefined && name === 'region' && fieldCount === 26) continue;
    if (value === undefined || !shape.test(value)) fail(line, `field ${name} out of shape: ${JSON.stringify(value)}`);
  }
  checkConsistency(line, record, quoted);
  return record;
}

function checkConsistency(line: string, r: ParsedAccessLogRecord, quoted: boolean[]): void {
  if (r.remoteIp !== '-' && isIP(r.remoteIp) === 0) fail(line, `remote IP out of shape: ${r.remoteIp}`);
  const batch = r.operation.startsWith('BATCH.');
  // s3scribe writes BATCH rows with bare `-` and every other row quoted (reference §3, §2.2).
  if (quoted.some((q) => q === batch))
    fail(line, batch ? 'BATCH row with a quoted URI/Referer/UA' : 'unquoted URI/Referer/UA');
  if (r.key !== '-' && /^(REST|WEBSITE)\./.test(r.operation) && /%(?!25[0-9A-F]{2})/.test(r.key)) {
    fail(line, `key is not double-encoded for ${r.operation}: ${r.key}`);
  }
  if ((r.signatureVersion === '-') !== (r.authType === '-')) fail(line, 'signature version and auth type disagree');
  if (r.authType === '-' && r.requester !== '-' && r.requester !== 'AmazonS3')
    fail(line, 'unauthenticated row names a requester');
  if ((r.cipherSuite === '-') !== (r.tlsVersion === '-')) fail(line, 'cipher suite and TLS version disagree');
}

/** Parses a whole log object: every record newline-terminated, nothing else. */
export function parseAccessLogObject(text: string, fieldCount: 26 | 27 = 26): ParsedAccessLogRecord[] {
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error('access log object does not end with a newline');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      try {
        return parseAccessLogLine(line, fieldCount);
      } catch (err) {
        throw new Error(`line ${i + 1}: ${(err as Error).message}`);
      }
    });
}
