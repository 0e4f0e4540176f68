/**
 * Serialises the commit step (rename + index update) per key, so the object on disk and the
 * listing index always agree on which of two concurrent writes won.
 */
export class KeyLock {
  private readonly tails = new Map<string, Promise<void>>();

  /**
   * Runs `fn` once every earlier `run` of the same key has settled. With none under way (the usual
   * case) `fn` starts at once: a lock taken on every object write should cost no promise turns.
   */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    const result = previous === undefined ? start(fn) : previous.then(fn);
    const tail = result.then(settled, settled);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

function start<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return fn();
  } catch (err) {
    return Promise.reject(err);
  }
}

function settled(): void {}
