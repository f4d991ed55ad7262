// spec.provider read from the workspace per registry host: aws/azure/gcp declare, generic and substitutions do not, edits apply.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { declaredProviders } from '../../../core/live/declared-providers';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';

const source = (name: string, url: string, provider: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: ${name}
  namespace: apps
spec:
  interval: 5m
  url: ${url}
  provider: ${provider}
  ref:
    tag: latest
`;

describe('declared providers', () => {
  it('maps each registry host to the provider its OCIRepositories declare', () => {
    const index = new WorkspaceIndex();
    index.setFile('/w/a.yaml', source('a', 'oci://registry.internal:5000/team/app', 'aws'));
    index.setFile('/w/b.yaml', source('b', 'oci://acr.example.com/charts/web', 'azure'));
    index.setFile('/w/c.yaml', source('c', 'oci://ghcr.io/org/app', 'generic'));
    index.setFile('/w/d.yaml', source('d', 'oci://${REGISTRY}/org/app', 'gcp'));
    const providerFor = declaredProviders(index);
    assert.equal(providerFor('registry.internal:5000'), 'aws');
    assert.equal(providerFor('acr.example.com'), 'azure');
    assert.equal(providerFor('ghcr.io'), undefined);
    assert.equal(providerFor('registry.internal'), undefined, 'the port is part of the host');
  });

  it('an OCI HelmRepository declares its provider too; an HTTP one does not', () => {
    const index = new WorkspaceIndex();
    const helmRepository = (name: string, type: string, url: string) =>
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: ${name}\n  namespace: apps\nspec:\n  interval: 1h\n  type: ${type}\n  provider: gcp\n  url: ${url}\n`;
    index.setFile('/w/oci.yaml', helmRepository('charts', 'oci', 'oci://charts.internal:8443/helm'));
    index.setFile('/w/http.yaml', helmRepository('legacy', 'default', 'https://legacy.internal/charts'));
    const providerFor = declaredProviders(index);
    assert.equal(providerFor('charts.internal:8443'), 'gcp');
    assert.equal(providerFor('legacy.internal'), undefined);
  });

  it('an ImageRepository declares the provider of its spec.image host', () => {
    const index = new WorkspaceIndex();
    index.setFile(
      '/w/img.yaml',
      'apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app\n  interval: 5m\n  provider: aws\n',
    );
    index.setFile(
      '/w/hub.yaml',
      'apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata:\n  name: hub\n  namespace: flux-system\nspec:\n  image: nginx\n  interval: 5m\n  provider: generic\n',
    );
    const providerFor = declaredProviders(index);
    assert.equal(providerFor('123456789012.dkr.ecr.eu-west-1.amazonaws.com'), 'aws');
    assert.equal(providerFor('registry-1.docker.io'), undefined);
  });

  it('reads the workspace at lookup time, so an edit applies at once', () => {
    const index = new WorkspaceIndex();
    const providerFor = declaredProviders(index);
    assert.equal(providerFor('europe-docker.pkg.dev'), undefined);
    index.setFile('/w/a.yaml', source('a', 'oci://europe-docker.pkg.dev/p/r/app', 'gcp'));
    assert.equal(providerFor('europe-docker.pkg.dev'), 'gcp');
  });
});
