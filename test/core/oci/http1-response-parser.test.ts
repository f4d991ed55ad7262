// The incremental HTTP/1.1 response parser on its own: every body framing fed whole, split at every byte boundary and
// byte by byte gives the same bytes; 1xx, 204 and empty bodies; duplicate headers; and each malformed input's HttpParseError.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Http1ResponseParser, HttpParseError, MAX_HEAD_BYTES, type ResponseHead } from '../../../core/oci/http1-response-parser';
import { seededRandom } from '../../support/seeded-random';

interface Parsed {
  heads: ResponseHead[];
  body: Buffer;
  complete: boolean;
  parser: Http1ResponseParser;
}

/** Feeds `pieces` one push each (every piece in a fresh, reused-then-scribbled buffer, as a socket read would), then optionally end(). */
function parse(pieces: Uint8Array[], options: { end?: boolean } = {}): Parsed {
  const heads: ResponseHead[] = [];
  const bodyParts: Buffer[] = [];
  const parser = new Http1ResponseParser({
    onHead: (head) => heads.push(head),
    onBody: (chunk) => bodyParts.push(Buffer.from(chunk)), // borrowed view: copy it
  });
  const shared = Buffer.alloc(Math.max(1, ...pieces.map((p) => p.length)));
  for (const piece of pieces) {
    shared.set(piece);
    parser.push(shared.subarray(0, piece.length));
    shared.fill(0xee); // a view kept past push() would now read garbage
  }
  if (options.end) parser.end();
  return { heads, body: Buffer.concat(bodyParts), complete: parser.complete, parser };
}

/** The response split into two pushes at `at`. */
const splitAt = (bytes: Buffer, at: number): Buffer[] => [bytes.subarray(0, at), bytes.subarray(at)];
const byteByByte = (bytes: Buffer): Buffer[] => [...bytes].map((b) => Buffer.from([b]));

function randomBytes(seed: number, length: number): Buffer {
  const rand = seededRandom(seed);
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = rand(256);
  return out;
}

/** Encodes `body` as chunks of the given sizes, with an extension on every chunk and trailers after the last one. */
function chunked(body: Buffer, sizes: number[]): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (const size of sizes) {
    parts.push(Buffer.from(`${size.toString(16)};name=value;flag\r\n`), body.subarray(at, at + size), Buffer.from('\r\n'));
    at += size;
  }
  assert.equal(at, body.length, 'chunk sizes must cover the body');
  parts.push(Buffer.from('0;last=yes\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n'));
  return Buffer.concat(parts);
}

function assertParseError(run: () => unknown, pattern: RegExp): HttpParseError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof HttpParseError, `expected HttpParseError, got ${String(error)}`);
    assert.equal(error.code, 'ERR_HTTP_RESPONSE_MALFORMED');
    assert.match(error.message, pattern);
    return error;
  }
  assert.fail(`expected an HttpParseError matching ${pattern}`);
}

describe('Http1ResponseParser: Content-Length bodies', () => {
  const body = randomBytes(1, 300);
  const response = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\n\r\n`), body]);

  it('parses a response fed whole', () => {
    const result = parse([response]);
    assert.equal(result.complete, true);
    assert.equal(result.heads.length, 1);
    assert.equal(result.heads[0]!.status, 200);
    assert.equal(result.heads[0]!.headers['content-type'], 'application/octet-stream');
    assert.equal(result.parser.declaredLength, body.length);
    assert.equal(result.parser.bodyBytes, body.length);
    assert.ok(result.body.equals(body));
  });

  it('gives identical bytes when split at every byte boundary', () => {
    for (let at = 1; at < response.length; at++) {
      const result = parse(splitAt(response, at));
      assert.equal(result.complete, true, `split at ${at}`);
      assert.equal(result.heads.length, 1, `split at ${at}`);
      assert.ok(result.body.equals(body), `split at ${at}: body differs`);
    }
  });

  it('gives identical bytes fed byte by byte', () => {
    const result = parse(byteByByte(response));
    assert.equal(result.complete, true);
    assert.ok(result.body.equals(body));
    assert.equal(result.parser.bodyBytes, body.length);
  });

  it('gives identical bytes fed in random-sized pieces (seeded)', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const rand = seededRandom(seed);
      const pieces: Buffer[] = [];
      for (let at = 0; at < response.length; ) {
        const size = 1 + rand(40);
        pieces.push(response.subarray(at, at + size));
        at += size;
      }
      const result = parse(pieces);
      assert.equal(result.complete, true, `seed ${seed}`);
      assert.ok(result.body.equals(body), `seed ${seed}: body differs`);
    }
  });

  it('accepts bare-LF line endings in the head', () => {
    const result = parse([Buffer.from('HTTP/1.1 200 OK\nContent-Length: 3\n\nabc')]);
    assert.equal(result.complete, true);
    assert.equal(result.body.toString(), 'abc');
  });

  it('ends the head at a blank line however its line endings mix (LF then CRLF, CRLF then LF), split anywhere', () => {
    for (const head of ['HTTP/1.1 200 OK\nContent-Length: 3\n\r\n', 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\n']) {
      const whole = Buffer.from(`${head}abc`);
      for (let split = 1; split < whole.length; split++) {
        const result = parse([whole.subarray(0, split), whole.subarray(split)]);
        assert.equal(result.complete, true, `${JSON.stringify(head)} split at ${split}`);
        assert.equal(result.body.toString(), 'abc', `${JSON.stringify(head)} split at ${split}`);
      }
    }
  });

  it('ignores bytes after a complete response', () => {
    const result = parse([Buffer.concat([response, Buffer.from('HTTP/1.1 500 Oops\r\nContent-Length: 4\r\n\r\nnope')])]);
    assert.equal(result.complete, true);
    assert.equal(result.heads.length, 1);
    assert.ok(result.body.equals(body));
    const more = parse([response, Buffer.from('garbage that is not HTTP')]);
    assert.ok(more.body.equals(body));
    assert.equal(more.parser.bodyBytes, body.length);
  });

  it('accepts a repeated Content-Length with the same value', () => {
    const result = parse([Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nokEXTRA')]);
    assert.equal(result.complete, true);
    assert.equal(result.body.toString(), 'ok');
    const listed = parse([Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok')]);
    assert.equal(listed.body.toString(), 'ok');
  });
});

describe('Http1ResponseParser: chunked bodies', () => {
  const body = randomBytes(2, 200);
  const encoded = chunked(body, [1, 15, 16, 100, 68]);
  const response = Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'), encoded]);

  it('de-chunks a body with chunk extensions and trailers', () => {
    const result = parse([response]);
    assert.equal(result.complete, true);
    assert.ok(result.body.equals(body));
    assert.equal(result.parser.bodyBytes, body.length);
    assert.equal(result.parser.declaredLength, undefined);
  });

  it('gives identical bytes when split at every byte boundary', () => {
    for (let at = 1; at < response.length; at++) {
      const result = parse(splitAt(response, at));
      assert.equal(result.complete, true, `split at ${at}`);
      assert.ok(result.body.equals(body), `split at ${at}: body differs`);
    }
  });

  it('gives identical bytes when split at every pair of byte boundaries', () => {
    for (let first = 1; first < response.length; first += 3) {
      for (let second = first + 1; second < response.length; second += 2) {
        const result = parse([response.subarray(0, first), response.subarray(first, second), response.subarray(second)]);
        assert.equal(result.complete, true, `split at ${first}/${second}`);
        assert.ok(result.body.equals(body), `split at ${first}/${second}: body differs`);
      }
    }
  });

  it('gives identical bytes fed byte by byte', () => {
    const result = parse(byteByByte(response));
    assert.equal(result.complete, true);
    assert.ok(result.body.equals(body));
  });

  it('is not complete until the blank line after the trailers', () => {
    const withoutFinalCrlf = response.subarray(0, response.length - 2);
    const partial = parse([withoutFinalCrlf]);
    assert.equal(partial.complete, false);
    assert.ok(partial.body.equals(body));
    assert.throws(() => partial.parser.end(), /200 body bytes/);
  });

  it('accepts upper-case hex, leading zeros and bare-LF framing', () => {
    const result = parse([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n00A\n0123456789\n0\n\n')]);
    assert.equal(result.complete, true);
    assert.equal(result.body.toString(), '0123456789');
  });

  it('prefers Transfer-Encoding over Content-Length', () => {
    const result = parse([Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n')]);
    assert.equal(result.complete, true);
    assert.equal(result.body.toString(), 'abc');
  });
});

describe('Http1ResponseParser: other framings', () => {
  it('reads a body without length to the end of the connection', () => {
    const body = randomBytes(3, 120);
    const head = Buffer.from('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n');
    for (let at = 1; at < head.length + body.length; at += 7) {
      const result = parse(splitAt(Buffer.concat([head, body]), at));
      assert.equal(result.complete, false, 'not complete before end()');
      result.parser.end();
      assert.equal(result.parser.complete, true);
      assert.ok(result.body.equals(body), `split at ${at}`);
    }
  });

  it('reads a non-chunked Transfer-Encoding to the end of the connection', () => {
    const result = parse([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nraw')], { end: true });
    assert.equal(result.complete, true);
    assert.equal(result.body.toString(), 'raw');
  });

  it('skips 100 Continue (and other 1xx) heads before the real head', () => {
    const response = Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello');
    for (let at = 1; at < response.length; at++) {
      const result = parse(splitAt(response, at));
      assert.equal(result.heads.length, 1, `split at ${at}`);
      assert.equal(result.heads[0]!.status, 200);
      assert.equal(result.heads[0]!.headers.link, undefined, 'headers of a 1xx do not leak into the real head');
      assert.equal(result.body.toString(), 'hello', `split at ${at}`);
      assert.equal(result.complete, true);
    }
  });

  it('completes a 204 and a 304 immediately, ignoring a Content-Length', () => {
    for (const status of [204, 304]) {
      const result = parse([Buffer.from(`HTTP/1.1 ${status} Nothing\r\nContent-Length: 10\r\n\r\nabc`)]);
      assert.equal(result.complete, true, `${status}`);
      assert.equal(result.heads[0]!.status, status);
      assert.equal(result.body.length, 0);
    }
  });

  it('completes `Content-Length: 0` immediately', () => {
    const result = parse([Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')]);
    assert.equal(result.complete, true);
    assert.equal(result.body.length, 0);
    assert.equal(result.parser.declaredLength, 0);
    result.parser.end(); // closing afterwards is fine
  });

  it('turns repeated headers into arrays and lower-cases names', () => {
    const result = parse([Buffer.from('HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nWWW-Authenticate: Bearer realm="x"\r\nset-cookie: b=2\r\nSET-COOKIE:c=3 \r\nContent-Length: 0\r\n\r\n')]);
    assert.deepEqual(result.heads[0]!.headers['set-cookie'], ['a=1', 'b=2', 'c=3']);
    assert.equal(result.heads[0]!.headers['www-authenticate'], 'Bearer realm="x"');
  });

  it('keeps headers named like Object.prototype members as plain header values', () => {
    const result = parse([Buffer.from('HTTP/1.1 200 OK\r\nConstructor: a\r\ntoString: b\r\n__proto__: c\r\n__proto__: d\r\nhasOwnProperty: e\r\nContent-Length: 0\r\n\r\n')]);
    const headers = result.heads[0]!.headers;
    assert.equal(Object.getPrototypeOf(headers), Object.prototype, 'a header changed the prototype of the headers object');
    assert.equal(headers.constructor, 'a');
    assert.equal(headers.tostring, 'b');
    assert.equal(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value?.toString(), 'c,d');
    assert.equal(headers.hasownproperty, 'e');
    assert.deepEqual(Object.keys(headers), ['constructor', 'tostring', '__proto__', 'hasownproperty', 'content-length']);
  });

  it('accepts HTTP/1.0 and a status line without a reason phrase', () => {
    assert.equal(parse([Buffer.from('HTTP/1.0 404\r\nContent-Length: 0\r\n\r\n')]).heads[0]!.status, 404);
  });
});

describe('Http1ResponseParser: malformed responses', () => {
  const push = (text: string | Buffer) => () => parse([typeof text === 'string' ? Buffer.from(text, 'latin1') : text]);

  it('rejects a bad status line', () => {
    assertParseError(push('HTTP/2 200 OK\r\n\r\n'), /status line \("HTTP\/2 200 OK"\)/);
    assertParseError(push('SSH-2.0-OpenSSH_9.6\r\n\r\n'), /status line/);
    assertParseError(push('HTTP/1.1 20 OK\r\n\r\n'), /status line/);
    assertParseError(push('HTTP/1.1 200OK\r\n\r\n'), /status line/);
  });

  it('rejects a malformed header line', () => {
    assertParseError(push('HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n'), /malformed header line \("No colon here"\)/);
    assertParseError(push('HTTP/1.1 200 OK\r\n: empty name\r\n\r\n'), /malformed header line/);
    assertParseError(push('HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n'), /malformed header line/);
    assertParseError(push('HTTP/1.1 200 OK\r\nA: 1\r\n folded continuation\r\n\r\n'), /malformed header line/);
  });

  it('rejects an invalid Content-Length', () => {
    assertParseError(push('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'), /invalid Content-Length \("-1"\)/);
    assertParseError(push('HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n'), /invalid Content-Length/);
    assertParseError(push('HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n'), /invalid Content-Length/);
    assertParseError(push('HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456\r\n\r\n'), /invalid Content-Length/);
  });

  it('rejects conflicting Content-Lengths', () => {
    assertParseError(push('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!'), /invalid Content-Length \("5, 6"\)/);
    assertParseError(push('HTTP/1.1 200 OK\r\nContent-Length: 5, 7\r\n\r\nhello'), /invalid Content-Length/);
  });

  it('rejects a bad chunk size', () => {
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    assertParseError(push(`${head}xyz\r\n`), /invalid chunk size \("xyz"\)/);
    assertParseError(push(`${head}\r\n`), /invalid chunk size/);
    assertParseError(push(`${head}-5\r\n`), /invalid chunk size/);
    assertParseError(push(`${head}1000000000000000\r\n`), /invalid chunk size/); // 16 hex digits: beyond 2^53
    // 15 significant digits after leading zeros are still fine
    assert.equal(parse([Buffer.from(`${head}0000000000000000000003\r\nabc\r\n0\r\n\r\n`)]).body.toString(), 'abc');
  });

  it('rejects a chunk longer than its declared size', () => {
    const response = Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n');
    assertParseError(push(response), /longer than its declared size/);
    for (let at = 1; at < response.length; at++) assertParseError(() => parse(splitAt(response, at)), /longer than its declared size/);
  });

  it('rejects a chunk framing line longer than 4096 bytes', () => {
    assertParseError(push(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;${'x'.repeat(5000)}\r\nhello\r\n0\r\n\r\n`), /framing line longer than 4096 bytes/);
  });

  it('rejects response headers larger than 64 KiB, whole or in pieces', () => {
    const huge = Buffer.from(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(MAX_HEAD_BYTES)}\r\nContent-Length: 0\r\n\r\n`);
    assertParseError(push(huge), /larger than 65536 bytes/);
    const pieces: Buffer[] = [];
    for (let at = 0; at < huge.length; at += 1000) pieces.push(huge.subarray(at, at + 1000));
    assertParseError(() => parse(pieces), /larger than 65536 bytes/);
    const endless = Buffer.from(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(MAX_HEAD_BYTES * 2)}`); // never terminated
    assertParseError(push(endless), /larger than 65536 bytes/);
  });

  it('accepts a head just under 64 KiB', () => {
    const prefix = 'HTTP/1.1 200 OK\r\nX-Big: ';
    const suffix = '\r\nContent-Length: 2\r\n\r\n';
    const head = `${prefix}${'a'.repeat(MAX_HEAD_BYTES - prefix.length - suffix.length)}${suffix}`;
    assert.equal(head.length, MAX_HEAD_BYTES);
    const result = parse([Buffer.from(`${head}ok`)]);
    assert.equal(result.complete, true);
    assert.equal(result.body.toString(), 'ok');
  });

  it('throws from end() before the response is complete, naming the byte count', () => {
    assertParseError(() => parse([Buffer.from('HTTP/1.1 200 OK\r\nContent-Le')], { end: true }), /before the response headers were complete/);
    assertParseError(() => parse([], { end: true }), /before the response headers were complete/);
    assertParseError(() => parse([Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcd')], { end: true }), /after 4 body bytes/);
    assertParseError(() => parse([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab')], { end: true }), /after 2 body bytes/);
    assertParseError(() => parse([Buffer.from('HTTP/1.1 100 Continue\r\n\r\n')], { end: true }), /before the response headers were complete/);
  });
});
