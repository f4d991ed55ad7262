// Lists every tag of a repository: `tags/list?n=1000`, following Link rel="next" (absolute, relative or opaque), same origin only.
// Stops on a repeated URL; bounds pages, tags and bytes in total (a Link chain that never ends cannot exhaust memory); never sorts or dedups (that is core/versions' job), never rebuilds a server's page URL.
import { RegistryError, registryErrorCodes } from './errors';
import { nextPageUrl } from './link-header';
import type { RegistrySession, RequestTarget } from './registry-session';
import { statusError } from './status-errors';

export interface TagListing {
  tags: string[];
  pages: number;
}

export interface TagListingOptions {
  pageSize?: number;
  maxPages?: number;
  /** Cap on one page's body. */
  maxPageBytes?: number;
  /** Cap on all tags of one listing, and on all page bodies together. */
  maxTags?: number;
  maxTotalBytes?: number;
}

/** Bounds of one listing: ten times the largest real repositories seen, far below what would strain memory. */
export const TAG_LISTING_LIMITS = { maxPages: 2000, maxPageBytes: 16 << 20, maxTags: 250_000, maxTotalBytes: 32 << 20 } as const;

function tooManyError(where: string, what: string, pages: number): RegistryError {
  return new RegistryError(
    'too-large',
    `The tag list of ${where} has more than ${what} (stopped after ${pages} page${pages === 1 ? '' : 's'}); the registry may be paging without end. Use a digest or a narrower repository.`,
  );
}

export async function listAllTags(session: RegistrySession, target: RequestTarget, options: TagListingOptions = {}): Promise<TagListing> {
  const maxPages = options.maxPages ?? TAG_LISTING_LIMITS.maxPages;
  const maxTags = options.maxTags ?? TAG_LISTING_LIMITS.maxTags;
  const maxTotalBytes = options.maxTotalBytes ?? TAG_LISTING_LIMITS.maxTotalBytes;
  let totalBytes = 0;
  const where = `${target.registry}/${target.repository}`;
  let url = new URL(session.repositoryUrl(target, 'tags/list'));
  url.searchParams.set('n', String(options.pageSize ?? 1000));
  const seen = new Set<string>();
  const tags: string[] = [];
  let pages = 0;
  let retriedWithoutN = false;
  for (;;) {
    seen.add(url.toString());
    const pageCap = Math.min(options.maxPageBytes ?? TAG_LISTING_LIMITS.maxPageBytes, maxTotalBytes - totalBytes);
    const res = await session.fetchBuffered(target, { url: url.toString(), headers: { accept: 'application/json' } }, pageCap).catch((error: unknown) => {
      if (error instanceof RegistryError && error.code === 'too-large' && pageCap < (options.maxPageBytes ?? TAG_LISTING_LIMITS.maxPageBytes))
        throw tooManyError(where, `${maxTotalBytes >> 20} MiB of listing`, pages);
      throw error;
    });
    totalBytes += res.body.length;
    if (res.status === 400 && pages === 0 && !retriedWithoutN && registryErrorCodes(res.body.toString('utf8')).includes('PAGINATION_NUMBER_INVALID')) {
      retriedWithoutN = true;
      url.searchParams.delete('n');
      continue;
    }
    if (res.status === 404) {
      throw new RegistryError('not-found', `Repository ${where} was not found (or you may not list it).`, { status: 404, registryCodes: registryErrorCodes(res.body.toString('utf8')) });
    }
    if (res.status !== 200) throw statusError(res.status, res.headers, res.body, `the tag list of ${where}`);
    let body: { tags?: unknown };
    try {
      body = JSON.parse(res.body.toString('utf8')) as { tags?: unknown };
    } catch {
      throw new RegistryError('protocol', `The tag list of ${where} is not JSON.`);
    }
    if (body.tags !== null && body.tags !== undefined && !Array.isArray(body.tags)) throw new RegistryError('protocol', `The tag list of ${where} has no "tags" array.`);
    for (const tag of (body.tags as unknown[] | null | undefined) ?? []) if (typeof tag === 'string') tags.push(tag);
    pages++;
    if (tags.length > maxTags) throw tooManyError(where, `${maxTags} tags`, pages);
    const nextUrl = nextPageUrl(res.headers.link, url, `The tag list of ${where}`);
    if (!nextUrl) break;
    if (seen.has(nextUrl.toString())) break;
    if (pages >= maxPages) throw tooManyError(where, `${maxPages} pages`, pages);
    url = nextUrl;
  }
  return { tags, pages };
}
