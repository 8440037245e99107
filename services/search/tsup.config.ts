import { serviceBundle } from '../tsup.service.js';

export default serviceBundle(new URL('./', import.meta.url), { migrate: true, wordVectors: true });
