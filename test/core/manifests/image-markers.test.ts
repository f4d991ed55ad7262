// The `$imagepolicy` setter markers as image-automation-controller reads them: the value on the marker's line, the
// policy and part it names, and an error for each marker Flux would ignore. Document-relative ranges.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { scanImageMarkers } from '../../../core/manifests/image-markers';

const one = (line: string) => scanImageMarkers(line);

test('a Deployment image, an OCIRepository tag and a HelmRelease values tag, each with its part', () => {
  const text = [
    'spec:',
    '  containers:',
    '    - name: app',
    '      image: ghcr.io/stefanprodan/podinfo:6.5.0 # {"$imagepolicy": "flux-system:podinfo"}',
    '  ref:',
    '    tag: "6.5.0" # {"$imagepolicy": "flux-system:podinfo:tag"}',
    '  values:',
    '    image: {repository: x} # not a marker',
    '    name: ghcr.io/org/app # {"$imagepolicy": "apps:app:name"}',
    '    digest: sha256:abc # {"$imagepolicy": "apps:app:digest"}',
    '  - ghcr.io/org/app:1.0.0 # {"$imagepolicy": "apps:app"}',
  ].join('\n');
  const { markers, diagnostics } = scanImageMarkers(text);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    markers.map((m) => [m.namespace, m.name, m.part, m.value]),
    [
      ['flux-system', 'podinfo', 'image', 'ghcr.io/stefanprodan/podinfo:6.5.0'],
      ['flux-system', 'podinfo', 'tag', '6.5.0'],
      ['apps', 'app', 'name', 'ghcr.io/org/app'],
      ['apps', 'app', 'digest', 'sha256:abc'],
      ['apps', 'app', 'image', 'ghcr.io/org/app:1.0.0'],
    ],
  );
  // The quoted tag's range excludes its quotes; the marker range is the setter string inside the comment.
  assert.deepEqual(markers[1].valueRange, { start: { line: 5, character: 10 }, end: { line: 5, character: 15 } });
  assert.equal(text.split('\n')[5].slice(markers[1].markerRange.start.character, markers[1].markerRange.end.character), 'flux-system:podinfo:tag');
});

test('Go trims every leading # before reading the JSON', () => {
  assert.equal(one('tag: 1 ## {"$imagepolicy": "ns:p:tag"}').markers[0]?.setter, 'ns:p:tag');
});

test('a # inside a quoted value is not a comment; CRLF lines work', () => {
  const { markers } = one('tag: "a#b" # {"$imagepolicy": "ns:p:tag"}\r\n');
  assert.equal(markers[0].value, 'a#b');
});

test('malformed markers are errors saying why Flux ignores them', () => {
  const cases: Array<[string, RegExp]> = [
    ['image: x:1 # {"$imagepolicy": "podinfo"}', /needs the namespace/],
    ['image: x:1 # {"$imagepolicy": "flux-system/podinfo"}', /colon, not a slash/],
    ['image: x:1 # {"$imagepolicy": "flux-system:podinfo:version"}', /names no image policy setter/],
    ['image: x:1 # {$imagepolicy: flux-system:podinfo}', /double quotes/],
    ['image: x:1 # {"$imagepolicy": "flux-system:podinfo"', /not valid JSON/],
    ['image: x:1 # set by {"$imagepolicy": "flux-system:podinfo"}', /not valid JSON/],
    ['image: x:1 # {"$imagepolicy": 3}', /must be a string/],
    ['image: x:1 # {"$imagepolicy": \'flux-system:podinfo\'}', /not valid JSON/],
    ['image: x:1 # {"$imagepolicy": "flux-system:podinfo", "n": 1}', /Every value/],
    ['containers: # {"$imagepolicy": "flux-system:podinfo"}', /line holding the scalar value/],
  ];
  for (const [line, message] of cases) {
    const { markers, diagnostics } = one(line);
    assert.equal(markers.length, 0, line);
    assert.equal(diagnostics.length, 1, line);
    assert.equal(diagnostics[0].code, 'image-marker-malformed');
    assert.match(diagnostics[0].message, message, line);
  }
});

test('text without the token is skipped; a comment mentioning it elsewhere on a line without # is ignored', () => {
  assert.deepEqual(one('image: nginx:1.0 # pinned'), { markers: [], diagnostics: [] });
  assert.deepEqual(one('description: "see $imagepolicy docs"'), { markers: [], diagnostics: [] });
  assert.deepEqual(one('# the automation rewrites every `$imagepolicy` marker below'), { markers: [], diagnostics: [] });
});
