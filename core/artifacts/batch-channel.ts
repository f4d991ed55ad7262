// Hands borrowed byte batches from one producer to one async-iterating consumer, one at a time: the producer's push
// settles once the consumer asks for the next batch (so the batch may be reused), or at once after the consumer left.

/** An async iterable of borrowed batches: each is valid until the consumer asks for the next one. */
export class BatchChannel implements AsyncIterable<Buffer> {
  private offered: { bytes: Buffer; release: () => void } | undefined;
  private handedOut: (() => void) | undefined;
  private waiting: { resolve: (result: IteratorResult<Buffer>) => void; reject: (error: unknown) => void } | undefined;
  private ended = false;
  private failure: { error: unknown } | undefined;
  private left = false;
  private iterated = false;

  /** Offers a batch; settles when the consumer is done with it (or has left). One push at a time. */
  push(bytes: Buffer): Promise<void> {
    if (this.offered) throw new Error('BatchChannel.push while a batch is still offered');
    if (this.left || this.ended) return Promise.resolve();
    return new Promise<void>((release) => {
      this.offered = { bytes, release };
      this.deliver();
    });
  }

  /** No more batches: the consumer's loop ends, or throws `failure` when given one. */
  end(failure?: { error: unknown }): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = failure;
    this.deliver();
  }

  /** The consumer stops reading: every batch offered now or later is released at once. */
  leave(): void {
    this.left = true;
    this.releaseHandedOut();
    const offered = this.offered;
    this.offered = undefined;
    offered?.release();
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    if (this.iterated) throw new Error('BatchChannel has one consumer');
    this.iterated = true;
    return {
      next: () => {
        // Asking for the next batch gives the previous one back.
        this.releaseHandedOut();
        if (this.left) return Promise.resolve({ done: true, value: undefined });
        return new Promise<IteratorResult<Buffer>>((resolve, reject) => {
          this.waiting = { resolve, reject };
          this.deliver();
        });
      },
      return: () => {
        this.leave();
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }

  private releaseHandedOut(): void {
    const release = this.handedOut;
    this.handedOut = undefined;
    release?.();
  }

  private deliver(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    if (this.offered) {
      const { bytes, release } = this.offered;
      this.offered = undefined;
      this.handedOut = release;
      this.waiting = undefined;
      waiting.resolve({ done: false, value: bytes });
    } else if (this.ended) {
      this.waiting = undefined;
      if (this.failure) waiting.reject(this.failure.error);
      else waiting.resolve({ done: true, value: undefined });
    }
  }
}
