// One HTTP/1.1 GET on its own connection, read through a single reused buffer (net/tls `onread`), for large blob bodies.
// No per-read allocations (over TLS, a pause copies at most one burst), so memory stays flat; undici carries the rest.
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
    const early: Buffer[] = []; // body bytes parsed with the head, before anyone asked for the body
    // Returning false from `onread` pauses a TCP socket at once, but a TLS socket still hands over what it has already
    // decrypted. Bytes that arrive while paused are copied here (one TLS burst at most) and parsed once reading resumes.
    let paused = false;
    const backlog: Buffer[] = [];
    let endedWhilePaused = false;

    const parser = new Http1ResponseParser({
      onHead: () => undefined,
      onBody: (chunk) => {
        if (phase === 'body') sink!.write(chunk);
        else if (phase !== 'closed') early.push(Buffer.from(chunk));
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
    const pause = () => {
      paused = true;
      idleLimit(false);
    };

    /** After the sink took some bytes: finish, or wait for the sink when it asks. False when reading must stop for now. */
    const afterRead = (): boolean => {
      if (parser.complete) {
        finish();
        return false;
      }
      const pending = sink!.settle?.();
      if (!pending) return true;
      pause();
      pending.then(resumeReading, fail);
      return false;
    };

    /** Parses one read (or one backlog entry). False when reading must stop: paused, finished or failed. */
    const take = (bytes: Uint8Array): boolean => {
      try {
        parser.push(bytes);
        if (phase === 'closed') return false; // the sink discarded the response (or aborted) from inside write()
        if (phase === 'body') return afterRead();
        if (phase === 'head' && parser.head) {
          phase = 'waiting';
          pause(); // nobody reads the body yet; the next read would overwrite the buffer
          resolveHead(response(parser.head));
          return false;
        }
        return true;
      } catch (error) {
        fail(error);
        return false;
      }
    };

    /** Reading may go on (the sink settled, or the body was asked for): the backlog first, then the socket. */
    function resumeReading(): void {
      if (phase !== 'body') return;
      paused = false;
      while (backlog.length > 0) {
        if (!take(backlog.shift()!)) return; // paused again (resumed later), finished or failed
      }
      if (parser.complete) return finish();
      if (endedWhilePaused) return onEnd();
      idleLimit(true);
      socket.resume();
    }

    const onread = {
      buffer: readBuffer,
      callback: (bytes: number, buffer: Uint8Array): boolean => {
        if (phase === 'closed') return false;
        if (paused) {
          backlog.push(Buffer.from(buffer.subarray(0, bytes)));
          return false;
        }
        return take(buffer.subarray(0, bytes));
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
          if (phase === 'closed') return reject(failure ?? connectionError('ECONNRESET', 'The connection closed before the response was complete.'));
          settleBody = { resolve, reject };
          sink = target;
          phase = 'body';
          try {
            for (const chunk of early.splice(0)) target.write(chunk);
            if (!afterRead()) return; // finished, or waiting for the sink (which resumes reading)
          } catch (error) {
            return fail(error);
          }
          resumeReading();
        }),
    });

    /** The server ended the connection: a close-delimited body is complete; anything else was cut short. */
    function onEnd(): void {
      // A connection that ends early is a connection problem (code ECONNRESET), not a malformed response.
      if (phase === 'head') return fail(connectionError('ECONNRESET', 'The connection closed before a complete response head.'));
      try {
        parser.end();
        finish();
      } catch (error) {
        fail(connectionError('ECONNRESET', error instanceof Error ? error.message : String(error)));
      }
    }

    const options = { host, port, onread, noDelay: true };
    const socket: Socket =
      url.protocol === 'https:'
        ? tlsConnect({ ...options, servername: isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'] } as ConnectionOptions)
        : netConnect(options);
    socket.setTimeout(req.idleTimeoutMs, () => fail(connectionError('ERR_BLOB_IDLE_TIMEOUT', `No data for ${req.idleTimeoutMs} ms.`)));
    socket.on('error', fail);
    socket.on('end', () => {
      if (paused || backlog.length > 0) endedWhilePaused = true; // handled once the backlog is parsed
      else onEnd();
    });
    socket.on('close', () => {
      if (phase === 'closed') return;
      if (paused || backlog.length > 0) {
        endedWhilePaused = true; // the socket is gone, but its last bytes are still to be parsed
        return;
      }
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
