import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/** Where the gateway serves its local GraphQL explorer (outside production). */
export const EXPLORER_PATH = '/explorer';

export interface ExplorerOptions {
  /** The GraphQL endpoint's path on this server. */
  graphqlPath: string;
  /** Development token pre-filled in the Authorization header. */
  token?: string;
}

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/**
 * GraphiQL 3 is the last GraphiQL that ships a prebuilt browser bundle (UMD on
 * React 18 globals), so the explorer needs no CDN and no build step.
 */
const ASSETS: Record<string, { file: () => string; type: string }> = {
  'react.js': { file: () => join(packageDir('react'), 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { file: () => join(packageDir('react-dom'), 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.js': { file: () => join(packageDir('graphiql'), 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { file: () => join(packageDir('graphiql'), 'graphiql.min.css'), type: 'text/css' },
};

/** Starts GraphiQL from the page's JSON config; a file, so the page's CSP can forbid inline scripts. */
const BOOTSTRAP = `(function () {
  var config = JSON.parse(document.getElementById('explorer-config').textContent);
  var fetcher = GraphiQL.createFetcher({ url: new URL(config.endpoint, window.location.href).toString() });
  ReactDOM.createRoot(document.getElementById('explorer')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: config.query,
      headers: config.headers,
      shouldPersistHeaders: false,
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: 'headers',
    }),
  );
})();
`;

const DEFAULT_QUERY = `# The local explorer: works offline. The dev token is in the Headers tab below.
query RecentSessions {
  sessions(first: 5) {
    nodes { id title privacyLevel submoduleId startedAt }
  }
}
`;

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // GraphiQL and CodeMirror set style attributes at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Serves GraphiQL and its assets from node_modules at `/explorer`. */
export async function registerExplorer(app: FastifyInstance, options: ExplorerOptions): Promise<void> {
  const assets = new Map<string, { body: Buffer; type: string }>();
  for (const [name, asset] of Object.entries(ASSETS)) assets.set(name, { body: readFileSync(asset.file()), type: asset.type });
  assets.set('explorer.js', { body: Buffer.from(BOOTSTRAP), type: 'text/javascript' });
  const page = explorerPage(options);

  app.get(EXPLORER_PATH, async (_request, reply) =>
    reply.header('content-security-policy', CSP).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page),
  );
  app.get<{ Params: { file: string } }>(`${EXPLORER_PATH}/assets/:file`, async (request, reply) => {
    const asset = assets.get(request.params.file);
    if (!asset) return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no explorer asset ${request.params.file}` } });
    return reply.header('cache-control', 'public, max-age=3600').type(`${asset.type}; charset=utf-8`).send(asset.body);
  });
}

function explorerPage(options: ExplorerOptions): string {
  const config = {
    endpoint: options.graphqlPath,
    query: DEFAULT_QUERY,
    headers: JSON.stringify(options.token ? { Authorization: `Bearer ${options.token}` } : {}, null, 2),
  };
  // `<` escaped so the JSON can never close its script element.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  const asset = (name: string) => `${EXPLORER_PATH}/assets/${name}`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>memory-context explorer</title>
    <link rel="stylesheet" href="${asset('graphiql.css')}" />
    <style>body { margin: 0; } #explorer { height: 100vh; }</style>
  </head>
  <body>
    <div id="explorer">Loading the explorer…</div>
    <script type="application/json" id="explorer-config">${json}</script>
    <script src="${asset('react.js')}"></script>
    <script src="${asset('react-dom.js')}"></script>
    <script src="${asset('graphiql.js')}"></script>
    <script src="${asset('explorer.js')}"></script>
  </body>
</html>
`;
}
