import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/child-server.js';
import { runSoak, soakTable } from '../helpers/soak-run.js';

// A 30 s soak with 16 clients (scripts/soak.mjs runs 64 clients for 300 s): PUT/GET/HEAD/LIST/
// DELETE/multipart (occasional 5 MiB parts) on two buckets logging into a third, against
// `node dist/server/cli.js` (run `npm run build` first). No speed assertions: every answer is
// expected (no 5xx), every acknowledged request's record is delivered exactly once, nothing is
// left in tmp/, uploads or the spool, and RSS / open descriptors do not grow.

describe('soak', () => {
  it('30 s × 16 clients: no errors, every acknowledged record delivered once, no RSS or fd growth', {
    timeout: 150_000,
  }, async () => {
    expect(existsSync(CLI), `${CLI} is missing: run npm run build`).toBe(true);
    const result = await runSoak({ seconds: 30, clients: 16 });
    const table = soakTable(result);
    expect(result.errors, table).toEqual([]);
    expect(result.growth, table).toEqual([]);
    expect(result.log.required, table).toBeGreaterThan(1000);
    expect(result.samples.length, table).toBeGreaterThanOrEqual(10);
  });
});
