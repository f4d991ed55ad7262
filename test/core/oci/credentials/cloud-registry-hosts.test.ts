// Which cloud a registry host name belongs to, with the region and account or registry name it carries.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cloudRegistryHost, isCloudProviderName } from '../../../../core/oci/credentials/cloud-registry-hosts';

describe('cloud registry hosts', () => {
  it('reads account and region from ECR hosts in every AWS partition, FIPS and dash forms included', () => {
    assert.deepEqual(cloudRegistryHost('123456789012.dkr.ecr.eu-west-1.amazonaws.com'), { provider: 'aws', account: '123456789012', region: 'eu-west-1' });
    assert.deepEqual(cloudRegistryHost('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn'), { provider: 'aws', account: '123456789012', region: 'cn-north-1' });
    assert.deepEqual(cloudRegistryHost('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com'), { provider: 'aws', account: '123456789012', region: 'us-gov-west-1' });
    assert.deepEqual(cloudRegistryHost('123456789012.dkr-ecr.us-east-1.amazonaws.com:443'), { provider: 'aws', account: '123456789012', region: 'us-east-1' });
  });

  it('refuses look-alikes: short account ids, ECR Public, other suffixes', () => {
    assert.equal(cloudRegistryHost('12345.dkr.ecr.eu-west-1.amazonaws.com'), undefined);
    assert.equal(cloudRegistryHost('public.ecr.aws'), undefined);
    assert.equal(cloudRegistryHost('123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.example'), undefined);
    assert.equal(cloudRegistryHost('myregistry.azurecr.io.example.com'), undefined);
    assert.equal(cloudRegistryHost('docker.pkg.dev'), undefined);
    assert.equal(cloudRegistryHost('ghcr.io'), undefined);
  });

  it('names the ACR registry in each Azure cloud', () => {
    assert.deepEqual(cloudRegistryHost('MyRegistry.azurecr.io'), { provider: 'azure', account: 'myregistry' });
    assert.deepEqual(cloudRegistryHost('contoso.azurecr.cn'), { provider: 'azure', account: 'contoso' });
    assert.deepEqual(cloudRegistryHost('gov.azurecr.us'), { provider: 'azure', account: 'gov' });
  });

  it('knows Artifact Registry and Container Registry hosts', () => {
    for (const host of ['europe-west1-docker.pkg.dev', 'us-docker.pkg.dev', 'gcr.io', 'eu.gcr.io', 'asia.gcr.io']) assert.deepEqual(cloudRegistryHost(host), { provider: 'gcp' }, host);
  });

  it('accepts only aws, azure and gcp as provider names', () => {
    assert.ok(isCloudProviderName('aws') && isCloudProviderName('azure') && isCloudProviderName('gcp'));
    assert.ok(!isCloudProviderName('generic') && !isCloudProviderName('AWS') && !isCloudProviderName(undefined));
  });
});
