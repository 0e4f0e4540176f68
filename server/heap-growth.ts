import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full GC kept (1 + percent/100).
 *
 * Request bodies arrive as socket buffers outside V8's heap, and V8 counts that memory, allocated
 * since the last full GC, against the old generation's limit (`Heap::OldGenerationSpaceAvailable`
 * in deps/v8/src/heap/heap.h). So every few tens of MB of upload start a full GC, and each one
 * marks the whole live heap. V8 sets the limit from the live heap times a factor it derives from
 * how fast it collects against how fast JavaScript allocates on the heap
 * (`MemoryController::DynamicGrowingFactor`, heap-controller.cc): a server with a small heap that
 * allocates little while bodies stream gets the minimum, 1.1, and a limit a fixed step above its
 * live heap. Once earlier traffic has grown the live heap (the metadata cache among it), the
 * collections come at least as often and each one marks more. A fixed factor keeps the room between them
 * in proportion to the live heap. bench/RESULTS.md, section
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
