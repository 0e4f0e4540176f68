import { parseArgs } from 'node:util';
import { DEFAULT_PORT } from './config.js';

const USAGE = `Usage: s3scribe tail [--endpoint URL] [--bucket B] [--operation OP] [--status S] [--json] [--no-color]

Prints each access-log record as its request ends, from a running s3scribe.
  --endpoint URL    the server (default $S3SCRIBE_ENDPOINT or http://127.0.0.1:${DEFAULT_PORT})
  --bucket B        only this bucket's records
  --operation OP    only this operation (REST.GET.OBJECT), or a prefix with * (REST.PUT.*)
  --status S        only these statuses: 404, 4xx, or a list (403,5xx)
  --json            one JSON object per record: the line, whether it is delivered, its fields
  --no-color        plain lines (the default when stdout is not a terminal)
`;

/** Green 2xx, cyan 3xx, yellow 4xx, red 5xx, as terminals show them. */
function colour(status: number | undefined): string {
  if (status === undefined) return '';
  return ['', '', '\x1b[32m', '\x1b[36m', '\x1b[33m', '\x1b[31m'][Math.floor(status / 100)] ?? '';
}

/** `s3scribe tail`: the live access log in a terminal, through GET /_s3scribe/logs/stream. */
export async function runTail(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        endpoint: { type: 'string' },
        bucket: { type: 'string' },
        operation: { type: 'string' },
        status: { type: 'string' },
        json: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`s3scribe tail: ${(err as Error).message.split('\n')[0]}; see s3scribe tail --help\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const endpoint = String(values.endpoint ?? env.S3SCRIBE_ENDPOINT ?? `http://127.0.0.1:${DEFAULT_PORT}`);
  const query = new URLSearchParams();
  for (const name of ['bucket', 'operation', 'status'] as const)
    if (typeof values[name] === 'string') query.set(name, values[name] as string);
  let url: URL;
  try {
    url = new URL(`/_s3scribe/logs/stream?${query}`, endpoint);
  } catch {
    process.stderr.write(`s3scribe tail: --endpoint ${JSON.stringify(endpoint)} is not a URL\n`);
    return 2;
  }
  const useColour = !values['no-color'] && !values.json && process.stdout.isTTY === true && !env.NO_COLOR;
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    process.stderr.write(`s3scribe tail: cannot reach ${endpoint} (${(err as Error).cause ?? err})\n`);
    return 1;
  }
  if (!res.ok || !res.body) {
    process.stderr.write(`s3scribe tail: ${endpoint} answered ${res.status}: ${(await res.text()).trim()}\n`);
    return 1;
  }
  process.stderr.write(`s3scribe tail: following ${url.origin}${query.size ? ` (${query})` : ''}\n`);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      printEvent(buffer.slice(0, end), Boolean(values.json), useColour);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
    }
  }
  process.stderr.write('s3scribe tail: the server closed the stream\n');
  return 0;
}

function printEvent(block: string, json: boolean, useColour: boolean): void {
  let event = 'message';
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data += line.slice(6);
  }
  if (event === 'dropped') {
    process.stderr.write(`s3scribe tail: ${data} records dropped (this terminal fell behind)\n`);
    return;
  }
  if (event !== 'record') return;
  if (json) {
    process.stdout.write(`${data}\n`);
    return;
  }
  const parsed = JSON.parse(data) as { line: string; fields: { httpStatus?: number } };
  const c = useColour ? colour(parsed.fields.httpStatus) : '';
  process.stdout.write(c ? `${c}${parsed.line}\x1b[0m\n` : `${parsed.line}\n`);
}
