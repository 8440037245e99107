import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/**
 * Whether the operation selects the field at `path` below the field being
 * resolved, such as `['nodes', 'content']` under `sessions`, so a resolver
 * can leave out columns nobody asked for. Follows aliases, fragments and
 * inline fragments. A field under `@skip`/`@include` counts as selected:
 * that only reads more than needed, never less.
 */
export function selectsField(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[]): boolean {
  let fields: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    fields = fields.flatMap((field) => subfields(field.selectionSet, info.fragments)).filter((field) => field.name.value === name);
    if (fields.length === 0) return false;
  }
  return true;
}

function subfields(selectionSet: SelectionSetNode | undefined, fragments: GraphQLResolveInfo['fragments']): FieldNode[] {
  if (!selectionSet) return [];
  // Compared by string: the gateway's CommonJS graphql-js and this ESM copy have separate `Kind` objects.
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === 'Field') return [selection];
    if (selection.kind === 'InlineFragment') return subfields(selection.selectionSet, fragments);
    return subfields(fragments[selection.name.value]?.selectionSet, fragments);
  });
}
