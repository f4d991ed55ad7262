// Incremental HTTP/1.1 response parser for one GET: status line and headers, then a Content-Length, chunked or read-to-close body.
// Body bytes are handed out as views of the caller's buffer (nothing copied, nothing kept), so a reader can reuse one buffer.

export interface ResponseHead {
  status: number;
  /** Lower-case names; a repeated header becomes an array. */
  headers: Record<string, string | string[]>;
}

export interface ResponseHandlers {
  onHead(head: ResponseHead): void;
  /** A view of the pushed bytes, valid only during the call. */
  onBody(chunk: Uint8Array): void;
}

/** A response that is not valid HTTP/1.1 (or larger than a registry's headers could ever be). */
export class HttpParseError extends Error {
  readonly code = 'ERR_HTTP_RESPONSE_MALFORMED';
}

export const MAX_HEAD_BYTES = 64 * 1024;
const MAX_LINE_BYTES = 4096;
/** 15 hex digits stay below 2^53, so a chunk size never loses precision. */
const MAX_CHUNK_SIZE_DIGITS = 15;

type State = 'head' | 'length' | 'close' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'done';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEAD_END = /\r?\n\r?\n/g;

function parseHead(text: string): ResponseHead {
  const lines = text.split(/\r?\n/);
  const status = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0] ?? '');
  if (!status) throw new HttpParseError(`The server did not answer with an HTTP/1.1 status line ("${(lines[0] ?? '').slice(0, 60)}").`);
  const headers: Record<string, string | string[]> = {};
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!TOKEN.test(name)) throw new HttpParseError(`The server sent a malformed header line ("${line.slice(0, 60)}").`);
    const key = name.toLowerCase();
    const value = line.slice(colon + 1).trim();
    // own properties only: a header named constructor, toString or __proto__ must neither merge with nor replace Object.prototype's
    const existing = Object.hasOwn(headers, key) ? headers[key] : undefined;
    const merged = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    Object.defineProperty(headers, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return { status: Number(status[1]), headers };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

export class Http1ResponseParser {
  head: ResponseHead | undefined;
  /** Body bytes handed out so far (after de-chunking). */
  bodyBytes = 0;
  /** Content-Length when the response declared one. */
  declaredLength: number | undefined;
  private state: State = 'head';
  private headText = '';
  private line = '';
  private remaining = 0;

  constructor(private readonly handlers: ResponseHandlers) {}

  get complete(): boolean {
    return this.state === 'done';
  }

  /** Feeds the next bytes of the connection. Bytes after a complete response are ignored. Throws HttpParseError. */
  push(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length && this.state !== 'done') {
      switch (this.state) {
        case 'head':
          at = this.readHead(bytes, at);
          break;
        case 'length':
        case 'chunk-data': {
          const take = Math.min(this.remaining, bytes.length - at);
          this.emit(bytes.subarray(at, at + take));
          at += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = this.state === 'length' ? 'done' : 'chunk-end';
          break;
        }
        case 'close':
          this.emit(bytes.subarray(at));
          at = bytes.length;
          break;
        case 'chunk-size':
        case 'chunk-end':
        case 'trailers':
          at = this.readLine(bytes, at);
          break;
      }
    }
  }

  /** The connection ended. Completes a read-to-close body; throws when the response was cut short. */
  end(): void {
    if (this.state === 'close') this.state = 'done';
    if (this.state === 'done') return;
    throw new HttpParseError(
      this.state === 'head' ? 'The connection closed before the response headers were complete.' : `The connection closed after ${this.bodyBytes} body bytes, before the response was complete.`,
    );
  }

  private emit(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.bodyBytes += chunk.length;
    this.handlers.onBody(chunk);
  }

  private readHead(bytes: Uint8Array, at: number): number {
    const before = this.headText.length;
    const appended = Math.min(bytes.length - at, MAX_HEAD_BYTES + 4);
    this.headText += Buffer.from(bytes.buffer, bytes.byteOffset + at, appended).toString('latin1');
    const searchFrom = Math.max(0, before - 3);
    // The blank line that ends the head; bare LFs are tolerated on either line (RFC 9112 §2.2).
    HEAD_END.lastIndex = searchFrom;
    const found = HEAD_END.exec(this.headText);
    const end = found ? found.index + found[0].length : -1;
    if (end < 0 ? this.headText.length > MAX_HEAD_BYTES : end > MAX_HEAD_BYTES) {
      throw new HttpParseError(`The response headers are larger than ${MAX_HEAD_BYTES} bytes.`);
    }
    if (end < 0) return at + appended;
    const head = parseHead(this.headText.slice(0, end));
    this.headText = '';
    const next = at + (end - before);
    if (head.status >= 100 && head.status < 200) return next; // 100 Continue and friends: the real head follows
    this.head = head;
    this.state = this.framing(head);
    this.handlers.onHead(head);
    return next;
  }

  /** RFC 9112 §6.3: which of the body framings this response uses. */
  private framing(head: ResponseHead): State {
    if (head.status === 204 || head.status === 304) return 'done';
    const transferEncoding = single(head.headers['transfer-encoding']);
    if (transferEncoding !== undefined) {
      const codings = transferEncoding.split(',').map((c) => c.trim().toLowerCase());
      return codings[codings.length - 1] === 'chunked' ? 'chunk-size' : 'close';
    }
    const lengthHeader = single(head.headers['content-length']);
    if (lengthHeader === undefined) return 'close';
    const values = [...new Set(lengthHeader.split(',').map((v) => v.trim()))];
    if (values.length !== 1 || !/^\d{1,15}$/.test(values[0]!)) throw new HttpParseError(`The response has an invalid Content-Length ("${lengthHeader.slice(0, 40)}").`);
    this.declaredLength = Number(values[0]);
    this.remaining = this.declaredLength;
    return this.remaining === 0 ? 'done' : 'length';
  }

  /** Collects one CRLF- (or LF-) terminated line of chunk framing, then acts on it. */
  private readLine(bytes: Uint8Array, at: number): number {
    const newline = bytes.indexOf(0x0a, at);
    const stop = newline < 0 ? bytes.length : newline;
    this.line += Buffer.from(bytes.buffer, bytes.byteOffset + at, stop - at).toString('latin1');
    if (this.line.length > MAX_LINE_BYTES) throw new HttpParseError('The chunked response has a framing line longer than 4096 bytes.');
    if (newline < 0) return bytes.length;
    const line = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
    this.line = '';
    if (this.state === 'chunk-end') {
      if (line !== '') throw new HttpParseError('A chunk of the chunked response is longer than its declared size.');
      this.state = 'chunk-size';
    } else if (this.state === 'trailers') {
      if (line === '') this.state = 'done';
    } else {
      const digits = line.split(';', 1)[0]!.trim();
      if (!/^[0-9A-Fa-f]+$/.test(digits) || digits.replace(/^0+(?=.)/, '').length > MAX_CHUNK_SIZE_DIGITS) {
        throw new HttpParseError(`The chunked response has an invalid chunk size ("${line.slice(0, 40)}").`);
      }
      this.remaining = parseInt(digits, 16);
      this.state = this.remaining === 0 ? 'trailers' : 'chunk-data';
    }
    return newline + 1;
  }
}
