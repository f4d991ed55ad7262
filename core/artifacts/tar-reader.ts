// Streaming tar parser: ustar, GNU long names/links (L/K), pax path/linkpath/size, base-256 sizes.
// Reports entries exactly as written (unsafe names included); deciding what is safe is safe-extract.ts's job.
import { ArtifactError } from './artifact-error';
import { ChunkReader } from './chunk-reader';
import { MAX_METADATA_RECORD_BYTES } from './limits';

const BLOCK = 512;

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'chardev' | 'blockdev' | 'fifo' | 'unsupported';

export interface TarEntry {
  /** The name as stored (after pax/GNU long-name overrides), not normalised or checked. */
  path: string;
  type: TarEntryType;
  /** The raw type flag, for messages about unsupported entries. */
  typeFlag: string;
  /** Content bytes that follow the header (0 for links, directories and devices). */
  size: number;
  mode: number;
  linkPath?: string;
  /** The content; read it (or not) before asking for the next entry. Single use. */
  body(): AsyncGenerator<Buffer>;
}

export interface TarReadOptions {
  /** Ceiling for one pax or GNU long-name record (defaults to 1 MiB). */
  maxMetadataBytes?: number;
}

function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

function cString(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const nul = field.indexOf(0);
  return (nul === -1 ? field : field.subarray(0, nul)).toString('utf8');
}

/** Octal (NUL/space padded) or GNU base-256 (high bit set) numeric field. */
function numeric(block: Buffer, offset: number, length: number, what: string): number {
  const field = block.subarray(offset, offset + length);
  if (field[0] !== undefined && (field[0] & 0x80) !== 0) {
    if (field[0] === 0xff) throw new ArtifactError('corrupt-archive', `The archive has a negative ${what} field.`);
    let value = field[0] & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i]!;
    if (!Number.isSafeInteger(value)) throw new ArtifactError('corrupt-archive', `The archive has an oversized ${what} field.`);
    return value;
  }
  const text = field
    .toString('latin1')
    .replace(/[\0 ]+$/g, '')
    .replace(/^[ \0]+/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new ArtifactError('corrupt-archive', `The archive has an invalid ${what} field ("${text.slice(0, 20)}").`);
  return parseInt(text, 8);
}

function checksumMatches(block: Buffer): boolean {
  const stored = numeric(block, 148, 8, 'checksum');
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

function entryType(flag: string, name: string): TarEntryType {
  switch (flag) {
    case '0':
    case '\0':
    case '':
    case '7':
      return name.endsWith('/') ? 'directory' : 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '3':
      return 'chardev';
    case '4':
      return 'blockdev';
    case '5':
      return 'directory';
    case '6':
      return 'fifo';
    default:
      return 'unsupported';
  }
}

/** Parses pax records `"<len> <key>=<value>\n"`; lengths count bytes of the whole record. */
export function parsePaxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.length) {
    if (data[offset] === 0) break;
    const space = data.indexOf(0x20, offset);
    if (space === -1) throw new ArtifactError('corrupt-archive', 'The archive has a malformed pax header record.');
    const length = Number(data.subarray(offset, space).toString('latin1'));
    if (!Number.isInteger(length) || length <= space - offset + 1 || offset + length > data.length) {
      throw new ArtifactError('corrupt-archive', 'The archive has a pax header record with an invalid length.');
    }
    const record = data.subarray(space + 1, offset + length);
    if (record[record.length - 1] !== 0x0a) throw new ArtifactError('corrupt-archive', 'The archive has a pax header record without its newline.');
    const equals = record.indexOf(0x3d);
    if (equals === -1) throw new ArtifactError('corrupt-archive', 'The archive has a pax header record without "=".');
    records.set(record.subarray(0, equals).toString('utf8'), record.subarray(equals + 1, record.length - 1).toString('utf8'));
    offset += length;
  }
  return records;
}

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

/**
 * Yields the entries of an uncompressed tar stream in order. Metadata entries (pax, GNU L/K) are
 * folded into the entry they describe. Throws ArtifactError on malformed or truncated input.
 */
export async function* readTarEntries(source: AsyncIterable<Uint8Array>, options: TarReadOptions = {}): AsyncGenerator<TarEntry> {
  const maxMetadata = options.maxMetadataBytes ?? MAX_METADATA_RECORD_BYTES;
  const reader = new ChunkReader(source);
  let pendingPath: string | undefined;
  let pendingLink: string | undefined;
  let pendingSize: number | undefined;
  let unreadBody = 0;

  const readMetadata = async (size: number, what: string): Promise<Buffer> => {
    if (size > maxMetadata) throw new ArtifactError('corrupt-archive', `The archive has a ${what} record of ${size} bytes, more than the ${maxMetadata} allowed.`);
    if (!(await reader.fill(size + padding(size)))) throw new ArtifactError('truncated-archive', `The archive ends inside a ${what} record.`);
    const data = Buffer.from(reader.take(size));
    reader.take(padding(size));
    return data;
  };

  try {
    for (;;) {
      if (unreadBody > 0 && !(await reader.skip(unreadBody))) {
        throw new ArtifactError('truncated-archive', 'The archive ends inside the content of an entry.');
      }
      unreadBody = 0;
      if (!(await reader.fill(BLOCK))) {
        if (await reader.atEnd()) {
          if (pendingPath !== undefined || pendingLink !== undefined || pendingSize !== undefined) {
            throw new ArtifactError('truncated-archive', 'The archive ends after a long-name or pax header with no entry.');
          }
          return; // EOF on a block boundary without end marker: accepted, as Go's archive/tar does.
        }
        throw new ArtifactError('truncated-archive', 'The archive ends in the middle of a header block.');
      }
      const block = reader.take(BLOCK);
      if (isZeroBlock(block)) return; // end-of-archive marker; whatever follows is ignored
      if (!checksumMatches(block)) throw new ArtifactError('corrupt-archive', `The archive has a header with a bad checksum at byte ${reader.consumed - BLOCK}.`);

      const flag = String.fromCharCode(block[156]!);
      const headerSize = numeric(block, 124, 12, 'size');
      const magic = block.subarray(257, 263).toString('latin1');
      let name = cString(block, 0, 100);
      if (magic === 'ustar\0') {
        const prefix = cString(block, 345, 155);
        if (prefix) name = `${prefix}/${name}`;
      }

      if (flag === 'L' || flag === 'K') {
        const value = cString(await readMetadata(headerSize, 'GNU long name'), 0, headerSize);
        if (flag === 'L') pendingPath = value;
        else pendingLink = value;
        continue;
      }
      if (flag === 'x' || flag === 'g') {
        const records = parsePaxRecords(await readMetadata(headerSize, 'pax header'));
        if (flag === 'x') {
          if (records.has('path')) pendingPath = records.get('path');
          if (records.has('linkpath')) pendingLink = records.get('linkpath');
          const paxSize = records.get('size');
          if (paxSize !== undefined) {
            if (!/^[0-9]+$/.test(paxSize) || !Number.isSafeInteger(Number(paxSize))) {
              throw new ArtifactError('corrupt-archive', `The archive has an invalid pax size "${paxSize.slice(0, 20)}".`);
            }
            pendingSize = Number(paxSize);
          }
        }
        continue; // global pax headers carry nothing this reader needs
      }

      const path = pendingPath ?? name;
      const type = entryType(flag, path);
      const declared = pendingSize ?? headerSize;
      const linkPath = pendingLink ?? (cString(block, 157, 100) || undefined);
      pendingPath = pendingLink = pendingSize = undefined;
      // Links, directories and devices carry no data even when a size is written.
      const size = type === 'file' || type === 'unsupported' ? declared : 0;
      unreadBody = size + padding(size);

      let used = false;
      const body = async function* (): AsyncGenerator<Buffer> {
        if (used) throw new Error('A tar entry body can be read only once.');
        used = true;
        let got = 0;
        for await (const chunk of reader.stream(size)) {
          got += chunk.length;
          unreadBody -= chunk.length;
          yield chunk;
        }
        if (got < size) throw new ArtifactError('truncated-archive', `The archive ends inside the content of "${path}".`, path);
      };
      yield {
        path,
        type,
        typeFlag: flag,
        size,
        mode: numeric(block, 100, 8, 'mode'),
        ...(type === 'symlink' || type === 'hardlink' ? { linkPath: linkPath ?? '' } : {}),
        body,
      };
    }
  } finally {
    await reader.close();
  }
}
