// The environment of a CLI run in which cloud sign-in can reach only the test's fakes: HOME, PATH (<dir>/bin, where the
// stub programs are), docker config and gcloud config inside `dir`, and every AWS and Google credential source unset.
import { join } from 'node:path';

/** Every variable set or unset; `overrides` (the test's keys, endpoints, proxy variables) win. */
export function isolatedCloudEnv(dir: string, overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    HOME: join(dir, 'home'),
    PATH: join(dir, 'bin'),
    DOCKER_CONFIG: join(dir, 'docker'),
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_REGION: 'eu-west-1',
    AWS_CONFIG_FILE: join(dir, 'aws-config-absent'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials-absent'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    AWS_ENDPOINT_URL: undefined,
    AWS_ENDPOINT_URL_ECR: undefined,
    CLOUDSDK_CONFIG: join(dir, 'gcloud'),
    GOOGLE_APPLICATION_CREDENTIALS: undefined,
    GCE_METADATA_HOST: undefined,
    GCE_METADATA_IP: undefined,
    METADATA_SERVER_DETECTION: 'none',
    ...overrides,
  };
}
