export { importMemoryContext, PRIVACY_CONFIG, type ImportOptions, type ImportProgress } from './runner.js';
export { formatReport, type ImportReport, type KindCounts } from './report.js';
export type { FailureCode, ImportFailure, ImportKind, NotImported } from './item.js';
