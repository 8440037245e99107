import type { ApolloServerPlugin, BaseContext, GraphQLServerListener, LandingPage } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';

export interface SandboxLandingPageOptions {
  /** Pre-filled Authorization header (embedded development stack only). */
  token?: string;
  /** Path of the local explorer offered when Sandbox cannot load. */
  explorerPath: string;
}

/**
 * Apollo Sandbox, whose code comes from Apollo's CDN; when that script did not
 * load (offline, blocked), the page offers the gateway's local explorer instead.
 */
export function sandboxLandingPage(options: SandboxLandingPageOptions): ApolloServerPlugin<BaseContext> {
  const sandbox = ApolloServerPluginLandingPageLocalDefault({
    embed: { endpointIsEditable: false },
    includeCookies: false,
    ...(options.token ? { headers: { Authorization: `Bearer ${options.token}` } } : {}),
  }) as ApolloServerPlugin<BaseContext>;
  return {
    async serverWillStart(context) {
      const listener = (await sandbox.serverWillStart?.(context)) as GraphQLServerListener | undefined;
      const render = listener?.renderLandingPage;
      if (!render) throw new Error('the Sandbox landing page plugin rendered no page');
      return {
        async renderLandingPage(): Promise<LandingPage> {
          const page = await render.call(listener);
          return { html: async () => withExplorerOffer(typeof page.html === 'string' ? page.html : await page.html(), options.explorerPath) };
        },
      };
    },
  };
}

/**
 * Appends the offer and the script that reveals it. Scripts before it run in
 * order, so by then `EmbeddedSandbox` exists unless its CDN script failed. The
 * page's CSP admits inline scripts only with its nonce (and no style
 * attributes), so the script reuses the nonce and the page's own classes.
 */
export function withExplorerOffer(html: string, explorerPath: string): string {
  const nonce = /<script nonce="([^"]+)"/.exec(html)?.[1];
  const end = html.lastIndexOf('</body>');
  if (!nonce || end < 0) throw new Error('the Sandbox landing page has no nonce script or no </body>; cannot add the explorer offer');
  const offer = `
    <div id="local-explorer-offer" class="fallback" hidden>
      <p>Apollo Sandbox loads its code from Apollo's CDN, which this browser cannot reach.
      The gateway also serves a local explorer that works offline:
      <a id="local-explorer-link" href="${explorerPath}">open the local explorer</a>.</p>
    </div>
    <script nonce="${nonce}">
      if (typeof window.EmbeddedSandbox !== 'function') {
        document.getElementById('local-explorer-offer').hidden = false;
        // Sandbox's empty frame covers the whole page and would swallow the click.
        document.getElementById('embeddableSandbox')?.remove();
      }
    </script>
  `;
  return `${html.slice(0, end)}${offer}${html.slice(end)}`;
}
