// The ECR API endpoint the AWS SDK will call, as the proxy choice for sign-in sees it: the endpoint overrides first, then
// the region's public endpoint (China regions under amazonaws.com.cn). Pure; no network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ecrApiEndpoint } from '../../../../core/oci/credentials/aws-ecr-credentials';

test('AWS_ENDPOINT_URL_ECR over AWS_ENDPOINT_URL, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS; an unparsable one is ignored', () => {
  assert.equal(ecrApiEndpoint('eu-west-1', { AWS_ENDPOINT_URL_ECR: 'https://ecr.corp.test:8443', AWS_ENDPOINT_URL: 'https://all.corp.test' }).host, 'ecr.corp.test:8443');
  assert.equal(ecrApiEndpoint('eu-west-1', { AWS_ENDPOINT_URL: 'http://all.corp.test' }).href, 'http://all.corp.test/');
  assert.equal(ecrApiEndpoint('eu-west-1', { AWS_ENDPOINT_URL_ECR: 'https://ecr.corp.test', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }).host, 'api.ecr.eu-west-1.amazonaws.com');
  assert.equal(ecrApiEndpoint('eu-west-1', { AWS_ENDPOINT_URL_ECR: 'not a url' }).host, 'api.ecr.eu-west-1.amazonaws.com');
});

test("the registry's region, else AWS_REGION / AWS_DEFAULT_REGION; China regions use amazonaws.com.cn", () => {
  assert.equal(ecrApiEndpoint(undefined, { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'us-west-2' }).host, 'api.ecr.ap-south-1.amazonaws.com');
  assert.equal(ecrApiEndpoint(undefined, { AWS_DEFAULT_REGION: 'us-west-2' }).host, 'api.ecr.us-west-2.amazonaws.com');
  assert.equal(ecrApiEndpoint('cn-north-1', {}).href, 'https://api.ecr.cn-north-1.amazonaws.com.cn/');
});
