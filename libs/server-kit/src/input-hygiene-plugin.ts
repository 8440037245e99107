import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Kind, visit, valueFromASTUntyped, type DocumentNode } from 'graphql';
import { findArgumentsProblem, findInputProblem, MemctxError, type InputProblem } from '@memory-context/protocol';
import { requestError } from './errors.js';

/**
 * Refuses text Postgres cannot store (NUL, lone surrogates) and JSON nested
 * past `maxDepth`, in the variables and in the arguments written inline,
 * before any resolver runs: BAD_USER_INPUT naming the argument path. The
 * gateway and every subgraph install it, since subgraphs can be called directly.
 */
export function inputHygienePlugin<TContext extends BaseContext>(options: { maxDepth: number }): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const problem = findArgumentsProblem(request.variables ?? {}, options.maxDepth) ?? inlineArgumentsProblem(document, options.maxDepth);
          if (problem) throw requestError(new MemctxError('BAD_USER_INPUT', problem.message, { field: problem.path, reason: problem.reason }));
        },
      };
    },
  };
}

/** Arguments written in the document itself (`title: "…"`), named by their argument path. */
function inlineArgumentsProblem(document: DocumentNode, maxDepth: number): InputProblem | null {
  let found: InputProblem | null = null;
  visit(document, {
    Argument(node) {
      if (found) return false;
      if (node.value.kind === Kind.VARIABLE) return false;
      try {
        found = findInputProblem(valueFromASTUntyped(node.value), node.name.value, maxDepth);
      } catch (error) {
        // Literal lists nested deep enough to overflow the converter are too deep by any limit.
        if (!(error instanceof RangeError)) throw error;
        found = { path: node.name.value, reason: 'too-deep', message: `${node.name.value} is nested deeper than ${maxDepth} levels.` };
      }
      return false;
    },
  });
  return found;
}
