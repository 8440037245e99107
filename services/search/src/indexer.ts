import {
  checkpointChanges,
  feedLag,
  FEED_CHANNELS,
  patternChanges,
  sessionChanges,
  setFeedCursor,
  startFeedFollower,
  type Database,
  type FeedFollower,
  type RawChange,
} from '@memory-context/db';
import type { EmbeddingProvider } from '@memory-context/embeddings';
import type { Logger } from '@memory-context/telemetry';
import type { DocumentKind, VectorStore } from '@memory-context/vectors';
import { embeddingText, type SearchDocument } from './document.js';
import type { DocumentIndex } from './document-index.js';
import { liveIdsPage, loadDocuments } from './entity-source.js';

export const INDEXER = 'search';
const MAINTENANCE_INTERVAL_MS = 5_000;

const FEEDS = [
  { kind: 'SESSION', source: sessionChanges, channel: FEED_CHANNELS.sessions },
  { kind: 'PATTERN', source: patternChanges, channel: FEED_CHANNELS.patterns },
  { kind: 'CHECKPOINT', source: checkpointChanges, channel: FEED_CHANNELS.checkpoints },
] as const;

export interface IndexerOptions {
  database: Database;
  documents: DocumentIndex;
  vectors: VectorStore;
  embeddings: EmbeddingProvider;
  batchSize: number;
  pollIntervalMs: number;
  logger: Logger;
}

interface Prepared {
  upserts: SearchDocument[];
  deletes: string[];
}

/**
 * Keeps the index in step with the three change feeds. For each batch:
 * load the entities' current state, embed and write vectors (outside any
 * transaction, idempotent), then write documents and move the cursor in one
 * transaction. A crash replays at most one batch, whose writes are upserts.
 */
export class Indexer {
  private followers: FeedFollower[] = [];
  private maintenance: NodeJS.Timeout | undefined;
  private maintaining: Promise<void> | undefined;

  constructor(private readonly options: IndexerOptions) {}

  async start(): Promise<void> {
    const ready = await this.options.vectors.init(this.options.embeddings.modelId, this.options.embeddings.dimensions);
    if (!ready) {
      this.options.logger.warn({ model: this.options.embeddings.modelId }, 'the vector store holds another embedding model: reindexing');
      await this.reindex();
    }
    for (const feed of FEEDS) {
      this.followers.push(
        await startFeedFollower<Prepared>({
          database: this.options.database,
          consumer: INDEXER,
          source: feed.source,
          channel: feed.channel,
          batchSize: this.options.batchSize,
          pollIntervalMs: this.options.pollIntervalMs,
          prepare: (changes) => this.prepare(feed.kind, changes),
          apply: async (tx, _changes, prepared) => {
            await this.options.documents.delete(tx, prepared.deletes);
            await this.options.documents.upsert(tx, prepared.upserts);
          },
          onError: (error) => this.options.logger.warn({ err: error, feed: feed.kind }, 'indexing failed; will retry'),
        }),
      );
    }
    // The full-text index and its word statistics are kept tidy as documents arrive (PGlite has no autovacuum).
    this.maintenance = setInterval(() => void this.maintainIndex(), MAINTENANCE_INTERVAL_MS);
    this.maintenance.unref();
  }

  /** Tidies the full-text index after writes and refreshes its word statistics when due. */
  maintainIndex(): Promise<void> {
    this.maintaining ??= this.options.documents
      .maintain()
      .then(() => undefined)
      .catch((error: unknown) => this.options.logger.warn({ err: error }, 'could not tidy the full-text index; will retry'))
      .finally(() => (this.maintaining = undefined));
    return this.maintaining;
  }

  /** Indexes everything pending now (tests and the reindex command wait on it). */
  async catchUp(): Promise<number> {
    let total = 0;
    for (const follower of this.followers) total += await follower.catchUp();
    return total;
  }

  async stop(): Promise<void> {
    clearInterval(this.maintenance);
    await this.maintaining;
    for (const follower of this.followers) await follower.stop();
    this.followers = [];
  }

  /** The current state of each changed entity decides: live → (re)index, gone → remove. */
  private async prepare(kind: DocumentKind, changes: RawChange[]): Promise<Prepared> {
    const ids = [...new Set(changes.map((c) => c.entityId))];
    const live = await loadDocuments(this.options.database.db, kind, ids);
    const upserts = [...live.values()];
    const deletes = ids.filter((id) => !live.has(id));
    await this.writeVectors(upserts);
    if (deletes.length > 0) await this.options.vectors.delete(deletes);
    return { upserts, deletes };
  }

  private async writeVectors(docs: SearchDocument[]): Promise<void> {
    if (docs.length === 0) return;
    const vectors = await this.options.embeddings.embed(docs.map(embeddingText));
    await this.options.vectors.upsert(
      docs.map((doc, i) => ({
        id: doc.entityId,
        kind: doc.kind,
        submoduleId: doc.submoduleId,
        privacyLevel: doc.privacyLevel,
        tags: doc.tags,
        createdAt: doc.createdAt,
        vector: vectors[i] ?? new Float32Array(this.options.embeddings.dimensions),
      })),
    );
  }

  /**
   * Rebuilds everything from the live entities (after a model change, or on
   * demand). Cursors move to the feeds' heads first, so changes written
   * meanwhile are applied after the rebuild, never lost.
   */
  async reindex(onProgress?: (done: number) => void): Promise<number> {
    const { database, documents, vectors, embeddings, batchSize } = this.options;
    for (const feed of FEEDS) {
      const { head } = await feedLag(database.db, INDEXER, feed.source);
      await setFeedCursor(database.db, INDEXER, feed.source, head);
    }
    await vectors.clear();
    await vectors.init(embeddings.modelId, embeddings.dimensions);
    await documents.clear();
    let done = 0;
    for (const feed of FEEDS) {
      let after: string | undefined;
      for (;;) {
        const ids = await liveIdsPage(database.db, feed.kind, after, batchSize);
        if (ids.length === 0) break;
        const docs = [...(await loadDocuments(database.db, feed.kind, ids)).values()];
        await this.writeVectors(docs);
        await database.db.transaction((tx) => documents.upsert(tx, docs));
        done += docs.length;
        onProgress?.(done);
        after = ids.at(-1);
        await new Promise((resolve) => setImmediate(resolve)); // let requests in between pages (PGlite)
      }
    }
    await this.maintainIndex();
    return done;
  }

  async lag(): Promise<Array<{ feed: string; lag: number }>> {
    return Promise.all(FEEDS.map(async (feed) => feedLag(this.options.database.db, INDEXER, feed.source)));
  }
}
