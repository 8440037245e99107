import { readFileSync } from 'node:fs';
import { seededRandom } from './random.js';

/**
 * The benches' data: realistic agent memory (sessions, patterns,
 * checkpoints) generated from engineering topics (corpus-topics.json), and
 * the natural questions asked of it. A generator made with the same seed
 * writes the same text.
 */
export const SUBMODULES = ['cloud-backend', 'web-frontend', 'mobile-app', 'data-pipeline', 'infra-ops', 'rust-engine', 'auth-service', 'docs-site'] as const;

export interface Topic {
  tags: string[];
  subjects: string[];
  problems: string[];
  causes: string[];
  fixes: string[];
  files: string[];
}

/** Engineering topics an agent's memory is about; every session mixes one (sometimes two) of them. */
const TOPICS = JSON.parse(readFileSync(new URL('./corpus-topics.json', import.meta.url), 'utf8')) as Topic[];

const WHEN = ['this morning', "yesterday's deploy", 'the last release', 'Friday night', 'the upgrade to Node 20', 'the migration to the new cluster'];
const WHERE = ['staging', 'production', 'the CI runners', 'a developer laptop', 'the canary pods', 'the EU region'];
const USER_LINES = [
  '{Problem} in the {subject} since {when}; can you find out why?',
  'The {subject} shows it again: {problem} ({ticket}). Please take a look.',
  'We need to fix this before the release: {problem}.',
  'Can you explain why {problem} on {where}?',
  'Is "{fix}" the right approach for the {subject}, or is there something simpler?',
  'Add a regression test for the {subject}; last time {problem} slipped through review.',
];
const ASSISTANT_LINES = [
  'I traced it to {cause} in {file}.',
  'The root cause is {cause}. I will {fix}.',
  'I changed {file} to {fix}; {metric}.',
  'Reproduced on {where}: {problem} happens when {cause}.',
  'Proposed fix: {fix}. It keeps the {subject} backwards compatible.',
  'Done. I also documented why in the README of the {subject} so the next person does not repeat it.',
];
const TOOL_LINES = [
  '$ npm test -- {file}\n{n} passed, {m} failed ({s} s)',
  '$ git diff --stat\n {n} files changed, {k} insertions(+), {m} deletions(-)',
  '$ grep -rn "{word}" src/ | wc -l\n{n}',
  'ERROR {code} at {file}:{line} ({ticket})',
  '$ kubectl logs deploy/{service} --since=1h | grep -c "{word}"\n{k}',
];
const METRICS = ['p95 went from {a} ms to {b} ms', 'the error rate dropped from {p}% to 0', 'memory stays flat at {a} MB', 'the job now finishes in {b} s instead of {a} s'];
const DESCRIPTIONS = ['Investigated {problem} in the {subject}.', 'Agent session about the {subject} after {when}.', 'Fixed {problem}; {fix}.', 'Follow-up of {ticket}: the {subject} on {where}.'];
const KINDS = ['SOLUTION', 'ERROR_FIX', 'CONVENTION', 'WORKFLOW', 'ANTI_PATTERN'] as const;

export function makeGenerator(seed: number) {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const fill = (template: string, t: Topic) => {
    const vars: Record<string, () => string> = {
      problem: () => pick(t.problems),
      Problem: () => cap(pick(t.problems)),
      subject: () => pick(t.subjects),
      cause: () => pick(t.causes),
      fix: () => pick(t.fixes),
      file: () => pick(t.files),
      when: () => pick(WHEN),
      where: () => pick(WHERE),
      ticket: () => `ENG-${int(100, 9999)}`,
      metric: () => fill(pick(METRICS), t),
      n: () => String(int(2, 60)),
      m: () => String(int(0, 9)),
      k: () => String(int(10, 400)),
      s: () => (random() * 40).toFixed(1),
      a: () => String(int(120, 900)),
      b: () => String(int(8, 110)),
      p: () => (random() * 5).toFixed(1),
      line: () => String(int(10, 800)),
      code: () => pick(['E_TIMEOUT', 'ECONNRESET', '40P01', 'ERR_UNHANDLED_REJECTION', '401', '503', 'OOMKilled']),
      word: () => pick(t.tags),
      service: () => pick(['api', 'worker', 'gateway', 'ingest', 'billing']),
    };
    return template.replace(/\{(\w+)\}/g, (_, name: string) => vars[name]?.() ?? name);
  };
  const topicOf = () => pick(TOPICS);
  const level = (): 'PUBLIC' | 'TEAM' | 'PRIVATE' => {
    const r = random();
    return r < 0.1 ? 'PRIVATE' : r < 0.3 ? 'PUBLIC' : 'TEAM';
  };
  return {
    random,
    session(createdAt: Date) {
      const t = topicOf();
      const other = random() < 0.15 ? topicOf() : t;
      const content: Array<{ role: string; text: string; at: string }> = [];
      const turns = int(3, 7);
      for (let i = 0; i < turns; i++) {
        const role = i === 0 ? 'user' : pick(['assistant', 'assistant', 'tool', 'user'] as const);
        const lines = role === 'user' ? USER_LINES : role === 'tool' ? TOOL_LINES : ASSISTANT_LINES;
        const topic = i === turns - 1 ? other : t;
        const text = [fill(pick(lines), topic), fill(pick(lines), topic)].join(role === 'tool' ? '\n' : ' ');
        content.push({ role, text, at: new Date(createdAt.getTime() + i * 60_000).toISOString() });
      }
      const title = random() < 0.5 ? `${cap(pick(t.problems))} (${pick(t.subjects)})` : `${cap(pick(t.fixes))} in the ${pick(t.subjects)}`;
      return {
        submoduleId: pick(SUBMODULES),
        privacyLevel: level(),
        title: title.slice(0, 200),
        description: fill(pick(DESCRIPTIONS), t),
        tags: [...new Set([pick(t.tags), pick(t.tags), ...(random() < 0.3 ? [pick(other.tags)] : [])])],
        content,
      };
    },
    pattern(index: number) {
      const t = topicOf();
      const kind = pick(KINDS);
      const fix = pick(t.fixes);
      return {
        submoduleId: pick(SUBMODULES),
        privacyLevel: level(),
        kind,
        name: `${cap(fix)} (${pick(t.subjects)})`,
        description: `When ${pick(t.problems)}, the cause is usually ${pick(t.causes)}.`,
        body: { problem: pick(t.problems), cause: pick(t.causes), fix, steps: [fill('Reproduce on {where}', t), fill('Check {file}', t), cap(pick(t.fixes))], seen_in: `${pick(t.files)}:${int(10, 900)}`, ticket: `ENG-${index}` },
        tags: [...new Set([pick(t.tags), pick(t.tags)])],
      };
    },
    checkpoint() {
      const t = topicOf();
      const done = [cap(pick(t.fixes)), cap(pick(t.fixes)), fill('Regression test for {problem}', t)];
      return {
        submoduleId: pick(SUBMODULES),
        privacyLevel: level(),
        title: `${cap(pick(t.subjects))}: ${pick(t.fixes)}`.slice(0, 200),
        gitRef: randomHex(random, 40),
        summary: fill('{Problem} fixed; {fix}. Tests green on {where}.', t),
        content: `## Done\n${done.map((d) => `- ${d}`).join('\n')}\n\n## Next\n- ${cap(pick(t.fixes))}\n- ${fill('Watch {subject} metrics after {when}', t)}`,
      };
    },
  };
}

function randomHex(random: () => number, length: number): string {
  let s = '';
  while (s.length < length) s += Math.floor(random() * 16).toString(16);
  return s;
}

/** Natural questions an agent asks (from e2e/search-relevance), about the topics above and some not. */
export const QUERIES = [
  'Show me all sessions about authentication',
  'login problems',
  'how did we fix the token refresh race?',
  'single sign-on with the corporate identity provider',
  'who is allowed to do what - role based permissions',
  'find patterns related to database migrations',
  'renaming a column without downtime',
  'schema change locked the table in production',
  'anything about speeding up slow SQL queries',
  'missing index',
  'too many connections to postgres',
  'Redis caching strategy',
  'stale data served after an update',
  'what have we learned about error handling in Rust',
  'service died on a corrupt payload',
  'unhandled promise rejection crashed the node server',
  'wrapping errors in Go',
  'retry with exponential backoff',
  'third-party API hangs forever',
  'distributed tracing setup',
  'getting woken up at night for nothing',
  'flaky integration tests in the pipeline',
  'make the CI build faster',
  'k8s rollout went wrong before?',
  'shrinking container images',
  'React component re-rendering too often',
  'screen reader support',
  'translating the UI into other languages',
  'push notifications not arriving on iOS',
  'customers charged twice by the payment webhook',
];
