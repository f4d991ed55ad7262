// URIs ↔ index paths with Windows and POSIX rules, whatever OS runs the test: VS Code's `file:///c%3A/…` spelling,
// UNC shares, drive letters and spaces; the exact URI a client used is what diagnostics are published under.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UriRegistry, uriToPathFor } from '../../server/src/uri-paths';

describe('uri-paths on Windows rules', () => {
  it('turns file URIs into drive-letter and UNC paths', () => {
    assert.equal(uriToPathFor('file:///c%3A/Users/ana/gitops/clusters/prod.yaml', true), 'c:\\Users\\ana\\gitops\\clusters\\prod.yaml');
    assert.equal(uriToPathFor('file:///C:/repo/a%20b.yml', true), 'C:\\repo\\a b.yml');
    assert.equal(uriToPathFor('file://fileserver/share/flux/source.yaml', true), '\\\\fileserver\\share\\flux\\source.yaml');
    assert.equal(uriToPathFor('untitled:Untitled-1', true), 'untitled:Untitled-1');
    assert.equal(uriToPathFor('file:///not%2Fa/path', true), 'file:///not%2Fa/path', 'an unparseable file URI stays a key of its own');
  });

  it('publishes back under the spelling the client used, and builds file URIs for paths it never saw', () => {
    const uris = new UriRegistry(true);
    const vscodeSpelling = 'file:///c%3A/Users/ana/gitops/source.yaml';
    const path = uris.remember(vscodeSpelling);
    assert.equal(path, 'c:\\Users\\ana\\gitops\\source.yaml');
    assert.equal(uris.uriOf(path), vscodeSpelling);
    assert.equal(uris.uriOf('D:\\flux\\release one.yaml'), 'file:///D:/flux/release%20one.yaml', 'a drive letter is not a URI scheme');
    assert.equal(uris.uriOf('\\\\fileserver\\share\\x.yaml'), 'file://fileserver/share/x.yaml');
    assert.equal(uris.uriOf('untitled:Untitled-2'), 'untitled:Untitled-2');
  });
});

describe('uri-paths on POSIX rules (Linux, macOS)', () => {
  it('decodes percent-escapes and keeps backslashes as file name characters', () => {
    assert.equal(uriToPathFor('file:///Users/ana/My%20Repo/a.yaml', false), '/Users/ana/My Repo/a.yaml');
    assert.equal(uriToPathFor('file:///tmp/odd%5Cname.yaml', false), '/tmp/odd\\name.yaml');
    const uris = new UriRegistry(false);
    assert.equal(uris.uriOf('/srv/flux/a b.yaml'), 'file:///srv/flux/a%20b.yaml');
    assert.equal(uris.uriOf(uris.remember('file:///srv/flux/x.yaml')), 'file:///srv/flux/x.yaml');
  });
});
