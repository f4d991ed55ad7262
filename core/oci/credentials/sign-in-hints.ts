// The exact commands that sign a developer in to a cloud registry, for the sentence added to a 401/403 message.
// Text only: it names programs and the registry, never a credential.
import { cloudRegistryHost, type CloudProviderName } from './cloud-registry-hosts';

/** One sentence naming the commands that give this machine credentials for `registry` on `provider`. */
export function signInHint(provider: CloudProviderName, registry: string, env: NodeJS.ProcessEnv = process.env): string {
  const facts = cloudRegistryHost(registry);
  if (provider === 'aws') {
    const region = facts?.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? '<region>';
    return (
      `To sign in to ${registry} with AWS, run \`aws sso login\` (or \`aws configure\`) so the AWS SDK's default credential chain finds credentials, ` +
      `or \`aws ecr get-login-password --region ${region} | docker login --username AWS --password-stdin ${registry}\`.`
    );
  }
  if (provider === 'azure') {
    const name = facts?.account ?? '<registry-name>';
    return `To sign in to ${registry} with Azure, run \`az login\` (the Azure CLI's token is exchanged for a registry token), or \`az acr login -n ${name}\`.`;
  }
  return (
    `To sign in to ${registry} with Google Cloud, run \`gcloud auth application-default login\` (application default credentials), ` +
    `or \`gcloud auth configure-docker ${registry.replace(/:\d+$/, '')}\`.`
  );
}
