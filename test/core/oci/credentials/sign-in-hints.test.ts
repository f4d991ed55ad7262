// The exact sign-in commands a 401/403 message names for each cloud.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { signInHint } from '../../../../core/oci/credentials/sign-in-hints';

describe('sign-in hints', () => {
  it('AWS: the region from the ECR host in the docker login pipeline, and aws sso login', () => {
    const hint = signInHint('aws', '123456789012.dkr.ecr.eu-central-1.amazonaws.com', {});
    assert.ok(hint.includes('`aws ecr get-login-password --region eu-central-1 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-central-1.amazonaws.com`'), hint);
    assert.ok(hint.includes('`aws sso login`'), hint);
  });

  it('AWS on a host without a region in its name: AWS_REGION, else a placeholder', () => {
    assert.match(signInHint('aws', 'registry.internal:5000', { AWS_REGION: 'ap-south-1' }), /--region ap-south-1 \|/);
    assert.match(signInHint('aws', 'registry.internal:5000', {}), /--region <region> \|/);
  });

  it('Azure: az login, and az acr login with the registry name', () => {
    const hint = signInHint('azure', 'contoso.azurecr.io', {});
    assert.ok(hint.includes('`az login`') && hint.includes('`az acr login -n contoso`'), hint);
  });

  it('Google: application-default login, and configure-docker for the host without its port', () => {
    const hint = signInHint('gcp', 'europe-west1-docker.pkg.dev', {});
    assert.ok(hint.includes('`gcloud auth application-default login`'), hint);
    assert.ok(hint.includes('`gcloud auth configure-docker europe-west1-docker.pkg.dev`'), hint);
  });
});
