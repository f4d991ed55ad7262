// A minimal ustar writer for building test and demo archives (charts, Flux artifacts, hostile ones).
// It writes exactly what it is told, including unsafe names and links: that is its purpose in tests.
import { gzipSync } from 'node:zlib';

export interface TarEntry {
  name: string;
  /** Regular file content; ignored for links, directories and devices. */
  content?: Buffer | string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'chardev' | 'fifo';
  linkName?: string;
  mode?: number;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(entry: TarEntry, size: number): Buffer {
  const buf = Buffer.alloc(512, 0);
  const typeFlag = { file: '0', hardlink: '1', symlink: '2', chardev: '3', dir: '5', fifo: '6' }[entry.type ?? 'file'];
  let name = entry.name;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 154);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
  }
  buf.write(name, 0, 100, 'utf8');
  buf.write(octal(entry.mode ?? (entry.type === 'dir' ? 0o755 : 0o644), 8), 100, 'ascii');
  buf.write(octal(0, 8), 108, 'ascii');
  buf.write(octal(0, 8), 116, 'ascii');
  buf.write(octal(size, 12), 124, 'ascii');
  buf.write(octal(0, 12), 136, 'ascii');
  buf.fill(' ', 148, 156);
  buf.write(typeFlag, 156, 1, 'ascii');
  if (entry.linkName) buf.write(entry.linkName, 157, 100, 'utf8');
  buf.write('ustar\0', 257, 'ascii');
  buf.write('00', 263, 'ascii');
  buf.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of buf) sum += b;
  buf.write(octal(sum, 7) + ' ', 148, 8, 'ascii');
  return buf;
}

/** Builds an uncompressed tar archive. */
export function tar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = entry.type === undefined || entry.type === 'file' ? Buffer.from(entry.content ?? '') : Buffer.alloc(0);
    parts.push(header(entry, data.length), data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(1024, 0));
  return Buffer.concat(parts);
}

/** Builds a gzip-compressed tar archive (.tgz), as Helm charts and Flux artifacts are stored. */
export function tgz(entries: TarEntry[]): Buffer {
  return gzipSync(tar(entries));
}
