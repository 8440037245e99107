import { serviceBundle } from '../tsup.service.js';

export default serviceBundle(new URL('./', import.meta.url), { wordVectors: true });
