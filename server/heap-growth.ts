import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full GC kept (1 + percent/100).
 *
 * Request bodies arrive as socket buffers outside V8's heap, and V8 counts that memory, allocated
 * since the last full GC, against the old generation's limit (`Heap::OldGenerationSpaceAvailable`
 * in deps/v8/src/heap/heap.h). So every few tens of MB of upload start a full GC, and each one
 * marks the whole live heap. V8's own factor (`MemoryController::GrowingFactor`,
 * heap-controller.cc) falls when the process allocates fast against how fast it collects, as it
 * does while bodies stream. Once earlier traffic has grown the live heap (the metadata cache among
 * it), the limit stays close above it: the collections come closer together and each one takes
 * longer. A fixed factor keeps the headroom in proportion to the live heap. bench/RESULTS.md,
 * "V8's heap growth", has the multipart rates and the RSS it costs.
 */
export const HEAP_GROWING_PERCENT = 200;

const FLAG = /--heap[-_]growing[-_]percent\b/;

/** The flag to set, or undefined when the person starting node chose one (argv or NODE_OPTIONS). */
export function heapGrowthFlag(execArgv: readonly string[], nodeOptions: string | undefined): string | undefined {
  if (execArgv.some((a) => FLAG.test(a)) || FLAG.test(nodeOptions ?? '')) return undefined;
  return `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/**
 * For the s3scribe command only, whose process is the server's own; a program embedding
 * `startServer` keeps V8's defaults. V8 reads the flag each time it sets a new limit, so setting
 * it after start takes effect from the next full GC.
 */
export function widenHeapGrowth(): void {
  const flag = heapGrowthFlag(process.execArgv, process.env.NODE_OPTIONS);
  if (flag) setFlagsFromString(flag);
}
