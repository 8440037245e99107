import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSupergraph, schemaDir, SUPERGRAPH_FILE, subgraphFiles } from './compose.js';

const dir = schemaDir();
const sdl = composeSupergraph(dir);
writeFileSync(join(dir, SUPERGRAPH_FILE), sdl);
process.stdout.write(`Composed ${subgraphFiles(dir).map((s) => s.name).join(', ')} into schema/${SUPERGRAPH_FILE}\n`);
