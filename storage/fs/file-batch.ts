import { Worker } from 'node:worker_threads';

/**
 * Small file calls made by one worker thread, in batches: every call queued in a turn of the event
 * loop goes to the worker in one message and comes back in one, where libuv's thread pool wakes a
 * worker and then the event loop once per call.
 */

type Call =
  | { op: 'unlink'; path: string }
  | { op: 'readAt'; path: string; position: number; length: number }
  | { op: 'writeNew'; path: string; data: Uint8Array }
  | { op: 'rename'; path: string; to: string };
type Outcome = { error?: { code?: string; message: string; errno?: number; syscall?: string }; bytes?: Uint8Array };

interface Pending {
  call: Call;
  resolve: (bytes: Uint8Array | undefined) => void;
  reject: (err: Error) => void;
}

// CommonJS run by the worker (`eval`): no file to find beside a bundled build.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
let scratch = Buffer.allocUnsafeSlow(32 * 1024);
function run(call) {
  if (call.op === 'unlink') { fs.unlinkSync(call.path); return {}; }
  if (call.op === 'rename') { fs.renameSync(call.path, call.to); return {}; }
  if (call.op === 'writeNew') { fs.writeFileSync(call.path, call.data, { flag: 'wx' }); return {}; }
  if (scratch.length < call.length) scratch = Buffer.allocUnsafeSlow(call.length);
  const fd = fs.openSync(call.path, 'r');
  try {
    const n = fs.readSync(fd, scratch, 0, call.length, call.position);
    // Bytes of their own, handed over without a copy (transfer list).
    const bytes = new Uint8Array(n);
    bytes.set(scratch.subarray(0, n));
    return { bytes };
  } finally {
    fs.closeSync(fd);
  }
}
parentPort.on('message', (calls) => {
  const out = [];
  const transfer = [];
  for (const call of calls) {
    try {
      const r = run(call);
      if (r.bytes) transfer.push(r.bytes.buffer);
      out.push(r);
    } catch (err) {
      out.push({ error: { code: err.code, message: err.message, errno: err.errno, syscall: err.syscall } });
    }
  }
  parentPort.postMessage(out, transfer);
});
`;

/** A started worker and the batches it has not answered yet, oldest first. */
interface Running {
  worker: Worker;
  sent: Pending[][];
}

export class FileBatch {
  private running?: Running;
  private queued: Pending[] = [];
  private scheduled = false;

  unlink(path: string): Promise<void> {
    return this.submit({ op: 'unlink', path }).then(() => undefined);
  }

  rename(from: string, to: string): Promise<void> {
    return this.submit({ op: 'rename', path: from, to }).then(() => undefined);
  }

  /** Creates `path`, which must not exist, holding `data` (copied to the worker). */
  writeNew(path: string, data: Uint8Array): Promise<void> {
    return this.submit({ op: 'writeNew', path, data }).then(() => undefined);
  }

  /** Up to `length` bytes from `position` (fewer at the end of the file); rejects with ENOENT and the like. */
  readAt(path: string, position: number, length: number): Promise<Buffer> {
    return this.submit({ op: 'readAt', path, position, length }).then((bytes) =>
      Buffer.from(bytes!.buffer, bytes!.byteOffset, bytes!.byteLength),
    );
  }

  /** Stops the worker; calls it had not answered fail. A later call starts another. */
  async close(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (running) await running.worker.terminate();
  }

  private submit(call: Call): Promise<Uint8Array | undefined> {
    return new Promise((resolve, reject) => {
      this.queued.push({ call, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.send());
    });
  }

  private send(): void {
    this.scheduled = false;
    const batch = this.queued;
    this.queued = [];
    const running = this.running ?? this.start();
    // Awaited calls keep the process alive until they are answered; an idle worker does not.
    if (running.sent.length === 0) running.worker.ref();
    running.sent.push(batch);
    running.worker.postMessage(batch.map((p) => p.call));
  }

  private start(): Running {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    const running: Running = { worker, sent: [] };
    worker.on('message', (out: Outcome[]) => {
      const batch = running.sent.shift()!;
      if (running.sent.length === 0) worker.unref();
      for (let i = 0; i < batch.length; i++) {
        const r = out[i]!;
        if (r.error) batch[i]!.reject(Object.assign(new Error(r.error.message), r.error));
        else batch[i]!.resolve(r.bytes);
      }
    });
    const fail = (err: Error): void => {
      if (this.running === running) this.running = undefined;
      for (const batch of running.sent.splice(0)) for (const p of batch) p.reject(err);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`file worker exited (${code})`)));
    this.running = running;
    return running;
  }
}
