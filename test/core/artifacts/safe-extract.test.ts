// Safe extraction of tar and tar+gzip archives: contents, modes, links, refusals of hostile archives (nothing left behind),
// limits and bombs, and multi-MiB gzip archives read through the one reused read buffer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip, gunzipSync, gzipSync } from 'node:zlib';
import { archiveStream, extractArchiveFile, extractTarStream, type ExtractOptions } from '../../../core/artifacts/safe-extract';
import { ArtifactError, type ArtifactErrorCode } from '../../../core/artifacts/artifact-error';
import { tar, tgz, type TarEntry } from '../../support/tar';
import { endOfArchive, paxRecord, rawEntry, rawHeader } from './tar-blocks';
import { seededRandom } from '../../support/seeded-random';

function workspace(): { dir: string; archive(data: Buffer): string; target: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'flux-oci-extract-'));
  return {
    dir,
    target: join(dir, 'out', 'tree'),
    archive(data) {
      const file = join(dir, `archive-${Math.random().toString(36).slice(2)}`);
      writeFileSync(file, data);
      return file;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function expectRefusal(data: Buffer, code: ArtifactErrorCode, mentions: RegExp, options: ExtractOptions = {}): Promise<ArtifactError> {
  const ws = workspace();
  try {
    const file = ws.archive(data);
    let caught: unknown;
    try {
      await extractArchiveFile(file, ws.target, options);
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof ArtifactError, `expected a refusal, got ${String(caught)}`);
    assert.equal(caught.code, code, caught.message);
    assert.match(caught.message, mentions);
    // Nothing left behind: no target, no staging directory, nothing written next to the archive.
    assert.equal(existsSync(ws.target), false, 'target must not exist after a refusal');
    const outDir = join(ws.dir, 'out');
    assert.deepEqual(existsSync(outDir) ? readdirSync(outDir) : [], []);
    assert.deepEqual(
      readdirSync(ws.dir).filter((n) => !n.startsWith('archive-') && n !== 'out'),
      [],
    );
    return caught;
  } finally {
    ws.cleanup();
  }
}

test('extracts files and directories from a tgz, with contents and executable bits', async () => {
  const ws = workspace();
  try {
    const file = ws.archive(
      tgz([
        { name: 'demo/', type: 'dir' },
        { name: 'demo/Chart.yaml', content: 'name: demo\n' },
        { name: './demo/templates/cm.yaml', content: 'kind: ConfigMap\n' },
        { name: 'demo/run.sh', content: '#!/bin/sh\n', mode: 0o755 },
        { name: 'demo/setuid', content: 'x', mode: 0o4755 },
      ]),
    );
    const tree = await extractArchiveFile(file, ws.target);
    assert.deepEqual(tree.files, [
      { path: 'demo/Chart.yaml', size: 11 },
      { path: 'demo/run.sh', size: 10 },
      { path: 'demo/setuid', size: 1 },
      { path: 'demo/templates/cm.yaml', size: 16 },
    ]);
    assert.equal(tree.totalBytes, 38);
    assert.equal(readFileSync(join(ws.target, 'demo/templates/cm.yaml'), 'utf8'), 'kind: ConfigMap\n');
    assert.equal(statSync(join(ws.target, 'demo/run.sh')).mode & 0o777, 0o755);
    assert.equal(statSync(join(ws.target, 'demo/setuid')).mode & 0o7000, 0, 'setuid bits are never written');
    assert.deepEqual(readdirSync(join(ws.dir, 'out')), ['tree'], 'the staging directory was renamed, not left behind');
  } finally {
    ws.cleanup();
  }
});

test('extracts an uncompressed tar and pax long names', async () => {
  const ws = workspace();
  try {
    const long = `x/${'y'.repeat(150)}/${'z'.repeat(150)}.txt`;
    const file = ws.archive(Buffer.concat([rawEntry({ name: 'h', typeFlag: 'x', content: paxRecord('path', long) }), rawEntry({ name: 'short', typeFlag: '0', content: 'pax' }), endOfArchive()]));
    const tree = await extractArchiveFile(file, ws.target);
    assert.deepEqual(tree.files, [{ path: long, size: 3 }]);
    assert.equal(readFileSync(join(ws.target, long), 'utf8'), 'pax');
  } finally {
    ws.cleanup();
  }
});

test('hard links inside the root become copies; symlinks inside are listed but not created', async () => {
  const ws = workspace();
  try {
    const file = ws.archive(
      tgz([
        { name: 'a/real.txt', content: 'shared' },
        { name: 'a/copy.txt', type: 'hardlink', linkName: 'a/real.txt' },
        { name: 'a/alias', type: 'symlink', linkName: 'real.txt' },
        { name: 'a/up', type: 'symlink', linkName: '../a/real.txt' },
      ]),
    );
    const tree = await extractArchiveFile(file, ws.target);
    assert.deepEqual(
      tree.files.map((f) => f.path),
      ['a/copy.txt', 'a/real.txt'],
    );
    assert.equal(readFileSync(join(ws.target, 'a/copy.txt'), 'utf8'), 'shared');
    assert.deepEqual(tree.skippedSymlinks, [
      { path: 'a/alias', target: 'real.txt' },
      { path: 'a/up', target: '../a/real.txt' },
    ]);
    assert.equal(existsSync(join(ws.target, 'a/alias')), false);
  } finally {
    ws.cleanup();
  }
});

test('a later entry with the same name replaces the earlier one', async () => {
  const ws = workspace();
  try {
    const tree = await extractArchiveFile(
      ws.archive(
        tgz([
          { name: 'f', content: 'old' },
          { name: 'f', content: 'newer' },
        ]),
      ),
      ws.target,
    );
    assert.deepEqual(tree.files, [{ path: 'f', size: 5 }]);
    assert.equal(readFileSync(join(ws.target, 'f'), 'utf8'), 'newer');
  } finally {
    ws.cleanup();
  }
});

const escapes: Array<[string, TarEntry[], ArtifactErrorCode, RegExp]> = [
  [
    'a ".." segment',
    [
      { name: 'ok.txt', content: 'fine' },
      { name: '../escape.txt', content: 'x' },
    ],
    'unsafe-path',
    /"\.\.\/escape\.txt".*outside/,
  ],
  ['a nested ".." that climbs out', [{ name: 'a/b/../../../escape.txt', content: 'x' }], 'unsafe-path', /escape\.txt/],
  ['an absolute path', [{ name: '/tmp/flux-oci-escape.txt', content: 'x' }], 'unsafe-path', /absolute/],
  ['a Windows drive letter', [{ name: 'C:/Windows/evil.txt', content: 'x' }], 'unsafe-path', /drive letter/],
  ['a backslash', [{ name: '..\\escape.txt', content: 'x' }], 'unsafe-path', /backslash/],
  ['a symlink to an absolute path', [{ name: 'etc', type: 'symlink', linkName: '/etc' }], 'link-outside-root', /"etc".*"\/etc"/],
  ['a symlink that climbs out', [{ name: 'a/up', type: 'symlink', linkName: '../../secret' }], 'link-outside-root', /"a\/up"/],
  ['a hard link to a path outside', [{ name: 'h', type: 'hardlink', linkName: '../../etc/passwd' }], 'link-outside-root', /"h"/],
  ['a hard link to an absolute path', [{ name: 'h', type: 'hardlink', linkName: '/etc/passwd' }], 'link-outside-root', /\/etc\/passwd/],
  [
    'a hard link to nothing earlier',
    [
      { name: 'h', type: 'hardlink', linkName: 'later.txt' },
      { name: 'later.txt', content: 'x' },
    ],
    'link-target-missing',
    /"h"/,
  ],
  [
    'a character device',
    [
      { name: 'ok', content: 'y' },
      { name: 'dev/null', type: 'chardev' },
    ],
    'special-file',
    /"dev\/null".*character device/,
  ],
  ['a fifo', [{ name: 'pipe', type: 'fifo' }], 'special-file', /"pipe".*fifo/],
  [
    'a file where a directory was',
    [
      { name: 'd/x', content: '1' },
      { name: 'd', content: '2' },
    ],
    'entry-conflict',
    /"d"/,
  ],
  [
    'a directory under a file',
    [
      { name: 'f', content: '1' },
      { name: 'f/x', content: '2' },
    ],
    'entry-conflict',
    /"f\/x"/,
  ],
];

for (const [what, entries, code, mentions] of escapes) {
  test(`refuses ${what}, naming the entry and leaving nothing behind`, async () => {
    await expectRefusal(tgz(entries), code, mentions);
  });
}

test('refuses a GNU long name that escapes, and an unsupported entry type', async () => {
  const longEscape = Buffer.concat([
    rawEntry({ name: '././@LongLink', typeFlag: 'L', content: `${'../'.repeat(40)}etc/cron.d/evil`, magic: 'gnu' }),
    rawEntry({ name: 'harmless', typeFlag: '0', content: 'x', magic: 'gnu' }),
    endOfArchive(),
  ]);
  await expectRefusal(gzipSync(longEscape), 'unsafe-path', /etc\/cron\.d\/evil/);
  await expectRefusal(Buffer.concat([rawEntry({ name: 'sparse', typeFlag: 'S', content: 'x' }), endOfArchive()]), 'unsupported-entry', /"sparse".*"S"/);
});

test('refuses over-long names up front, with a short message (not a raw ENAMETOOLONG)', async () => {
  const longNamed = (name: string): Buffer =>
    gzipSync(
      Buffer.concat([rawEntry({ name: '././@LongLink', typeFlag: 'L', content: name, magic: 'gnu' }), rawEntry({ name: 'harmless', typeFlag: '0', content: 'x', magic: 'gnu' }), endOfArchive()]),
    );
  const refused = await expectRefusal(longNamed(`chart/${'n'.repeat(4000)}.yaml`), 'unsafe-path', /longer than 1024 bytes/);
  assert.ok(refused.message.length < 400, `message of ${refused.message.length} characters`);
  await expectRefusal(longNamed(`chart/${'é'.repeat(130)}`), 'unsafe-path', /longer than 255 bytes/);
  const deepButShort = tgz([{ name: `${'d/'.repeat(100)}ok.txt`, content: 'x' }]);
  const ws = workspace();
  try {
    await extractArchiveFile(ws.archive(deepButShort), ws.target);
    assert.equal(readFileSync(join(ws.target, ...'d/'.repeat(100).split('/').filter(Boolean), 'ok.txt'), 'utf8'), 'x');
  } finally {
    ws.cleanup();
  }
});

test('refuses more entries than maxFiles, naming the first entry over the limit', async () => {
  const entries = Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.txt`, content: `${i}` }));
  await expectRefusal(tgz(entries), 'too-many-files', /"f5\.txt".*more than 5 entries/, { limits: { maxFiles: 5 } });
});

test('refuses more bytes than maxBytes, naming the entry that crosses it', async () => {
  const entries = [
    { name: 'a.bin', content: Buffer.alloc(600) },
    { name: 'b.bin', content: Buffer.alloc(600) },
  ];
  await expectRefusal(tgz(entries), 'too-many-bytes', /"b\.bin".*1000 B limit/, { limits: { maxBytes: 1000 } });
});

test('refuses a gzip bomb (a header claiming 200 MB of zeros) before inflating it', async () => {
  // Build the bomb streaming: a header that declares 200 MB, then 200 MB of zeros, gzip-compressed (~200 KB).
  const ws = workspace();
  try {
    const size = 200_000_000;
    const gzip = createGzip({ level: 9 });
    const parts: Buffer[] = [];
    gzip.on('data', (c: Buffer) => parts.push(c));
    const done = new Promise((resolve) => gzip.on('end', resolve));
    gzip.write(rawHeader({ name: 'bomb.bin', typeFlag: '0', size }));
    const zeros = Buffer.alloc(1 << 20);
    for (let written = 0; written < size; written += zeros.length) {
      if (!gzip.write(zeros)) await new Promise((r) => gzip.once('drain', r));
    }
    gzip.end(endOfArchive());
    await done;
    const bomb = Buffer.concat(parts);
    assert.ok(bomb.length < 1_000_000, 'the bomb is small on disk');

    let inflated = 0;
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const chunk of archiveStream(ws.archive(bomb), 'gzip')) {
        inflated += chunk.byteLength;
        yield chunk;
      }
    }
    await assert.rejects(extractTarStream(counted(), ws.target), (error: unknown) => {
      assert.ok(error instanceof ArtifactError);
      assert.equal(error.code, 'too-many-bytes');
      assert.match(error.message, /"bomb\.bin".*100 MiB limit/);
      return true;
    });
    assert.ok(inflated < 5_000_000, `only the start of the bomb was inflated (${inflated} bytes)`);
    assert.equal(existsSync(ws.target), false);
  } finally {
    ws.cleanup();
  }
});

test('refuses many honest-looking files that add up past maxBytes while streaming', async () => {
  const entries = Array.from({ length: 20 }, (_, i) => ({ name: `part${i}`, content: Buffer.alloc(100_000) }));
  await expectRefusal(tgz(entries), 'too-many-bytes', /"part10"/, { limits: { maxBytes: 1_000_000 } });
});

test('rejects a truncated or corrupt gzip stream and files that are not archives', async () => {
  const good = tgz([
    { name: 'a', content: 'q'.repeat(10_000) },
    { name: 'b', content: 'r'.repeat(10_000) },
  ]);
  await expectRefusal(good.subarray(0, good.length - 30), 'truncated-archive', /truncated|ends/);
  const flipped = Buffer.from(good);
  flipped[20] ^= 0xff;
  const error = await expectRefusal(flipped, 'corrupt-archive', /./).catch((e: unknown) => e);
  assert.ok(error instanceof ArtifactError || error instanceof Error);
  await expectRefusal(Buffer.from('-----BEGIN PGP SIGNED MESSAGE-----\n'), 'not-extractable', /neither a tar/);
});

test('a pre-cancelled extraction writes nothing', async () => {
  const controller = new AbortController();
  controller.abort();
  await expectRefusal(tgz([{ name: 'a', content: 'x' }]), 'cancelled', /cancelled/, { signal: controller.signal });
});

test('the staging directory goes where it is told and is removed after a refusal', async () => {
  const ws = workspace();
  try {
    const staging = join(ws.dir, 'staging');
    await assert.rejects(extractArchiveFile(ws.archive(tgz([{ name: '../x', content: 'x' }])), ws.target, { stagingParent: staging }));
    assert.deepEqual(readdirSync(staging), []);
    const tree = await extractArchiveFile(ws.archive(tar([{ name: 'ok', content: 'fine' }])), ws.target, { stagingParent: staging });
    assert.deepEqual(tree.files, [{ path: 'ok', size: 4 }]);
    assert.deepEqual(readdirSync(staging), []);
  } finally {
    ws.cleanup();
  }
});

/** Many files of varied sizes (empty, tiny, crossing 512-byte blocks, several MiB), mostly incompressible, from one seed. */
function manyFiles(seed: number): Map<string, Buffer> {
  const rand = seededRandom(seed);
  const files = new Map<string, Buffer>();
  const bytes = (size: number, compressible: boolean) => {
    const out = Buffer.allocUnsafe(size);
    for (let i = 0; i < size; i++) out[i] = compressible ? 97 + rand(4) : rand(256);
    return out;
  };
  files.set('big/one.bin', bytes(3 * 1024 * 1024 + 7, false)); // spans many reads of the 256 KiB buffer on its own
  files.set('empty', Buffer.alloc(0));
  files.set('block/exactly-512', bytes(512, false));
  for (let i = 0; i < 300; i++) {
    const size = rand(4) === 0 ? rand(600) : rand(40_000);
    files.set(`dir${i % 7}/sub${i % 3}/file-${i}.${i % 2 ? 'bin' : 'txt'}`, bytes(size, i % 5 === 0));
  }
  return files;
}

test('a multi-MiB gzip archive with hundreds of files extracts byte for byte through the reused read buffer', async () => {
  const files = manyFiles(42);
  const archive = tgz([...files].map(([name, content]) => ({ name, content })));
  assert.ok(archive.length > 20 * 256 * 1024, `the archive (${archive.length} bytes) needs many refills of the 256 KiB buffer`);
  const ws = workspace();
  try {
    const tree = await extractArchiveFile(ws.archive(archive), ws.target);
    assert.equal(tree.files.length, files.size);
    assert.equal(
      tree.totalBytes,
      [...files.values()].reduce((sum, b) => sum + b.length, 0),
    );
    for (const file of tree.files) assert.equal(file.size, files.get(file.path)?.length, file.path);
    for (const [name, content] of files) assert.ok(readFileSync(join(ws.target, name)).equals(content), `${name} is byte-identical`);
  } finally {
    ws.cleanup();
  }
});

test('archiveStream inflates a multi-MiB gzip file to exactly the original tar', async () => {
  const archive = tgz([...manyFiles(7)].map(([name, content]) => ({ name, content })));
  const ws = workspace();
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of archiveStream(ws.archive(archive), 'gzip')) chunks.push(Buffer.from(chunk));
    assert.ok(Buffer.concat(chunks).equals(gunzipSync(archive)));
  } finally {
    ws.cleanup();
  }
});

test('a multi-MiB gzip archive cut off or corrupted past the first buffers is refused, leaving nothing', async () => {
  const archive = tgz([...manyFiles(9)].map(([name, content]) => ({ name, content })));
  await expectRefusal(archive.subarray(0, Math.floor(archive.length * 0.8)), 'truncated-archive', /truncated|ends/);
  const corrupt = Buffer.from(archive);
  // Past a few refills: the damage is found while inflating or by the gzip trailer's CRC.
  for (let i = 0; i < 64; i++) corrupt[1_000_000 + i] ^= 0x5a;
  await expectRefusal(corrupt, 'corrupt-archive', /corrupt/);
});
