import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, heapGrowthFlag } from '../../../server/heap-growth.js';

describe('heapGrowthFlag', () => {
  it('sets a fixed growth factor when node was started without one', () => {
    expect(heapGrowthFlag(['--enable-source-maps'], '--max-old-space-size=512')).toBe(
      `--heap-growing-percent=${HEAP_GROWING_PERCENT}`,
    );
    expect(heapGrowthFlag([], undefined)).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  });

  it('leaves a factor given on the command line alone, in either spelling', () => {
    expect(heapGrowthFlag(['--heap-growing-percent=50'], undefined)).toBeUndefined();
    expect(heapGrowthFlag(['--heap_growing_percent=50'], '')).toBeUndefined();
  });

  it('leaves a factor given in NODE_OPTIONS alone', () => {
    expect(heapGrowthFlag([], '--max-old-space-size=512 --heap-growing-percent=10')).toBeUndefined();
  });
});
