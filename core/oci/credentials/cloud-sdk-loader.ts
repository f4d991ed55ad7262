// Loads the cloud SDKs on first use only, so activation and CLI start-up never pay for them.
// scripts/build.mjs bundles each into its own file under dist/cloud/ and points these imports there; nothing else imports them.

export type AwsEcrSdk = typeof import('@aws-sdk/client-ecr');
export type GoogleAuthSdk = typeof import('google-auth-library');

/** A CommonJS bundle imported from CommonJS arrives as `{ default: module.exports }`; from sources, with named exports. */
function namedExports<T extends object>(loaded: T & { default?: T }, probe: keyof T): T {
  return loaded[probe] === undefined && loaded.default ? loaded.default : loaded;
}

export async function loadAwsEcrSdk(): Promise<AwsEcrSdk> {
  return namedExports(await import('@aws-sdk/client-ecr'), 'ECRClient');
}

export async function loadGoogleAuthSdk(): Promise<GoogleAuthSdk> {
  return namedExports(await import('google-auth-library'), 'GoogleAuth');
}
