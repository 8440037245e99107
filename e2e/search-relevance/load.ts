import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One memory entity as written in the set (see README.md beside this file). */
export type Entity = Record<string, unknown> & {
  key: string;
  type: 'session' | 'pattern' | 'checkpoint';
  submodule: string;
  privacyLevel: string;
};

/** `holdout` queries are only reported, never tuned on; the split follows the query id (see README.md). */
export type Split = 'tune' | 'holdout';

export interface Query {
  id: string;
  text: string;
  submodule: string;
  category: 'keyword' | 'question' | 'paraphrase' | 'seed';
  split: Split;
  filter?: { kinds?: string[] };
  relevant: Record<string, number>;
}

/** What one file of `dataset/` holds; only `00-base.json` names the submodules. */
export interface DatasetFile {
  submodules?: string[];
  entities: Entity[];
  queries: Query[];
}

export interface Dataset {
  submodules: string[];
  entities: Entity[];
  queries: Query[];
}

export const DATASET_DIR = join(import.meta.dirname, 'dataset');

/** Every file of `dataset/` in name order, parsed. */
export function loadDatasetFiles(dir = DATASET_DIR): Array<{ file: string; data: DatasetFile }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, data: JSON.parse(readFileSync(join(dir, file), 'utf8')) as DatasetFile }));
}

/** The whole labeled set: the files of `dataset/` concatenated in name order. */
export function loadDataset(dir = DATASET_DIR): Dataset {
  const out: Dataset = { submodules: [], entities: [], queries: [] };
  for (const { data } of loadDatasetFiles(dir)) {
    out.submodules.push(...(data.submodules ?? []));
    out.entities.push(...data.entities);
    out.queries.push(...data.queries);
  }
  return out;
}

/** The fixed split rule: every third query by id number (q03, q06, …) is held out. */
export function splitOf(queryId: string): Split {
  const n = Number(/^q(\d+)$/.exec(queryId)?.[1]);
  return n % 3 === 0 ? 'holdout' : 'tune';
}
