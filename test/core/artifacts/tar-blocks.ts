// Test helper: raw tar header blocks the shared writer cannot produce (pax, GNU long names, base-256 sizes).
// Used to build valid exotic archives and hostile ones; it writes exactly what it is told.

export interface RawHeader {
  name: string;
  typeFlag: string;
  size: number;
  linkName?: string;
  /** Write the size field in GNU base-256 form. */
  base256Size?: boolean;
  magic?: 'ustar' | 'gnu';
  badChecksum?: boolean;
}

export function rawHeader(h: RawHeader): Buffer {
  const buf = Buffer.alloc(512, 0);
  buf.write(h.name, 0, 100, 'utf8');
  buf.write('0000644\0', 100, 'ascii');
  buf.write('0000000\0', 108, 'ascii');
  buf.write('0000000\0', 116, 'ascii');
  if (h.base256Size) {
    buf[124] = 0x80;
    let value = h.size;
    for (let i = 135; i > 124; i--) {
      buf[i] = value % 256;
      value = Math.floor(value / 256);
    }
  } else buf.write(h.size.toString(8).padStart(11, '0') + '\0', 124, 'ascii');
  buf.write('00000000000\0', 136, 'ascii');
  buf.fill(' ', 148, 156);
  buf.write(h.typeFlag, 156, 1, 'ascii');
  if (h.linkName) buf.write(h.linkName, 157, 100, 'utf8');
  if (h.magic === 'gnu') buf.write('ustar  \0', 257, 'ascii');
  else {
    buf.write('ustar\0', 257, 'ascii');
    buf.write('00', 263, 'ascii');
  }
  let sum = 0;
  for (const b of buf) sum += b;
  if (h.badChecksum) sum += 1;
  buf.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return buf;
}

export function padded(data: Buffer | string): Buffer {
  const bytes = Buffer.from(data);
  const pad = (512 - (bytes.length % 512)) % 512;
  return Buffer.concat([bytes, Buffer.alloc(pad)]);
}

/** A whole entry: header + padded content. */
export function rawEntry(h: Omit<RawHeader, 'size'> & { content?: Buffer | string }): Buffer {
  const content = Buffer.from(h.content ?? '');
  return Buffer.concat([rawHeader({ ...h, size: content.length }), padded(content)]);
}

export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return `${length}${body}`;
}

export const endOfArchive = () => Buffer.alloc(1024, 0);
