// Loads the cloud SDKs on first use only, so activation and CLI start-up never pay for them.
// scripts/build.mjs bundles each into its own file under dist/cloud/ and points these imports there; nothing else imports them.

export type AwsEcrSdk = typeof import('@aws-sdk/client-ecr');
export type GoogleAuthSdk = typeof import('google-auth-library');

export function loadAwsEcrSdk(): Promise<AwsEcrSdk> {
  return import('@aws-sdk/client-ecr');
}

export function loadGoogleAuthSdk(): Promise<GoogleAuthSdk> {
  return import('google-auth-library');
}
