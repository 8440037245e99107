import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_SCHEMA_FILE, apiSchemaSdl, composeSupergraph, schemaDir, SUPERGRAPH_FILE, subgraphFiles } from './compose.js';

const dir = schemaDir();
const sdl = composeSupergraph(dir);
writeFileSync(join(dir, SUPERGRAPH_FILE), sdl);
writeFileSync(join(dir, API_SCHEMA_FILE), await apiSchemaSdl(sdl));
process.stdout.write(`Composed ${subgraphFiles(dir).map((s) => s.name).join(', ')} into schema/${SUPERGRAPH_FILE} and schema/${API_SCHEMA_FILE}\n`);
