// Lists every tag of a repository: `tags/list?n=1000`, following Link rel="next" (absolute, relative or opaque), same origin only.
// Stops on a repeated URL and caps pages; never sorts or dedups (that is core/versions' job), never rebuilds a server's page URL.
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
}

export async function listAllTags(session: RegistrySession, target: RequestTarget, options: TagListingOptions = {}): Promise<TagListing> {
  const maxPages = options.maxPages ?? 2000;
  const where = `${target.registry}/${target.repository}`;
  let url = new URL(session.repositoryUrl(target, 'tags/list'));
  url.searchParams.set('n', String(options.pageSize ?? 1000));
  const seen = new Set<string>();
  const tags: string[] = [];
  let pages = 0;
  let retriedWithoutN = false;
  for (;;) {
    seen.add(url.toString());
    const res = await session.fetchBuffered(target, { url: url.toString(), headers: { accept: 'application/json' } }, options.maxPageBytes ?? 64 << 20);
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
    const nextUrl = nextPageUrl(res.headers.link, url, `The tag list of ${where}`);
    if (!nextUrl) break;
    if (seen.has(nextUrl.toString())) break;
    if (pages >= maxPages) throw new RegistryError('protocol', `The tag list of ${where} has more than ${maxPages} pages; stopping.`);
    url = nextUrl;
  }
  return { tags, pages };
}
