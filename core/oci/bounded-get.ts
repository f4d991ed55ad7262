// One HTTP/1.1 GET on its own connection, read through a single reused buffer (net/tls `onread`), for large blob bodies.
// No per-read allocations, so a download's memory stays flat whatever its size; undici carries every other request.
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { Http1ResponseParser, type ResponseHead } from './http1-response-parser';

/** Receives a body as borrowed views: each chunk is valid only during `write` (copy what you keep). */
export interface BodySink {
  write(chunk: Uint8Array): void;
  /** Called after each socket read; a returned promise pauses reading until it settles (backpressure). */
  settle?(): Promise<void> | undefined;
}

export interface BoundedGetRequest {
  url: URL;
  headers: Record<string, string>;
  /** Idle limit: connecting, and every wait for the next bytes. */
  idleTimeoutMs: number;
  signal?: AbortSignal;
}

export interface BoundedResponse extends ResponseHead {
  url: string;
  /** Streams the body into `sink`; resolves with the body's byte count once the response is complete. Call once. */
  pipeBody(sink: BodySink): Promise<number>;
  /** Closes the connection without reading the body. */
  discard(): void;
}

/** The size of the one buffer every read of a connection lands in. */
export const READ_BUFFER_BYTES = 64 * 1024;

/** A connection-level failure, with a code the transport maps to a message (timeouts match /TIMEOUT/). */
function connectionError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const SAFE_HEADER_VALUE = /^[^\r\n\0]*$/;

function requestText(url: URL, headers: Record<string, string>): string {
  const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`];
  for (const [name, value] of Object.entries({ ...headers, connection: 'close' })) {
    if (!SAFE_HEADER_VALUE.test(value) || !/^[A-Za-z0-9-]+$/.test(name)) throw connectionError('ERR_INVALID_HEADER', `Refusing to send an invalid ${name} header.`);
    lines.push(`${name}: ${value}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export function boundedGet(req: BoundedGetRequest): Promise<BoundedResponse> {
  const { url } = req;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.reject(connectionError('ERR_INVALID_URL', `Cannot download from a ${url.protocol} URL.`));
  let text: string;
  try {
    text = requestText(url, req.headers);
  } catch (error) {
    return Promise.reject(error); // a promise-returning function rejects; it does not throw
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);

  return new Promise<BoundedResponse>((resolveHead, rejectHead) => {
    // head: waiting for headers · waiting: headers handed out, socket paused · body: streaming into the sink · closed
    let phase: 'head' | 'waiting' | 'body' | 'closed' = 'head';
    let failure: unknown;
    let discarded = false;
    let sink: BodySink | undefined;
    let settleBody: { resolve: (bytes: number) => void; reject: (error: unknown) => void } | undefined;
    const early: Buffer[] = []; // body bytes that arrived with the head, before anyone asked for the body

    const parser = new Http1ResponseParser({
      onHead: () => undefined,
      onBody: (chunk) => {
        if (phase === 'body') sink!.write(chunk);
        else early.push(Buffer.from(chunk));
      },
    });

    const close = () => {
      phase = 'closed';
      cleanup();
      socket.destroy();
    };
    const finish = () => {
      if (phase === 'closed') return;
      close();
      settleBody?.resolve(parser.bodyBytes);
    };
    const fail = (error: unknown) => {
      if (phase === 'closed') return;
      const wasHead = phase === 'head';
      failure = error;
      close();
      if (wasHead) rejectHead(error);
      else settleBody?.reject(error);
    };
    /** The idle limit is for waits on the server: it is off while the socket is paused for the consumer. */
    const idleLimit = (on: boolean) => socket.setTimeout(on ? req.idleTimeoutMs : 0);
    const readOn = () => {
      idleLimit(true);
      socket.resume();
    };
    /** After the sink took a read: wait for it when it asks, then read on. Returns false to pause the socket. */
    const afterRead = (): boolean => {
      if (parser.complete) {
        finish();
        return false;
      }
      const pending = sink!.settle?.();
      if (!pending) return true;
      idleLimit(false);
      pending.then(() => {
        if (phase === 'body') readOn();
      }, fail);
      return false;
    };

    const onread = {
      buffer: readBuffer,
      callback: (bytes: number, buffer: Uint8Array): boolean => {
        if (phase === 'closed') return false;
        try {
          parser.push(buffer.subarray(0, bytes));
          if (phase === 'body') return afterRead();
          if (phase === 'head' && parser.head) {
            phase = 'waiting';
            idleLimit(false);
            resolveHead(response(parser.head));
            if (parser.complete) finish(); // the whole (small) body came with the head
            return false; // nobody reads the body yet; the next read would overwrite the buffer
          }
          return true;
        } catch (error) {
          fail(error);
          return false;
        }
      },
    };

    const response = (head: ResponseHead): BoundedResponse => ({
      ...head,
      url: url.toString(),
      discard: () => {
        discarded = true;
        // also ends a pipeBody still running (it rejects rather than never settling)
        fail(connectionError('ABORT_ERR', 'The response was discarded before its body was complete.'));
      },
      pipeBody: (target) =>
        new Promise<number>((resolve, reject) => {
          if (discarded || settleBody) return reject(new Error('The response body was already read or discarded.'));
          settleBody = { resolve, reject };
          sink = target;
          try {
            for (const chunk of early.splice(0)) target.write(chunk);
          } catch (error) {
            fail(error);
            return reject(error);
          }
          if (parser.complete) return resolve(parser.bodyBytes);
          if (phase === 'closed') return reject(failure ?? connectionError('ECONNRESET', 'The connection closed before the response was complete.'));
          phase = 'body';
          if (afterRead()) readOn();
        }),
    });

    const options = { host, port, onread, noDelay: true };
    const socket: Socket =
      url.protocol === 'https:'
        ? tlsConnect({ ...options, servername: isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'] } as ConnectionOptions)
        : netConnect(options);
    socket.setTimeout(req.idleTimeoutMs, () => fail(connectionError('ERR_BLOB_IDLE_TIMEOUT', `No data for ${req.idleTimeoutMs} ms.`)));
    socket.on('error', fail);
    socket.on('end', () => {
      // A connection that ends early is a connection problem (code ECONNRESET), not a malformed response.
      if (phase === 'head') return fail(connectionError('ECONNRESET', 'The connection closed before a complete response head.'));
      try {
        parser.end();
        finish(); // a read-to-close body ended (when waiting, the stored bytes hold all of it)
      } catch (error) {
        fail(connectionError('ECONNRESET', error instanceof Error ? error.message : String(error)));
      }
    });
    socket.on('close', () => {
      if (parser.complete) finish();
      else fail(connectionError('ECONNRESET', 'The connection closed before the response was complete.'));
    });
    const onAbort = () => fail(req.signal?.reason ?? connectionError('ABORT_ERR', 'The download was cancelled.'));
    const cleanup = () => req.signal?.removeEventListener('abort', onAbort);
    if (req.signal?.aborted) {
      onAbort();
      return;
    }
    req.signal?.addEventListener('abort', onAbort, { once: true });
    socket.write(text);
  });
}
