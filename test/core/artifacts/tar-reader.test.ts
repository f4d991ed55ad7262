import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readTarEntries, parsePaxRecords, type TarEntry } from '../../../core/artifacts/tar-reader';
import { ArtifactError } from '../../../core/artifacts/artifact-error';
import { tar } from '../../support/tar';
import { endOfArchive, paxRecord, rawEntry, rawHeader, padded } from './tar-blocks';

/** Feeds the archive in awkward chunk sizes to exercise boundary handling. */
async function* chunked(data: Buffer, size = 7): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

type Read = Omit<TarEntry, 'body'> & { content: string };

async function readAll(data: Buffer, chunk?: number): Promise<Read[]> {
  const out: Read[] = [];
  for await (const entry of readTarEntries(chunked(data, chunk))) {
    const parts: Buffer[] = [];
    for await (const c of entry.body()) parts.push(c);
    const { body: _body, ...rest } = entry;
    void _body;
    out.push({ ...rest, content: Buffer.concat(parts).toString('utf8') });
  }
  return out;
}

async function readError(data: Buffer): Promise<ArtifactError> {
  try {
    await readAll(data);
  } catch (error) {
    assert.ok(error instanceof ArtifactError, `expected ArtifactError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the archive to be rejected');
}

test('reads ustar files, directories and links with their content', async () => {
  const archive = tar([
    { name: 'chart/', type: 'dir' },
    { name: 'chart/Chart.yaml', content: 'name: demo\n' },
    { name: 'chart/empty.txt', content: '' },
    { name: 'chart/link', type: 'symlink', linkName: 'Chart.yaml' },
    { name: 'chart/hard', type: 'hardlink', linkName: 'chart/Chart.yaml' },
  ]);
  for (const chunk of [1, 7, 512, 100000]) {
    const entries = await readAll(archive, chunk);
    assert.deepEqual(
      entries.map((e) => [e.path, e.type, e.size, e.content, e.linkPath]),
      [
        ['chart/', 'directory', 0, '', undefined],
        ['chart/Chart.yaml', 'file', 11, 'name: demo\n', undefined],
        ['chart/empty.txt', 'file', 0, '', undefined],
        ['chart/link', 'symlink', 0, '', 'Chart.yaml'],
        ['chart/hard', 'hardlink', 0, '', 'chart/Chart.yaml'],
      ],
    );
  }
});

test('skips unread bodies and still finds the next entry', async () => {
  const big = 'x'.repeat(5000);
  const archive = tar([
    { name: 'a', content: big },
    { name: 'b', content: 'second' },
  ]);
  const names: string[] = [];
  let second = '';
  for await (const entry of readTarEntries(chunked(archive, 333))) {
    names.push(entry.path);
    if (entry.path === 'b') for await (const c of entry.body()) second += c.toString();
  }
  assert.deepEqual(names, ['a', 'b']);
  assert.equal(second, 'second');
});

test('joins the ustar prefix field for names longer than 100 bytes', async () => {
  const long = `${'d'.repeat(80)}/${'e'.repeat(60)}/file.txt`;
  const [entry] = await readAll(tar([{ name: long, content: 'deep' }]));
  assert.equal(entry!.path, long);
  assert.equal(entry!.content, 'deep');
});

test('applies GNU long names (L) and long link names (K) to the next entry', async () => {
  const longName = `${'n'.repeat(150)}/file.txt`;
  const longLink = `${'t'.repeat(140)}/target`;
  const archive = Buffer.concat([
    rawEntry({ name: '././@LongLink', typeFlag: 'L', content: `${longName}\0`, magic: 'gnu' }),
    rawEntry({ name: 'truncated', typeFlag: '0', content: 'body', magic: 'gnu' }),
    rawEntry({ name: '././@LongLink', typeFlag: 'K', content: longLink, magic: 'gnu' }),
    rawEntry({ name: 'sym', typeFlag: '2', linkName: 'short', magic: 'gnu' }),
    endOfArchive(),
  ]);
  const entries = await readAll(archive);
  assert.deepEqual(
    entries.map((e) => [e.path, e.content, e.linkPath]),
    [
      [longName, 'body', undefined],
      ['sym', '', longLink],
    ],
  );
});

test('applies pax path, linkpath and size, and ignores global pax headers', async () => {
  const paxPath = `ü/${'p'.repeat(200)}.yaml`;
  const local = paxRecord('path', paxPath) + paxRecord('size', '3') + paxRecord('mtime', '1700000000.5');
  const archive = Buffer.concat([
    rawEntry({ name: 'pax_global_header', typeFlag: 'g', content: paxRecord('comment', 'made by a test') }),
    rawEntry({ name: 'PaxHeaders/x', typeFlag: 'x', content: local }),
    rawHeader({ name: 'short-name', typeFlag: '0', size: 999 }), // the pax size wins over this header's
    padded('abc'),
    rawEntry({ name: 'PaxHeaders/y', typeFlag: 'x', content: paxRecord('linkpath', '../outside') }),
    rawEntry({ name: 'link', typeFlag: '2' }),
    endOfArchive(),
  ]);
  const entries = await readAll(archive);
  assert.deepEqual(
    entries.map((e) => [e.path, e.size, e.content, e.linkPath]),
    [
      [paxPath, 3, 'abc', undefined],
      ['link', 0, '', '../outside'],
    ],
  );
});

test('reads GNU base-256 sizes', async () => {
  const archive = Buffer.concat([rawHeader({ name: 'b256', typeFlag: '0', size: 5, base256Size: true }), padded('hello'), endOfArchive()]);
  const [entry] = await readAll(archive);
  assert.equal(entry!.size, 5);
  assert.equal(entry!.content, 'hello');
});

test('reports devices, fifos and unknown types as such', async () => {
  const archive = Buffer.concat([
    tar([
      { name: 'dev', type: 'chardev' },
      { name: 'pipe', type: 'fifo' },
    ]).subarray(0, 1024),
    rawEntry({ name: 'sparse', typeFlag: 'S' }),
    endOfArchive(),
  ]);
  assert.deepEqual(
    (await readAll(archive)).map((e) => [e.path, e.type]),
    [
      ['dev', 'chardev'],
      ['pipe', 'fifo'],
      ['sparse', 'unsupported'],
    ],
  );
});

test('rejects a header with a bad checksum', async () => {
  const error = await readError(Buffer.concat([rawEntry({ name: 'a', typeFlag: '0', content: 'x', badChecksum: true }), endOfArchive()]));
  assert.equal(error.code, 'corrupt-archive');
  assert.match(error.message, /checksum/);
});

test('rejects an archive cut inside an entry body or a header', async () => {
  const archive = tar([{ name: 'a', content: 'y'.repeat(2000) }]);
  const inBody = await readError(archive.subarray(0, 512 + 1000));
  assert.equal(inBody.code, 'truncated-archive');
  assert.match(inBody.message, /"a"/);
  const inHeader = await readError(archive.subarray(0, 300));
  assert.equal(inHeader.code, 'truncated-archive');
});

test('accepts a missing end marker on a block boundary, like Go archive/tar', async () => {
  const archive = tar([{ name: 'a', content: 'z' }]);
  const entries = await readAll(archive.subarray(0, 1024));
  assert.deepEqual(
    entries.map((e) => e.content),
    ['z'],
  );
});

test('rejects a pax record longer than the metadata ceiling and malformed pax records', async () => {
  const huge = rawHeader({ name: 'x', typeFlag: 'x', size: 5 * 1024 * 1024 });
  const error = await readError(Buffer.concat([huge, Buffer.alloc(1024)]));
  assert.equal(error.code, 'corrupt-archive');
  assert.throws(() => parsePaxRecords(Buffer.from('99 path=a\n')), /invalid length/);
  assert.throws(() => parsePaxRecords(Buffer.from('9 patha\n\n')), ArtifactError);
});
