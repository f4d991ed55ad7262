// Rules for core/v1 Secrets that Flux sources use: a dockerconfigjson Secret must carry base64 JSON
// with "auths". Messages name the field, never its value.
import type { RuleContext } from './rule-context';
import { DOCKER_CONFIG_KEY, DOCKER_CONFIG_SECRET_TYPE, readDockerConfig } from './docker-config';
import { findPair, getMap, getNode, scalarString } from './yaml-ast';

export function checkSecret(ctx: RuleContext): void {
  const typeNode = getNode(ctx.root, 'type');
  if (scalarString(typeNode) !== DOCKER_CONFIG_SECRET_TYPE || !typeNode) return;
  if (getNode(ctx.root, 'sops')) return;
  const inData = findPair(getMap(ctx.root, 'data'), DOCKER_CONFIG_KEY);
  const inStringData = findPair(getMap(ctx.root, 'stringData'), DOCKER_CONFIG_KEY);
  if (!inData && !inStringData) {
    if (ctx.isPatch) return;
    ctx.report(
      'secret-dockerconfigjson-invalid',
      `A ${DOCKER_CONFIG_SECRET_TYPE} Secret needs data["${DOCKER_CONFIG_KEY}"] (base64 of the JSON) or stringData["${DOCKER_CONFIG_KEY}"].`,
      ctx.range(typeNode),
    );
    return;
  }
  const read = readDockerConfig(ctx.root);
  if (read.ok === false) {
    const pair = inStringData ?? inData;
    const valueNode = pair?.value;
    const range = valueNode && typeof valueNode === 'object' && 'range' in valueNode && valueNode.range ? ctx.range(valueNode as import('yaml').Node) : ctx.range(typeNode);
    ctx.report('secret-dockerconfigjson-invalid', read.problem, range);
  }
}
