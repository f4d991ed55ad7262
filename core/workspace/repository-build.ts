// The model of how a repository is built: which Flux Kustomizations apply which files, through which kustomize
// layers, with which postBuild variables. Rebuilt only when the build's structure changes; no I/O, no LSP types.
import type { IndexedDocument } from './file-entry';
import { artifactPathInRepository, isArtifactGenerator } from './artifact-generator';
import { documentJson, stringAtPath } from './document-json';
import { applyLayers } from './effective-object';
import { isFluxKustomization, readFluxKustomization, variableSourceValues, type FluxKustomizationSpec } from './flux-kustomization';
import { substituteJson } from './json-substitution';
import type { JsonObject, JsonValue } from './json-patches';
import { readKustomizationFile, type Layer } from './kustomize-layers';
import { dirName, isKustomizationFile, isRemoteEntry, isUnder, joinPath, KUSTOMIZATION_FILE_NAMES, rootOf, toSlash } from './repository-paths';
import type { SubstitutionUse, VariableValue } from './flux-varsub';

export interface BuildInput {
  paths: readonly string[];
  documentsOf(path: string): readonly IndexedDocument[] | undefined;
  roots: readonly string[];
}

/** One Flux Kustomization as Flux applies it (one per variant of its own object). */
export interface KustomizationInstance {
  /** `namespace/name`, with the defining file's folder added when two instances share it. */
  label: string;
  spec: FluxKustomizationSpec;
  /** The file defining the Kustomization object. */
  file: string;
  root: string;
  /** The top Kustomization (a cluster's flux-system) this one descends from; itself for a top one. */
  top: KustomizationInstance | undefined;
}

/** A file applied by an instance through kustomize layers (inner first; the instance's own layer last). */
export interface Placement {
  instance: KustomizationInstance;
  layers: Layer[];
}

/** The variables an instance substitutes, and the sources whose values cannot be known here. */
export interface InstanceVariables {
  values: Map<string, VariableValue>;
  unknownSources: string[];
}

interface Member {
  path: string;
  layers: Layer[];
}

const MAX_INSTANCES = 2000;
const MAX_DEPTH = 12;

export class RepositoryBuild {
  readonly instances: KustomizationInstance[] = [];
  /** Files read as patches by some layer ('/'-separated; ask isPatchFile). */
  private readonly patchFiles = new Set<string>();
  /** ConfigMap/Secret names some substituteFrom reads (editing one of them changes variables). */
  readonly variableSourceNames = new Set<string>();
  private readonly placements = new Map<string, Placement[]>();
  private readonly kustomizationFiles = new Map<string, string>();
  private readonly dirMemo = new Map<string, Member[]>();
  private readonly variables = new Map<KustomizationInstance, InstanceVariables>();
  private readonly pathSet: Set<string>;
  private readonly instanceDocs = new Map<KustomizationInstance, IndexedDocument>();
  /** Every folder holding an indexed file, at any depth. */
  private readonly directories = new Set<string>();

  private readonly input: BuildInput;

  /** Paths are handled '/'-separated inside (Windows paths folded); answers are looked up the same way. */
  constructor(given: BuildInput) {
    const original = new Map(given.paths.map((p) => [toSlash(p), p]));
    this.input = { paths: [...original.keys()], documentsOf: (p) => given.documentsOf(original.get(p) ?? p), roots: given.roots.map(toSlash) };
    const input = this.input;
    this.pathSet = new Set(input.paths);
    for (const path of input.paths) for (let d = dirName(path); d && !this.directories.has(d); d = dirName(d)) this.directories.add(d);
    for (const path of input.paths) if (isKustomizationFile(path)) this.addKustomizationFile(path);
    this.buildInstances();
  }

  /** Every way a file is applied; empty for files outside every Flux Kustomization. */
  placementsOf(path: string): readonly Placement[] {
    return this.placements.get(toSlash(path)) ?? [];
  }

  hasPlacements(path: string): boolean {
    return this.placements.has(toSlash(path));
  }

  /** Whether some layer reads the file as a patch (its documents are partial objects; editing it changes the build). */
  isPatchFile(path: string): boolean {
    return this.patchFiles.has(toSlash(path));
  }

  /** The variables of an instance (postBuild.substitute over substituteFrom values), computed once per build. */
  variablesOf(instance: KustomizationInstance): InstanceVariables {
    let vars = this.variables.get(instance);
    if (!vars) {
      vars = this.computeVariables(instance);
      this.variables.set(instance, vars);
    }
    return vars;
  }

  private addKustomizationFile(path: string): void {
    const dir = dirName(path);
    const existing = this.kustomizationFiles.get(dir);
    const rank = (p: string): number => KUSTOMIZATION_FILE_NAMES.indexOf(p.slice(p.lastIndexOf('/') + 1));
    if (!existing || rank(path) < rank(existing)) this.kustomizationFiles.set(dir, path);
  }

  private readPatchFile = (path: string): JsonValue[] | undefined => {
    this.patchFiles.add(path);
    const docs = this.input.documentsOf(path);
    return docs?.map((d) => documentJson(d.result)).filter((j): j is JsonObject => j !== undefined);
  };

  /** kustomize build of a directory holding a kustomization file: its resources and components, then its own layer. */
  private kustomizeDirectory(dir: string, root: string, stack: Set<string>): Member[] {
    const memo = this.dirMemo.get(dir);
    if (memo) return memo;
    const file = this.kustomizationFiles.get(dir);
    const json = file
      ? this.input
          .documentsOf(file)
          ?.map((d) => documentJson(d.result))
          .find((j) => j !== undefined)
      : undefined;
    if (!file || !json || stack.has(dir) || stack.size > MAX_DEPTH) return [];
    stack.add(dir);
    const facts = readKustomizationFile(json, dir, file, this.readPatchFile, root);
    for (const p of facts.patchFiles) this.patchFiles.add(p);
    const members: Member[] = [];
    const layer: Layer = { ...facts.layer, patches: [...facts.layer.patches] };
    const include = (entry: string, extra: Layer[]): void => {
      if (isRemoteEntry(entry)) return;
      const target = joinPath(dir, entry, root);
      if (this.pathSet.has(target)) members.push({ path: target, layers: [...extra, layer] });
      else if (this.kustomizationFiles.has(target)) for (const m of this.kustomizeDirectory(target, root, stack)) members.push({ path: m.path, layers: [...m.layers, ...extra, layer] });
    };
    for (const entry of facts.resources) include(entry, []);
    for (const entry of facts.components) members.push(...this.addComponent(joinPath(dir, entry, root), layer, root));
    stack.delete(dir);
    this.dirMemo.set(dir, members);
    return members;
  }

  /** A component's resources join the including layer's build; its patches and namespace act on all of that build. */
  private addComponent(componentDir: string, layer: Layer, root: string): Member[] {
    const componentFile = this.kustomizationFiles.get(componentDir);
    const componentJson = componentFile
      ? this.input
          .documentsOf(componentFile)
          ?.map((d) => documentJson(d.result))
          .find((j) => j !== undefined)
      : undefined;
    if (!componentJson) return [];
    const component = readKustomizationFile(componentJson, componentDir, componentFile!, this.readPatchFile, root);
    layer.patches.push(...component.layer.patches);
    if (component.layer.namespace && !layer.namespace) layer.namespace = component.layer.namespace;
    const members: Member[] = [];
    for (const resource of component.resources) {
      if (isRemoteEntry(resource)) continue;
      const target = joinPath(componentDir, resource, root);
      if (this.pathSet.has(target)) members.push({ path: target, layers: [layer] });
      else if (this.kustomizationFiles.has(target)) for (const m of this.kustomizeDirectory(target, root, new Set())) members.push({ path: m.path, layers: [...m.layers, layer] });
    }
    for (const nested of component.components) members.push(...this.addComponent(joinPath(componentDir, nested, root), layer, root));
    return members;
  }

  /**
   * What Flux builds at a directory: its kustomization file, or (kustomize-controller's generator) every YAML file
   * below it, a sub-directory with a kustomization file standing for its whole build.
   */
  private fluxDirectory(dir: string, root: string): Member[] {
    if (this.kustomizationFiles.has(dir)) return this.kustomizeDirectory(dir, root, new Set());
    const members: Member[] = [];
    const taken = new Set<string>();
    for (const path of this.input.paths) {
      if (!isUnder(path, dir)) continue;
      let nested: string | undefined;
      for (let d = dirName(path); d !== dir && isUnder(d, dir); d = dirName(d)) if (this.kustomizationFiles.has(d)) nested = d;
      if (!nested) members.push({ path, layers: [] });
      else if (!taken.has(nested)) {
        taken.add(nested);
        members.push(...this.kustomizeDirectory(nested, root, new Set()));
      }
    }
    return members;
  }

  private kustomizationDocs(): Array<{ path: string; doc: IndexedDocument; json: JsonObject }> {
    const out: Array<{ path: string; doc: IndexedDocument; json: JsonObject }> = [];
    for (const path of this.input.paths) {
      for (const doc of this.input.documentsOf(path) ?? []) {
        const o = doc.result.object;
        if (!o || !isFluxKustomization(o)) continue;
        const json = documentJson(doc.result);
        if (json) out.push({ path, doc, json });
      }
    }
    return out;
  }

  /**
   * Instances from the top: Kustomizations no other one applies start as written; every Kustomization object met
   * inside an instance's build becomes an instance as that build applies it (layers, then its variables).
   */
  private buildInstances(): void {
    const docs = this.kustomizationDocs();
    const membersOf = (spec: FluxKustomizationSpec, root: string): Member[] => this.fluxDirectory(spec.directory, root);
    const raw = docs.map((d) => {
      const root = this.rootFor(d.path, d.json);
      return { ...d, root, spec: this.readSpec(d.json, root) };
    });
    const includedBy = new Map<IndexedDocument, number>();
    for (const r of raw) {
      for (const m of membersOf(r.spec, r.root)) {
        for (const other of raw) if (other.path === m.path && other.doc !== r.doc) includedBy.set(other.doc, (includedBy.get(other.doc) ?? 0) + 1);
      }
    }
    const queue: Array<{ path: string; doc: IndexedDocument; root: string; spec: FluxKustomizationSpec; depth: number; parent?: KustomizationInstance }> = raw
      .filter((r) => !includedBy.has(r.doc))
      .map((r) => ({ ...r, depth: 0 }));
    const reached = new Set<IndexedDocument>();
    const seen = new Set<string>();
    const pending: Array<{ instance: KustomizationInstance; members: Member[]; depth: number }> = [];
    const start = (item: (typeof queue)[number]): void => {
      const identity = `${item.path}\u0000${item.doc.documentIndex}\u0000${item.spec.namespace}/${item.spec.name}\u0000${item.spec.directory}\u0000${item.spec.layer.namespace ?? ''}`;
      if (seen.has(identity) || this.instances.length >= MAX_INSTANCES) return;
      seen.add(identity);
      reached.add(item.doc);
      const instance: KustomizationInstance = { label: `${item.spec.namespace}/${item.spec.name}`, spec: item.spec, file: item.path, root: item.root, top: undefined };
      instance.top = item.parent?.top ?? instance;
      this.instances.push(instance);
      this.instanceDocs.set(instance, item.doc);
      for (const p of item.spec.patchFiles) this.patchFiles.add(p);
      // The instance's own layer: spec.components add resources and patches to it (a copy: the spec stays as read).
      const ownLayer: Layer = { ...item.spec.layer, patches: [...item.spec.layer.patches] };
      const componentMembers = item.spec.components.flatMap((c) => this.addComponent(c, ownLayer, item.root));
      item.spec.layer = ownLayer;
      const members = [...membersOf(item.spec, item.root), ...componentMembers.map((m) => ({ path: m.path, layers: [] }))];
      for (const m of members) {
        const list = this.placements.get(m.path);
        const placement = { instance, layers: [...m.layers, item.spec.layer] };
        if (list) list.push(placement);
        else this.placements.set(m.path, [placement]);
      }
      pending.push({ instance, members, depth: item.depth });
    };
    for (let i = 0; i < queue.length || pending.length; i++) {
      if (i < queue.length) start(queue[i]);
      while (pending.length) {
        const { instance, members, depth } = pending.shift()!;
        if (depth >= MAX_DEPTH) continue;
        for (const m of members) {
          for (const child of raw) {
            if (child.path !== m.path || child.doc === this.instanceDocs.get(instance)) continue;
            const effective = this.effectiveJson(child.json, { instance, layers: [...m.layers, instance.spec.layer] });
            const root = this.rootFor(child.path, effective);
            start({ path: child.path, doc: child.doc, root, spec: this.readSpec(effective, root), depth: depth + 1, parent: instance });
          }
        }
      }
    }
    // Kustomizations only reachable through a cycle: take them as written.
    for (const r of raw) if (!reached.has(r.doc)) start({ ...r, depth: 0 });
    this.labelInstances();
    for (const instance of this.instances) for (const ref of instance.spec.postBuild?.substituteFrom ?? []) this.variableSourceNames.add(ref.name);
    // Variables looked up while instances were still being found may have missed sources: compute them afresh.
    this.variables.clear();
  }

  /** A Flux Kustomization's spec; an ExternalArtifact source's path is mapped to the folder its generator copies. */
  private readSpec(json: JsonObject, root: string): FluxKustomizationSpec {
    const sourceKind = stringAtPath(json, 'spec', 'sourceRef', 'kind') ?? 'GitRepository';
    if (sourceKind === 'GitRepository') return readFluxKustomization(json, root, this.readPatchFile);
    // An OCIRepository's or Bucket's content is an artifact built elsewhere: its folders are not this repository's.
    if (sourceKind !== 'ExternalArtifact') return readFluxKustomization(json, root, this.readPatchFile, `${root}/\u0000${sourceKind}`);
    const artifact = stringAtPath(json, 'spec', 'sourceRef', 'name') ?? '';
    const namespace = stringAtPath(json, 'spec', 'sourceRef', 'namespace') ?? stringAtPath(json, 'metadata', 'namespace') ?? 'default';
    const directory = artifactPathInRepository(this.artifactGenerators(), namespace, artifact, stringAtPath(json, 'spec', 'path') ?? './', root);
    // Without a generator in the repository, the artifact's content is unknown here: the Kustomization applies nothing.
    return readFluxKustomization(json, root, this.readPatchFile, directory ?? `${root}/\u0000external-artifact`);
  }

  private generators?: JsonObject[];

  private artifactGenerators(): JsonObject[] {
    this.generators ??= this.input.paths.flatMap((p) =>
      (this.input.documentsOf(p) ?? [])
        .filter((d) => d.result.object && isArtifactGenerator(d.result.object))
        .map((d) => documentJson(d.result))
        .filter((j): j is JsonObject => j !== undefined),
    );
    return this.generators;
  }

  /**
   * The root a Kustomization's spec.path starts from: the repository root of its file; when that folder does not
   * exist there (the repository is a sub-folder of a larger checkout, or the root was not found), the nearest folder
   * above the Kustomization's file where it does.
   */
  private rootFor(file: string, json: JsonObject): string {
    const root = rootOf(file, this.input.roots);
    const path = stringAtPath(json, 'spec', 'path') ?? './';
    if (this.directories.has(joinPath(root, path, root))) return root;
    // Only a Git source is this repository; other sources' paths name folders of their own artifacts.
    const sourceKind = stringAtPath(json, 'spec', 'sourceRef', 'kind') ?? 'GitRepository';
    if (sourceKind !== 'GitRepository') return root;
    for (let d = dirName(file); d && d !== '/'; d = dirName(d)) {
      if (this.directories.has(joinPath(d, path, d))) return d;
      if (d === root) break;
    }
    return root;
  }

  /** Two instances with the same namespace/name (e.g. flux-system/apps of two clusters) get their folder added. */
  private labelInstances(): void {
    const counts = new Map<string, number>();
    for (const i of this.instances) counts.set(i.label, (counts.get(i.label) ?? 0) + 1);
    for (const i of this.instances) {
      if ((counts.get(i.label) ?? 0) < 2) continue;
      const folder = dirName(i.file);
      const relative = i.root && isUnder(folder, i.root) ? folder.slice(i.root.length).replace(/^\//, '') : folder;
      i.label = `${i.label} (${relative || '.'})`;
    }
  }

  /** An object's JSON as a placement applies it: layers, then (when the instance has postBuild) its variables. */
  effectiveJson(json: JsonObject, placement: Placement): JsonObject {
    return this.effective(json, placement).value;
  }

  /**
   * Like effectiveJson, with every `${…}` met and whether substitution ran at all. `hasVariables: false` (the
   * document's text has no `${`) skips the walk when no layer patches could have brought one in.
   */
  effective(json: JsonObject, placement: Placement, hasVariables = true): { value: JsonObject; uses: SubstitutionUse[]; substituted: boolean } {
    const layered = applyLayers(json, placement.layers);
    if (!placement.instance.spec.postBuild || substitutionDisabled(layered)) return { value: layered, uses: [], substituted: false };
    if (!hasVariables && !placement.layers.some(patchesBringVariables)) return { value: layered, uses: [], substituted: true };
    const vars = this.variablesOf(placement.instance);
    return { ...substituteJson(layered, (name) => vars.values.get(name)), substituted: true };
  }

  private computeVariables(instance: KustomizationInstance): InstanceVariables {
    const values = new Map<string, VariableValue>();
    const unknownSources: string[] = [];
    const postBuild = instance.spec.postBuild;
    if (!postBuild) return { values, unknownSources };
    for (const ref of postBuild.substituteFrom) {
      const found = this.findVariableSource(ref.kind, instance.spec.namespace, ref.name, instance.top);
      const label = `${ref.kind} ${ref.name}`;
      if (!found) {
        if (!ref.optional) unknownSources.push(`${label} (not in the repository)`);
        continue;
      }
      const read = variableSourceValues(found);
      if (!read.ok) {
        unknownSources.push(`${label} (${read.reason === 'encrypted' ? 'SOPS-encrypted' : 'data not base64'})`);
        continue;
      }
      for (const [key, value] of read.values) values.set(key, { value, from: label });
    }
    for (const [key, value] of postBuild.substitute) values.set(key, { value, from: 'postBuild.substitute' });
    return { values, unknownSources };
  }

  /**
   * A ConfigMap/Secret of the repository with this effective namespace and name (its layers applied, no variables),
   * preferring one applied in the same cluster (under the same top Kustomization).
   */
  private findVariableSource(kind: string, namespace: string, name: string, top: KustomizationInstance | undefined): JsonObject | undefined {
    let elsewhere: JsonObject | undefined;
    for (const path of this.input.paths) {
      for (const doc of this.input.documentsOf(path) ?? []) {
        const o = doc.result.object;
        if (!o || o.kind !== kind || o.apiVersion !== 'v1') continue;
        const json = documentJson(doc.result);
        if (!json) continue;
        const placements = this.placements.get(path);
        if (!placements) {
          if (o.name === name && o.namespace === namespace) return json;
          continue;
        }
        for (const p of placements) {
          const layered = applyLayers(json, p.layers);
          if (stringAtPath(layered, 'metadata', 'name') !== name || (stringAtPath(layered, 'metadata', 'namespace') ?? 'default') !== namespace) continue;
          if (p.instance.top === top) return layered;
          elsewhere ??= layered;
        }
      }
    }
    return elsewhere;
  }
}

const layerVariables = new WeakMap<Layer, boolean>();

/** Whether some patch of a layer holds a `${`, so a patched object may need substitution although its own text has none. */
function patchesBringVariables(layer: Layer): boolean {
  let known = layerVariables.get(layer);
  if (known === undefined) {
    known = layer.patches.some((p) => JSON.stringify(p).includes('${'));
    layerVariables.set(layer, known);
  }
  return known;
}

/** Whether an edit can change how the repository is built (which files Kustomizations apply, layers, variables). */
export function editChangesBuild(
  build: RepositoryBuild,
  path: string,
  old: { docs: readonly IndexedDocument[] } | undefined,
  removed: readonly IndexedDocument[],
  added: readonly IndexedDocument[],
): boolean {
  if (isKustomizationFile(path) || build.isPatchFile(path)) return true;
  // A new file matters when a kustomization names it or a Flux Kustomization builds its folder.
  if (!old && (build.hasPlacements(path) || build.instances.some((i) => isUnder(path, i.spec.directory)))) return true;
  const names = build.variableSourceNames;
  const touches = (d: IndexedDocument): boolean => {
    const o = d.result.object;
    return !!o && (isFluxKustomization(o) || isArtifactGenerator(o) || ((o.kind === 'ConfigMap' || o.kind === 'Secret') && names.has(o.name)));
  };
  return removed.some(touches) || added.some(touches);
}

/** `kustomize.toolkit.fluxcd.io/substitute: disabled` as a label or annotation turns substitution off for an object. */
function substitutionDisabled(obj: JsonObject): boolean {
  const key = 'kustomize.toolkit.fluxcd.io/substitute';
  return stringAtPath(obj, 'metadata', 'labels', key) === 'disabled' || stringAtPath(obj, 'metadata', 'annotations', key) === 'disabled';
}
