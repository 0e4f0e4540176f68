import { randomBytes } from 'node:crypto';
import { mulberry32 } from '../common/mulberry32.js';

/**
 * The UniqueString at the end of log object names (reference §5): 16 uppercase hex, as AWS shows.
 * It only has to prevent overwrites; like Ceph RGW (a counter then random characters [CEPH-DOC])
 * we make names sort by creation, so a listing of the target prefix reads in delivery order even
 * when two objects share a second in their timestamp part.
 */
export interface UniqueStringSource {
  next(): string;
}

const COUNTER_HEX = 10;
const RANDOM_HEX = 6;
const COUNTER_SPAN = 2 ** (4 * COUNTER_HEX);

/**
 * Without a seed: a 10-hex counter that starts at the wall clock in centiseconds (fits 40 bits
 * until the year 2318) and then never goes below it, plus 6 random hex. Strictly increasing
 * within a process, and a restarted process starts above the names its predecessor wrote unless
 * that one sustained more than 100 objects a second.
 *
 * With a seed: the same shape from a mulberry32 stream, so the same seed yields the same names
 * (byte-identical golden logs) and they still sort in creation order.
 */
export function createUniqueStringSource(seed?: number): UniqueStringSource {
  return seed === undefined ? clockSource() : seededSource(seed);
}

function render(counter: number, random: number): string {
  const hi = (counter % COUNTER_SPAN).toString(16).padStart(COUNTER_HEX, '0');
  const lo = random.toString(16).padStart(RANDOM_HEX, '0');
  return (hi + lo).toUpperCase();
}

function clockSource(): UniqueStringSource {
  let last = -1;
  return {
    next(): string {
      // max() rather than the clock alone: the clock may stand still or step back (NTP).
      last = Math.max(last + 1, Math.floor(Date.now() / 10));
      return render(last, randomBytes(3).readUIntBE(0, 3));
    },
  };
}

function seededSource(seed: number): UniqueStringSource {
  const whole = Number.isFinite(seed) ? Math.trunc(seed) : 0;
  const random = mulberry32((whole >>> 0) ^ (Math.floor(whole / 2 ** 32) >>> 0));
  // Start in [2^38, 2^39): ten significant hex digits, and room for 2^38 names before wrapping.
  let counter = ((random() & 0x3f) | 0x40) * 2 ** 32 + random();
  return {
    next(): string {
      counter += 1;
      return render(counter, random() >>> 8);
    },
  };
}
