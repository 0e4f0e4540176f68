#!/usr/bin/env node
// Prints the README's supported-operations table from the operation table (run after `npm run build`).
import { operationTable } from '../dist/server/s3/operation-table.js';

const rows = Object.entries(operationTable).map(
  ([name, row]) => `| ${name} | ${row.handler ? 'yes' : '501'} | \`${row.log}\` |`,
);
console.log(['| operation | supported | access-log Operation |', '| --- | --- | --- |', ...rows].join('\n'));
