// Go to definition and find references between chartRef/sourceRef/secretRef and the objects they name, from the
// workspace index (definitionOf, referencesTo). Must not parse YAML itself.
import type { Connection, Location } from 'vscode-languageserver/node';
import type { Position, Range } from '../../core/text-range';
import { freshPath, guarded, type FeatureContext } from './feature-context';

function contains(range: Range | undefined, p: Position): boolean {
  if (!range) return false;
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}

/** The object a position names: the target of a reference under it, or the object whose metadata.name it is on. */
function objectAt(context: FeatureContext, path: string, position: Position) {
  const index = context.state.index;
  const target = index.definitionOf(path, position);
  if (target) return target.object;
  const doc = index.documentAt(path, position);
  return doc?.object && contains(doc.object.nameRange, position) ? doc.object : undefined;
}

export function registerNavigation(connection: Connection, context: FeatureContext): void {
  connection.onDefinition(
    guarded('Definition', context.log, null as Location | null, (params) => {
      const path = freshPath(context, params.textDocument.uri);
      const target = context.state.index.definitionOf(path, params.position);
      if (!target) return null;
      return { uri: context.uris.uriOf(target.path), range: target.object.nameRange ?? target.object.range };
    }),
  );

  connection.onReferences(
    guarded('References', context.log, [] as Location[], (params) => {
      const path = freshPath(context, params.textDocument.uri);
      const object = objectAt(context, path, params.position);
      if (!object) return [];
      const index = context.state.index;
      // referencesTo folds Secret references into a SealedSecret's.
      const locations: Location[] = index.referencesTo(object.kind, object.namespace, object.name).map((hit) => ({ uri: context.uris.uriOf(hit.path), range: hit.reference.range }));
      if (params.context.includeDeclaration) {
        const declared = index.findObject(object.kind, object.namespace, object.name);
        if (declared) locations.unshift({ uri: context.uris.uriOf(declared.path), range: declared.object.nameRange ?? declared.object.range });
      }
      return locations;
    }),
  );
}
