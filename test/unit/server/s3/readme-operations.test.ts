import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { operationTable } from '../../../../server/s3/operation-table.js';

// The README's supported-operations table is generated from the operation table; this keeps them in step.
describe('README supported operations', () => {
  it('lists every operation with whether it is built and its access-log Operation', () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    const rows = Object.entries(operationTable).map(
      ([name, row]) => `| ${name} | ${row.handler ? 'yes' : '501'} | \`${row.log}\` |`,
    );
    for (const row of rows) expect(readme).toContain(row);
    expect(readme).toContain(`The table (${rows.length} operations)`);
  });
});
