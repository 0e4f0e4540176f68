// S3 lists keys in UTF-8 byte order. JS compares UTF-16 code units, which disagrees with UTF-8
// only between surrogates (code points ≥ U+10000) and U+E000–U+FFFF; shifting those two ranges
// makes code-unit comparison match byte order without encoding the strings.
function rank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}
