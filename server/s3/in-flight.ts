/**
 * S3 requests between their first byte and their response's close. A request alone in flight has
 * nobody to wait for: its access-log record need not wait a turn to share a spool write, and the
 * store makes its small file-system calls without the thread pool (`storage/fs/file-calls.ts`).
 */
export class InFlight {
  private count = 0;
  /**
   * Requests begun in this turn of the event loop. A request answered within the callback that
   * read it (a cached HEAD) is alone in flight when it ends, even when a dozen other connections
   * wait in the same turn; the second such request on shows that others are coming.
   */
  private begunThisTurn = 0;
  private readonly newTurn = (): void => {
    this.begunThisTurn = 0;
  };

  began(): void {
    this.count++;
    if (this.begunThisTurn++ === 0) setImmediate(this.newTurn);
  }

  ended(): void {
    this.count--;
  }

  /** No other request is in flight, and none other began in this turn of the event loop. */
  get alone(): boolean {
    return this.count <= 1 && this.begunThisTurn <= 1;
  }
}
