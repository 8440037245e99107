import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

/**
 * The SDK as another repository gets it: `npm pack` (the build runs on prepack), installed from the tarball into an
 * empty project outside this repository, to be run with plain node. Shared by the suites that use the packed SDK.
 */

export const REPO = resolve(import.meta.dirname, '../..');
export const SDK_VERSION = (JSON.parse(readFileSync(join(REPO, 'sdk/package.json'), 'utf8')) as { version: string }).version;

// Children get a clean environment: no NODE_OPTIONS (it could carry this repository's source condition) and no npm
// settings from a surrounding `npm test`, which would point the nested npm at this repository.
export const BASE_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => key !== 'NODE_OPTIONS' && (!key.startsWith('npm_') || key === 'npm_config_cache' || key === 'npm_config_registry')),
) as Record<string, string>;

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function exec(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(command, args, { cwd, env: { ...BASE_ENV, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Runs a command that must succeed; its output is in the error when it does not. */
export async function runOk(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  const result = await exec(command, args, cwd, env);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.code}\n${result.stderr}\n${result.stdout}`);
  return result.stdout;
}

export interface PackedSdk {
  /** A temporary folder holding the tarball and the project. */
  work: string;
  tarball: string;
  /** The consumer project, outside the repository. */
  project: string;
  /** The installed `memctx` bin, to run with plain node. */
  bin: string;
}

/**
 * Packs the SDK and installs the tarball into a new project (with `files` copied in first and `extra` packages
 * installed beside it). Every dependency is in the local npm cache; the registry is asked only for what is not.
 * Install scripts are skipped: the one that matters, better-sqlite3's native build, takes minutes from source (its
 * prebuilt binaries come from GitHub), and is the same build this repository already has, copied in.
 */
export async function installPackedSdk(options: { prefix: string; files?: string; extra?: string[] }): Promise<PackedSdk> {
  const work = mkdtempSync(join(tmpdir(), options.prefix));
  const project = join(work, 'consumer');
  if (!relative(REPO, project).startsWith('..')) throw new Error(`the consumer project ${project} must lie outside the repository`);

  await runOk('npm', ['pack', '-w', '@memory-context/sdk', '--pack-destination', work], REPO);
  const packed = readdirSync(work).filter((f) => f.endsWith('.tgz'));
  if (packed.length !== 1 || packed[0] !== `memory-context-sdk-${SDK_VERSION}.tgz`) throw new Error(`npm pack made ${packed.join(', ')}`);
  const tarball = join(work, packed[0]);

  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'sdk-consumer', private: true, type: 'module' }, null, 2));
  if (options.files) cpSync(options.files, project, { recursive: true });
  await runOk('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball, ...(options.extra ?? [])], project);
  provideSqliteAddon(project);
  await runOk('npm', ['ls', '--all'], project);
  return { work, tarball, project, bin: join(project, 'node_modules/.bin/memctx') };
}

/** better-sqlite3's compiled addon: this repository's build, when the versions match. */
function provideSqliteAddon(dir: string): void {
  const version = (pkg: string) => (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
  const ours = join(REPO, 'node_modules/better-sqlite3');
  const theirs = join(dir, 'node_modules/better-sqlite3');
  if (version(theirs) !== version(ours)) throw new Error(`the SDK depends on better-sqlite3 ${version(theirs)}, this repository builds ${version(ours)}`);
  mkdirSync(join(theirs, 'build/Release'), { recursive: true });
  copyFileSync(join(ours, 'build/Release/better_sqlite3.node'), join(theirs, 'build/Release/better_sqlite3.node'));
}
