// Pulls exact byte counts out of an async stream of chunks without re-copying the whole stream.
// Knows nothing about tar or gzip; the tar reader builds on it.

export class ChunkReader {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;
  /** Bytes handed out (taken or skipped) so far. */
  consumed = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Buffers at least `count` bytes; false when the stream ends first. */
  async fill(count: number): Promise<boolean> {
    while (this.buffered < count) {
      if (this.ended) return false;
      const next = await this.iterator.next();
      if (next.done) {
        this.ended = true;
        return this.buffered >= count;
      }
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      if (chunk.length > 0) {
        this.chunks.push(chunk);
        this.buffered += chunk.length;
      }
    }
    return true;
  }

  /** True when nothing is buffered and the source has no more data. */
  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }

  /** Removes and returns exactly `count` buffered bytes (call `fill` first). */
  take(count: number): Buffer {
    if (count > this.buffered) throw new RangeError('ChunkReader.take beyond buffered data');
    this.consumed += count;
    this.buffered -= count;
    const first = this.chunks[0];
    if (first && first.length >= count) {
      if (first.length === count) this.chunks.shift();
      else this.chunks[0] = first.subarray(count);
      return first.subarray(0, count);
    }
    const out = Buffer.allocUnsafe(count);
    let written = 0;
    while (written < count) {
      const chunk = this.chunks[0]!;
      const part = Math.min(chunk.length, count - written);
      chunk.copy(out, written, 0, part);
      written += part;
      if (part === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(part);
    }
    return out;
  }

  /** Yields up to `count` bytes as they arrive, without concatenating; stops early at end of stream. */
  async *stream(count: number): AsyncGenerator<Buffer> {
    let left = count;
    while (left > 0) {
      if (this.buffered === 0 && !(await this.fill(1))) return;
      const chunk = this.chunks[0]!;
      const part = Math.min(chunk.length, left);
      yield this.take(part);
      left -= part;
    }
  }

  /** Discards `count` bytes; false when the stream ends first. */
  async skip(count: number): Promise<boolean> {
    let left = count;
    while (left > 0) {
      if (this.buffered === 0 && !(await this.fill(1))) return false;
      const part = Math.min(this.chunks[0]!.length, left);
      this.take(part);
      left -= part;
    }
    return true;
  }

  /** Lets the source clean up (closes files, stops gunzip) when reading stops early. */
  async close(): Promise<void> {
    this.ended = true;
    this.chunks = [];
    this.buffered = 0;
    await this.iterator.return?.();
  }
}
