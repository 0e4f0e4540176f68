// The columns and the regular expression of create-table.sql, read from that file so the examples
// apply exactly what AWS documents for Athena.
import { readFileSync } from 'node:fs';

const ddl = readFileSync(new URL('./create-table.sql', import.meta.url), 'utf8');

/** Column names in table order, with their declared types. */
export const COLUMNS = [...ddl.matchAll(/^\s*`(\w+)` (STRING|BIGINT)/gm)].map((m) => ({ name: m[1], type: m[2] }));

/** The RegexSerDe pattern, with the Hive string literal's escapes (`\\` and `\"`) undone. */
export const PATTERN = /'input\.regex'='(.*)'\)$/m.exec(ddl)[1].replace(/\\(\\|")/g, '$1');

/** RegexSerDe matches a whole line: a line that does not match gives a row of NULLs in Athena. */
export const LINE = new RegExp(`^${PATTERN}`);

/** A record line as Athena's table sees it: column → value, or undefined when it does not match. */
export function parseLine(line) {
  const m = LINE.exec(line);
  if (!m) return undefined;
  return Object.fromEntries(COLUMNS.map((c, i) => [c.name, m[i + 1]]));
}
